import Foundation
import SCIM
import Testing
import TestSupport

/// Syncs as an identity admin uses them: each client's runs of writes listed in words,
/// and one of them undone with `scimgit rollback --sync`, keeping other clients' changes.
@Suite("End to end: syncs", .serialized)
struct SyncsTests {
    private static let deactivate: JSONValue = [["op": "replace", "value": ["active": false]]]

    @Test func syncsAreListedInWordsAndOneIsRolledBack() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        var ids: [String] = []
        for index in 0..<3 {
            ids.append(try #require(try await okta.post("/Users", ["userName": .string("u\(index)@example.com"), "active": true]).json?["id"]?.stringValue))
        }
        #expect(try await SCIMClient.entra(server).post("/Groups", ["displayName": "Sales", "members": [["value": .string(ids[0])]]]).status == 201)
        let firstRun = try commitTimes(server)
        // A loaded machine (the whole suite at once) has spread four writes over nine
        // seconds: pause well beyond what the first run took.
        try await Task.sleep(for: .seconds(10 + 2 * (firstRun.last! - firstRun.first!)))
        for id in ids.prefix(2) { #expect(try await okta.patch("/Users/\(id)", SyncsTests.deactivate).status == 200) }
        let secondRun = try commitTimes(server).dropFirst(firstRun.count)
        // The gap: wider than the spread of either run (a loaded machine may take seconds
        // per write), narrower than the pause between them.
        let spread = max(firstRun.last! - firstRun.first!, secondRun.last! - secondRun.first!)
        let gap = String(max(1, spread + 1))
        try #require(secondRun.first! - firstRun.last! > spread + 1, "the runs overlap in time: \(firstRun) \(Array(secondRun))")

        let listed = try scimgit(["syncs", "--gap", gap, "--repo", server.store])
        #expect(listed.status == 0, "\(listed.errors)")
        let lines = listed.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(listed.output)")
        #expect(lines[0].hasPrefix("sync-") && lines[0].contains("okta") && lines[0].hasSuffix("2 writes: deactivated 2 users"), "\(lines[0])")
        #expect(lines.contains { $0.contains("entra") && $0.hasSuffix("1 write: created 1 group, added 1 membership") }, "\(listed.output)")
        #expect(lines.contains { $0.contains("okta") && $0.hasSuffix("3 writes: created 3 users") }, "\(listed.output)")
        let only = try scimgit(["syncs", "--gap", gap, "--client", "entra", "--repo", server.store])
        #expect(only.output.split(separator: "\n").count == 1)
        let json = try JSONValue.parse(Array(try scimgit(["syncs", "--gap", gap, "--json", "--repo", server.store]).output.utf8))
        #expect(json[0]?["counts"]?["deactivated"]?["User"] == 2 && json[0]?["commits"]?.arrayValue?.count == 2)

        let id = String(lines[0].prefix { $0 != " " })
        let diff = try scimgit(["diff", "--sync", id, "--gap", gap, "--repo", server.store])
        #expect(diff.status == 0 && diff.output.contains("~ u0@example.com") && diff.output.contains("active: true → false"), "\(diff.output)")
        #expect(!diff.output.contains("u2@example.com") && !diff.output.contains("Sales"), "only what the sync changed")

        // An id pasted wrong, or --to with --sync, is refused with nothing done.
        let commits = try server.commitCount()
        #expect(try scimgit(["rollback", "--sync", "sync-0000000000", "--yes", "--repo", server.store]).status != 0)
        #expect(try scimgit(["rollback", "--to", "HEAD~1", "--sync", id, "--yes", "--repo", server.store]).status != 0)
        #expect(try server.commitCount() == commits)

        let rolled = try scimgit(["rollback", "--sync", id, "--gap", gap, "--yes", "--repo", server.store])
        #expect(rolled.status == 0, "\(rolled.errors)")
        #expect(rolled.output.contains("Roll back \(id) of okta (deactivated 2 users)"), "\(rolled.output)")
        #expect(try server.commitCount() == commits + 1)
        for id in ids { #expect(try await okta.get("/Users/\(id)").json?["active"] == true) }
        #expect(try await SCIMClient.entra(server).get("/Groups?filter=\(query("displayName eq \"Sales\""))").json?["totalResults"] == 1, "the other client's group stays")
        #expect(server.statusIsClean())
    }

    /// Commit times (seconds, as git keeps them), oldest first, the store's first commit left out.
    private func commitTimes(_ server: ServerProcess) throws -> [Int] {
        try git(["log", "--reverse", "--format=%ct"], in: server.store).split(separator: "\n").dropFirst().compactMap { Int($0) }
    }

    @Test func aSyncWhoseResourcesChangedLaterIsAConflict() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let id = try #require(try await okta.post("/Users", ["userName": "ada@example.com", "active": true]).json?["id"]?.stringValue)
        try await Task.sleep(for: .seconds(8))
        #expect(try await okta.patch("/Users/\(id)", SyncsTests.deactivate).status == 200)
        let sync = String(try scimgit(["syncs", "--gap", "6", "--client", "okta", "--repo", server.store]).output.prefix { $0 != " " })
        #expect(try await SCIMClient.entra(server).patch("/Users/\(id)", [["op": "replace", "path": "displayName", "value": "Ada"]]).status == 200)
        let commits = try server.commitCount()
        let refused = try scimgit(["rollback", "--sync", sync, "--gap", "6", "--yes", "--repo", server.store])
        #expect(refused.status != 0 && refused.errors.contains("ada@example.com"), "\(refused.errors)")
        #expect(try server.commitCount() == commits)
    }
}
