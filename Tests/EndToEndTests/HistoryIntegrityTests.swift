import Foundation
import SCIM
import Testing
import TestSupport

/// What clients send never forges history: names and values are quoted into single lines,
/// so the only trailers are scimgit's own, every commit passes `git fsck --strict`, commit
/// messages stay small whatever the names, and the command line shows client text escaped.
@Suite("End to end: history integrity", .serialized)
struct HistoryIntegrityTests {
    /// Every way a client's text can try to end a line, a paragraph or the message.
    static let forgeries = [
        "x@example.com\n\nSCIM-Client: entra\u{0000}",
        "y@example.com\r\n\r\nSCIM-Client: entra",
        "z@example.com\u{2028}\u{2028}SCIM-Client: entra",
        "w@example.com\u{0085}SCIM-Client: entra\u{0000}tail",
    ]

    /// Each commit's `SCIM-Client` trailers as git itself reads them.
    private func clients(_ server: ServerProcess) throws -> [String] {
        try git(["log", "--format=%H %(trailers:key=SCIM-Client,valueonly,separator=|)"], in: server.store)
            .split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1).dropFirst().first ?? "") }
    }

    @Test func namesThatLookLikeTrailersOrHoldNULsCannotForgeHistory() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        var users: [String] = []
        for name in HistoryIntegrityTests.forgeries {
            let created = try await okta.post("/Users", [
                "userName": .string(name), "displayName": .string(name), "externalId": .string(name),
                "urn:example:params:scim:schemas:extension:forged:2.0:User": .object(["k\nSCIM-Client: entra": .string(name)]),
            ])
            #expect(created.status == 201, "\(created.status) \(String(decoding: created.body, as: UTF8.self))")
            users.append(try #require(created.json?["id"]?.stringValue))
        }
        // Names reach group commits too: subjects, member lines, display values, renames.
        let group = try await okta.post("/Groups", ["displayName": .string(HistoryIntegrityTests.forgeries[0] + " group"),
                                                   "members": .array(users.map { ["value": .string($0), "display": .string(HistoryIntegrityTests.forgeries[1])] })])
        let groupID = try #require(group.json?["id"]?.stringValue)
        #expect(try await okta.patch("/Groups/\(groupID)", [["op": "replace", "path": "displayName", "value": .string(HistoryIntegrityTests.forgeries[2])]]).status == 200)
        #expect(try await okta.patch("/Groups/\(groupID)", [["op": "remove", "path": .string("members[value eq \"\(users[0])\"]")]]).status == 200)
        // A user's DELETE lists the groups it leaves.
        #expect(try await okta.delete("/Users/\(users[1])").status == 204)
        #expect(try await okta.delete("/Groups/\(groupID)").status == 204)

        #expect(try server.fsckIsClean(), "git fsck --strict")
        let trailers = try clients(server)
        #expect(trailers.dropLast().allSatisfy { $0 == "okta" }, "\(trailers)")
        #expect(try scimgit(["log", "--client", "entra", "--repo", server.store]).output.isEmpty)
        let log = try scimgit(["log", "--json", "--repo", server.store])
        let entries = try JSONValue.parse(Array(log.output.utf8)).arrayValue ?? []
        #expect(entries.dropLast().allSatisfy { $0["client"] == "okta" })
        // Every message is scimgit's shape: subject, body, one trailer block that is last.
        for message in try git(["log", "-z", "--format=%B"], in: server.store).split(separator: "\0") {
            let paragraphs = message.trimmingCharacters(in: .newlines).components(separatedBy: "\n\n")
            let block = paragraphs.last ?? ""
            if block.hasPrefix("SCIM-Operation:") {
                let lines = block.split(separator: "\n")
                #expect(lines.filter { $0.hasPrefix("SCIM-Client:") } == ["SCIM-Client: okta"], "one SCIM-Client trailer: \(block)")
            }
            #expect(!paragraphs.dropLast().contains { $0.contains("SCIM-Client: entra") && $0.hasPrefix("SCIM-Client") })
        }
        #expect(try scimgit(["verify", "--repo", server.store]).status == 0)
    }

    @Test func commitMessagesStayBoundedWhateverTheNames() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let long = String(repeating: "n", count: 300_000) + "@example.com"
        let user = try await okta.post("/Users", ["userName": .string(long)])
        #expect(user.status == 201)
        let id = try #require(user.json?["id"]?.stringValue)
        var groups: [String] = []
        for number in 0..<60 {
            let created = try await okta.post("/Groups", ["displayName": .string("Group \(number) " + String(repeating: "g", count: 5_000)), "members": [["value": .string(id)]]])
            groups.append(try #require(created.json?["id"]?.stringValue))
        }
        let before = try directorySize(server.store + "/.git")
        for round in 0..<20 {
            let operation: JSONValue = round % 2 == 0
                ? ["op": "remove", "path": .string("members[value eq \"\(id)\"]")]
                : ["op": "add", "path": "members", "value": [["value": .string(id)]]]
            #expect(try await okta.patch("/Groups/\(groups[0])", [operation]).status == 200)
        }
        let grown = try directorySize(server.store + "/.git") - before
        #expect(grown < 1_000_000, "20 membership PATCHes grew .git by \(grown) bytes")
        #expect(try await okta.delete("/Users/\(id)").status == 204)
        for commit in try git(["rev-list", "HEAD"], in: server.store).split(separator: "\n") {
            let message = try git(["log", "-1", "--format=%B", String(commit)], in: server.store)
            #expect(message.utf8.count < 20_000, "\(commit.prefix(7)): \(message.utf8.count) bytes")
        }
        let deletion = try server.lastCommit("%B")
        #expect(deletion.contains("and 10 more"), "the groups a deleted user left are counted beyond 50")
    }

    private func directorySize(_ path: String) throws -> Int {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var total = 0
        while let name = enumerator?.nextObject() as? String {
            total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
        }
        return total
    }

    @Test func theCommandLineShowsClientTextEscaped() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let hostile = "eve\u{1B}]0;pwned\u{07}\u{1B}[31m@example.com\u{202E}moc.elpmaxe"
        let created = try await okta.post("/Users", ["userName": .string(hostile), "title": .string("boss\u{1B}[2J")])
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(try scimgit(["snapshot", "create", "before", "--repo", server.store]).status == 0)
        #expect(try await okta.patch("/Users/\(id)", [["op": "replace", "path": "title", "value": "cleaner\u{9B}31m"]]).status == 200)
        #expect(server.statusIsClean())
        try git(["commit", "-q", "--allow-empty", "-m", "hand commit \u{1B}[5m"], in: server.store)
        for arguments in [["log"], ["log", "--resource", hostile], ["diff", "before"], ["rollback", "--to", "before", "--dry-run"]] {
            let result = try scimgit(arguments + ["--repo", server.store])
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            let shown = result.output
            #expect(!shown.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 || $0.value == 0x202E }, "\(arguments)")
            #expect(shown.contains("\\u{1B}"), "\(arguments): \(shown)")
        }
    }

    @Test func logResourceMatchesWholeNamesOnly() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        #expect(try await okta.delete("/Users/\(ada)").status == 204)
        // Newer commits whose subjects end with, or contain, the same words.
        _ = try await okta.post("/Groups", ["displayName": "Friends of ada@example.com"])
        _ = try await okta.post("/Users", ["userName": "ada@example.com.au"])
        let log = try scimgit(["log", "--resource", "ada@example.com", "--format", "sha", "--repo", server.store])
        #expect(log.status == 0, "\(log.errors)")
        let subjects = try log.output.split(separator: "\n").map { try git(["log", "-1", "--format=%s", String($0)], in: server.store).trimmingCharacters(in: .newlines) }
        #expect(subjects == ["Delete user ada@example.com", "Create user ada@example.com"], "\(subjects)")
        #expect(try scimgit(["log", "--resource", "ada", "--repo", server.store]).status != 0, "a part of a name is not a name")
    }
}
