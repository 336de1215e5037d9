import Foundation
import SCIM
import Testing
import TestSupport

/// `POST /Bulk` against a real store: each operation that succeeds is one commit with the
/// bulk request's id and its place in it; one that fails commits nothing.
@Suite("End to end: bulk")
struct BulkTests {
    @Test func eachOperationIsItsOwnCommitAndAFailureCommitsNothing() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let before = try server.commitCount()
        let response = try await okta.send(.POST, "/Bulk", json: [
            "schemas": [.string(SCIMSchemaURN.bulkRequest)],
            "Operations": [
                ["method": "POST", "path": "/Users", "bulkId": "ada", "data": ["userName": "ada@example.com", "active": true]],
                ["method": "POST", "path": "/Users", "bulkId": "dup", "data": ["userName": "ADA@example.com"]],
                ["method": "POST", "path": "/Groups", "bulkId": "eng", "data": ["displayName": "Engineering", "members": [["value": "bulkId:ada"]]]],
                ["method": "PATCH", "path": "/Users/bulkId:ada", "data": [
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "replace", "path": "active", "value": false]]]],
            ],
        ], headers: [("X-Request-Id", "bulk-run-7")])
        #expect(response.status == 200)
        let results = try #require(response.json?["Operations"]?.arrayValue)
        #expect(results.map { $0["status"] } == ["201", "409", "201", "200"])
        #expect(results[1]["response"]?["scimType"] == "uniqueness")
        // Three commits (the duplicate made none), oldest first, each naming its operation.
        #expect(try server.commitCount() == before + 3)
        let log = try git(["log", "-3", "--reverse", "--format=%s%n%(trailers:key=SCIM-Request-Id,key=SCIM-Bulk-Operation)%x00"], in: server.store)
        let commits = log.split(separator: "\0").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        #expect(commits.count == 3)
        #expect(commits.allSatisfy { $0.contains("SCIM-Request-Id: bulk-run-7") }, "\(commits)")
        #expect(commits[0].contains("SCIM-Bulk-Operation: 1 of 4 (bulkId ada)"), "\(commits[0])")
        #expect(commits[1].contains("SCIM-Bulk-Operation: 3 of 4 (bulkId eng)"), "\(commits[1])")
        #expect(commits[2].contains("SCIM-Bulk-Operation: 4 of 4"), "\(commits[2])")
        // The group holds the user created in the same request, who is now inactive.
        let userID = String(try #require(results[0]["location"]?.stringValue).split(separator: "/").last!)
        let user = try await okta.get("/Users/\(userID)")
        #expect(user.json?["active"] == false)
        #expect(user.json?["groups"]?[0]?["display"] == "Engineering")
        #expect(user.header("ETag") == results[3]["version"]?.stringValue)
        #expect(server.statusIsClean())
        #expect(try server.fsckIsClean())
    }
}
