import Foundation
import SCIM
import Testing
import TestSupport

/// The deprovisioning guard as an identity admin meets it: a bad Okta push held at the
/// threshold with nothing of it committed, `guard status` naming the sync, a restart that
/// keeps holding, `guard release` letting the retries land, and the whole sync undone.
@Suite("End to end: deprovisioning guard", .serialized)
struct GuardTests {
    private static let deactivate: JSONValue = [["op": "replace", "value": ["active": false]]]

    /// 200 users created by another client (an earlier import, not part of Okta's sync).
    private func twoHundredUsers(_ server: ServerProcess) async throws -> [String] {
        let entra = SCIMClient.entra(server)
        return try await withThrowingTaskGroup(of: String.self) { group in
            for batch in 0..<4 {
                group.addTask {
                    var ids: [String] = []
                    for index in (batch * 50)..<(batch * 50 + 50) {
                        let created = try await entra.post("/Users", ["userName": .string("p\(index)@example.com"), "active": true])
                        ids.append(try #require(created.json?["id"]?.stringValue, "\(created.status)"))
                    }
                    return ids.joined(separator: ",")
                }
            }
            var ids: [String] = []
            for try await chunk in group { ids += chunk.split(separator: ",").map(String.init) }
            return ids.sorted()
        }
    }

    /// Sends the deactivations eight at a time, as Okta's workers do; the statuses by id.
    private func deactivateAll(_ ids: some Sequence<String>, as client: SCIMClient) async throws -> [String: SCIMClient.Response] {
        try await withThrowingTaskGroup(of: (String, SCIMClient.Response).self) { group in
            var answers: [String: SCIMClient.Response] = [:]
            var pending = 0
            for id in ids {
                if pending == 8, let (done, response) = try await group.next() { answers[done] = response; pending -= 1 }
                group.addTask { (id, try await client.patch("/Users/\(id)", GuardTests.deactivate)) }
                pending += 1
            }
            for try await (done, response) in group { answers[done] = response }
            return answers
        }
    }

    /// `scimgit guard status`, asked again for up to five seconds until it says `words`.
    static func status(_ server: ServerProcess, until words: String) throws -> CommandResult {
        var result = try scimgit(["guard", "status", "--repo", server.store])
        let deadline = Date().addingTimeInterval(5)
        while !result.output.contains(words) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            result = try scimgit(["guard", "status", "--repo", server.store])
        }
        return result
    }

    @Test func aBurstOfDeactivationsIsHeldReleasedAndRolledBack() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ids = try await twoHundredUsers(server)
        let before = try server.commitCount()

        // Okta deactivates 30 of the 200 in a burst: the default guard (more than 10% of
        // active users and at least 25 within an hour) lets 24 land and holds the rest.
        let burst = Array(ids.prefix(30))
        let answers = try await deactivateAll(burst, as: okta)
        let landed = burst.filter { answers[$0]?.status == 200 }
        let held = burst.filter { answers[$0]?.status == 503 }
        #expect(landed.count == 24 && held.count == 6, "\(answers.values.map(\.status))")
        #expect(try server.commitCount() == before + 24, "nothing is committed for a held write")
        for id in held {
            let answer = try #require(answers[id])
            #expect(answer.header("Retry-After").flatMap(Int.init) == 60, "an integer Retry-After")
            let error = try #require(answer.json.flatMap(SCIMError.init(body:)))
            #expect(error.status == 503 && error.detail.contains("deprovisioning guard is holding") && error.detail.contains("scimgit guard release"), "\(error.detail)")
            #expect(try await okta.get("/Users/\(id)").json?["active"] == true)
        }
        #expect(server.log.contains("deprovisioning guard tripped by okta: 25 deprovisioning writes"), "the trip is logged with its numbers")
        #expect(server.log.components(separatedBy: "deprovisioning guard tripped").count == 2, "and logged once")

        // Everything that takes nothing away goes on: reads, creates, updates, of Okta too.
        #expect(try await okta.get("/Users?filter=\(query("active eq false"))").json?["totalResults"] == 24)
        #expect(try await okta.post("/Users", ["userName": "new.hire@example.com", "active": true]).status == 201)
        #expect(try await okta.patch("/Users/\(ids[100])", [["op": "replace", "path": "title", "value": "Engineer"]]).status == 200)
        #expect(try await okta.delete("/Users/\(ids[150])").status == 503, "a delete is held too")

        // guard status names the client, the held writes and the sync, and how to act (the
        // server writes its counts at most once a second).
        let status = try GuardTests.status(server, until: "Held: 7 of okta")
        #expect(status.status == 3, "exit 3 while holding: \(status.errors)")
        let syncs = try scimgit(["syncs", "--client", "okta", "--repo", server.store]).output
        let syncID = String(syncs.prefix { $0 != " " })
        #expect(syncID.hasPrefix("sync-") && syncs.contains("deactivated 24 users"), "\(syncs)")
        #expect(status.output.contains("HOLDING since") && status.output.contains("Tripped by okta: 25 deprovisioning writes"), "\(status.output)")
        #expect(status.output.contains("Held: 7 of okta"), "\(status.output)")
        #expect(status.output.contains("scimgit diff --sync \(syncID)") && status.output.contains("scimgit rollback --sync \(syncID)"), "\(status.output)")
        #expect(status.output.contains("scimgit guard release"), "\(status.output)")
        let json = try JSONValue.parse(Array(try scimgit(["guard", "status", "--json", "--repo", server.store]).output.utf8))
        #expect(json["holding"] == true && json["trip"]?["client"] == "okta" && json["sync"]?["id"]?.stringValue == syncID)

        // A restart keeps holding.
        #expect(server.stop() == 0)
        try server.start()
        let oktaAgain = SCIMClient.okta(server)
        #expect(try await oktaAgain.patch("/Users/\(held[0])", GuardTests.deactivate).status == 503, "a restart keeps holding")

        // The admin releases; the IdP's retries land, in the same sync.
        let release = try scimgit(["guard", "release", "--yes", "--repo", server.store], environment: ["SCIMGIT_AUTHOR": "ada"])
        #expect(release.status == 0, "\(release.errors)")
        #expect(try git(["log", "-1", "--format=%an %s"], in: server.store) == "ada Release the deprovisioning guard for 1h\n", "history says who allowed it")
        let retried = try await deactivateAll(held, as: oktaAgain)
        #expect(retried.values.allSatisfy { $0.status == 200 }, "\(retried.values.map(\.status))")
        #expect(try scimgit(["guard", "status", "--repo", server.store]).output.contains("Released until"))

        // The whole sync, 30 deactivations, undone in one step (previewed as JSON first).
        let preview = try JSONValue.parse(Array(try scimgit(["rollback", "--sync", syncID, "--dry-run", "--json", "--repo", server.store]).output.utf8))
        #expect(preview["subject"]?.stringValue?.contains("deactivated 30 users") == true && preview["committed"] == .null, "\(preview)")
        #expect(preview["commits"]?.arrayValue?.count == 32, "24 + 6 deactivations, a create and an update: \(preview)")
        let diffJSON = try JSONValue.parse(Array(try scimgit(["diff", "--sync", syncID, "--json", "--repo", server.store]).output.utf8))
        #expect(diffJSON["changes"]?.arrayValue?.count == 32, "30 users deactivated, one created, one updated: \(diffJSON)")
        let rolled = try scimgit(["rollback", "--sync", syncID, "--yes", "--repo", server.store])
        #expect(rolled.status == 0, "\(rolled.errors)")
        #expect(rolled.output.contains("deactivated 30 users"), "\(rolled.output)")
        for id in burst { #expect(try await oktaAgain.get("/Users/\(id)").json?["active"] == true) }
        #expect(server.statusIsClean())
    }

    @Test func aNormalTrickleNeverTripsItAndOffTurnsItOff() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ids = try await twoHundredUsers(server)
        // 20 leavers in an hour, one at a time: a normal day.
        for id in ids.prefix(20) { #expect(try await okta.patch("/Users/\(id)", GuardTests.deactivate).status == 200) }
        let status = try GuardTests.status(server, until: "Watching: 20 deprovisioning writes")
        #expect(status.status == 0 && status.output.contains("Watching: 20 deprovisioning writes"), "\(status.output)")
        #expect(server.stop() == 0)

        let off = try ServerProcess(["--guard", "off"], storePath: server.store)
        #expect(off.log.contains("deprovisioning guard off"))
        let answers = try await deactivateAll(ids.dropFirst(20).prefix(30), as: SCIMClient.okta(off))
        #expect(answers.values.allSatisfy { $0.status == 200 }, "--guard off holds nothing")
    }

    @Test func aLostStateFileHoldsUntilAnAdminResets() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let id = try #require(try await okta.post("/Users", ["userName": "ada@example.com", "active": true]).json?["id"]?.stringValue)
        #expect(server.stop() == 0)
        try FileManager.default.removeItem(atPath: server.store + "/.git/scimgit/guard.json")
        try server.start()
        let okta2 = SCIMClient.okta(server)
        let refused = try await okta2.patch("/Users/\(id)", GuardTests.deactivate)
        #expect(refused.status == 503 && refused.json?["detail"]?.stringValue?.contains("missing") == true)
        let status = try scimgit(["guard", "status", "--repo", server.store])
        #expect(status.status == 3 && status.output.contains("is missing"), "\(status.output)")
        let reset = try scimgit(["guard", "reset", "--yes", "--repo", server.store])
        #expect(reset.status == 0, "\(reset.errors)")
        #expect(try await okta2.patch("/Users/\(id)", GuardTests.deactivate).status == 200)
        #expect(server.statusIsClean())
    }

    @Test func eachTenantHasAGuardOfItsOwn() async throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/tenants"
        var tokens: [String: String] = [:]
        for name in ["acme", "globex"] {
            let added = try scimgit(["tenant", "add", name, "--root", root])
            tokens[name] = try #require(added.output.split(separator: "\n").last.map(String.init))
        }
        let server = try ServerProcess(["--guard", "3,1h"], tenantsRoot: root)
        func deactivations(_ tenant: String, _ count: Int) async throws -> [Int] {
            let client = SCIMClient(baseURL: server.baseURL(ofTenant: tenant), authorization: tokens[tenant])
            var statuses: [Int] = []
            for index in 0..<count {
                let id = try #require(try await client.post("/Users", ["userName": .string("u\(index)@\(tenant).example"), "active": true]).json?["id"]?.stringValue)
                statuses.append(try await client.patch("/Users/\(id)", GuardTests.deactivate).status)
            }
            return statuses
        }
        #expect(try await deactivations("acme", 4) == [200, 200, 503, 503])
        #expect(try await deactivations("globex", 2) == [200, 200], "acme's count is not globex's")
        #expect(try scimgit(["guard", "status", "--repo", root + "/acme"]).status == 3)
        #expect(try scimgit(["guard", "status", "--repo", root + "/globex"]).status == 0)
    }

    @Test func settingsThatMakeNoSenseAreRefusedAtStart() throws {
        let folder = TemporaryFolder()
        for (setting, words) in [("200%", "at most 100%"), ("0", "at least 1"), ("-5", "at least 1"), ("10%,25,0m", "between 1m and 7d"), ("1h", "neither a percentage nor a count")] {
            let result = try scimgit(["serve", "--repo", folder.path + "/store", "--port", "0", "--guard=\(setting)"])
            #expect(result.status != 0 && result.errors.contains(words), "\(setting): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/store"), "refused before the store is touched")
    }
}
