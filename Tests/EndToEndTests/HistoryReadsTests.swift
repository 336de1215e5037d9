import Foundation
import SCIM
import Testing
import TestSupport

/// Reads as of a past point: what the API answered at a commit, a snapshot or a time,
/// through `asOf=` and `Accept-Datetime`, with the commit's time in `Memento-Datetime`.
@Suite("End to end: reads from history")
struct HistoryReadsTests {
    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test func theAPIAnswersAsItDidAtACommitASnapshotAndATime() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com", "active": true]).json?["id"]?.stringValue)
        let bob = try #require(try await okta.post("/Users", ["userName": "bob@example.com"]).json?["id"]?.stringValue)
        let created = try await okta.post("/Groups", ["displayName": "Sales", "members": [["value": .string(ada)]]])
        let sales = try #require(created.json?["id"]?.stringValue)
        let adaThen = try await okta.get("/Users/\(ada)")
        let then = try server.lastCommit("%H")
        let thenTime = try #require(Int(try server.lastCommit("%ct")))
        #expect(try scimgit(["snapshot", "create", "before-sync", "--repo", server.store]).status == 0)
        // Later, by at least a second (commit times are whole seconds).
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await okta.patch("/Users/\(ada)", [["op": "replace", "value": ["active": false, "userName": "ada.lovelace@example.com"]]]).status == 200)
        #expect(try await okta.delete("/Users/\(bob)").status == 204)
        #expect(try await okta.patch("/Groups/\(sales)", [["op": "remove", "path": .string("members[value eq \"\(ada)\"]")]]).status == 200)

        for point in [then, String(then.prefix(10)), "before-sync"] {
            let old = try await okta.get("/Users/\(ada)?asOf=\(point)")
            #expect(old.status == 200, "\(point)")
            #expect(old.json?["userName"] == "ada@example.com")
            #expect(old.json?["active"] == true)
            #expect(old.json?["groups"]?[0]?["value"]?.stringValue == sales)
            #expect(old.header("ETag") == adaThen.header("ETag"), "the version it had then")
            #expect(old.header("Memento-Datetime") == httpDate(thenTime))
            // Deleted since, there then.
            #expect(try await okta.get("/Users/\(bob)?asOf=\(point)").status == 200)
        }
        #expect(try await okta.get("/Users/\(bob)").status == 404)
        // Filters and members answer from that commit's indexes.
        let filter = Self.escaped("userName eq \"ada@example.com\"")
        let found = try await okta.get("/Users?filter=\(filter)&asOf=before-sync")
        #expect(found.json?["totalResults"] == 1)
        #expect(try await okta.get("/Users?filter=\(filter)").json?["totalResults"] == 0)
        #expect(try await okta.get("/Users?asOf=before-sync").json?["totalResults"] == 2)
        let group = try await okta.get("/Groups/\(sales)?asOf=before-sync")
        #expect(group.json?["members"]?.arrayValue?.count == 1)
        #expect(try await okta.get("/Groups/\(sales)").json?["members"]?.arrayValue?.count ?? 0 == 0)
        let searched = try await okta.send(.POST, "/.search?asOf=before-sync", json: [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "active eq true"])
        #expect(searched.json?["totalResults"] == 1)

        // Accept-Datetime: the last commit at or before that second.
        let byTime = try await okta.get("/Users/\(ada)", headers: [("Accept-Datetime", httpDate(thenTime))])
        #expect(byTime.json?["userName"] == "ada@example.com")
        #expect(byTime.header("Memento-Datetime") == httpDate(thenTime))
        #expect(try await okta.get("/Users/\(ada)").json?["userName"] == "ada.lovelace@example.com")

        // Unknown points, bad points, and writes with a point.
        let unknown = try await okta.get("/Users/\(ada)?asOf=0123456789abcdef0123")
        #expect(unknown.status == 404)
        #expect(try await okta.get("/Users/\(ada)?asOf=no-such-snapshot").status == 404)
        #expect(try await okta.get("/Users/\(ada)?asOf=2001-01-01T00:00:00Z").status == 404)
        #expect(try await okta.get("/Users/\(ada)?asOf=\(Self.escaped("HEAD~1"))").json?["scimType"] == "invalidValue")
        #expect(try await okta.get("/Users/\(ada)", headers: [("Accept-Datetime", "yesterday")]).json?["scimType"] == "invalidValue")
        let commits = try server.commitCount()
        let write = try await okta.send(.POST, "/Users?asOf=before-sync", json: ["userName": "carol@example.com"])
        #expect(write.status == 400)
        #expect(try await okta.send(.DELETE, "/Users/\(ada)", headers: [("Accept-Datetime", httpDate(thenTime))]).status == 400)
        #expect(try server.commitCount() == commits)
    }

    private func httpDate(_ seconds: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
