import Foundation
import SCIM
import Testing
import TestSupport

/// Okta's "SCIM 2.0 Test App (Header Auth)" end to end, as Okta's documentation describes it:
/// test credentials, import, create, duplicate, profile update by GET + PUT, deactivate,
/// reactivate, and Push Groups — against the real binary and a real store, checking the
/// answers and the git side: one commit per successful write, none per read or failed
/// write, commits naming the user and authored by the client, status and fsck clean.
@Suite("End to end: Okta lifecycle", .serialized)
struct OktaLifecycleTests {
    @Test func fullLifecycle() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        var commits = try server.commitCount()

        // "Test API Credentials": an empty store is fine.
        var response = try await okta.get("/Users?startIndex=1&count=2")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/scim+json") == true)
        #expect(response.json?["totalResults"] == 0)

        // Does the user exist? (spaces as %20, and as +)
        let body = try fixture("okta/create-user.json")
        let userName = body["userName"]!.stringValue!
        response = try await okta.get("/Users?filter=\(query("userName eq \"\(userName)\""))&startIndex=1&count=100")
        #expect(response.status == 200)
        #expect(response.json?["totalResults"] == 0)
        response = try await okta.get("/Users?filter=userName+eq+%22\(userName)%22&startIndex=1&count=100")
        #expect(response.json?["totalResults"] == 0)
        #expect(try server.commitCount() == commits)

        // Create.
        response = try await okta.post("/Users", body)
        #expect(response.status == 201)
        let user = try #require(response.json)
        let id = try #require(user["id"]?.stringValue)
        #expect(response.header("Location") == server.baseURL + "/Users/" + id)
        #expect(response.header("ETag") == user["meta"]?["version"]?.stringValue)
        #expect(user["password"] == nil)
        #expect(user["active"] == true)
        commits += 1
        #expect(try server.commitCount() == commits)
        #expect(try server.lastCommit("%an|%s") == "okta|Create user \(userName)")

        // Create again, any case: 409 uniqueness, no commit.
        var duplicate = body
        duplicate["userName"] = .string(userName.uppercased())
        response = try await okta.post("/Users", duplicate)
        #expect(response.status == 409)
        #expect(response.json?["scimType"] == "uniqueness")
        #expect(response.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
        #expect(try server.commitCount() == commits)

        // The existence check finds it now, whatever the case.
        response = try await okta.get("/Users?filter=\(query("userName eq \"\(userName.uppercased())\""))&startIndex=1&count=100")
        #expect(response.json?["totalResults"] == 1)
        #expect(response.json?["Resources"]?[0]?["id"]?.stringValue == id)

        // Profile update: GET, then PUT of that very body with changes.
        response = try await okta.get("/Users/\(id)")
        #expect(response.status == 200)
        var own = try #require(response.json)
        own["name"] = ["givenName": "Testy", "familyName": "User"]
        own["title"] = "Engineer"
        response = try await okta.put("/Users/\(id)", own)
        #expect(response.status == 200)
        #expect(response.json?["name"]?["givenName"] == "Testy")
        commits += 1
        #expect(try server.commitCount() == commits)
        #expect(try server.lastCommit("%s") == "Update user \(userName)")
        #expect(try server.lastCommit("%b").contains("name.givenName: \"Test\" → \"Testy\""))

        // Deactivate and reactivate: path-less replace with an object value.
        response = try await okta.patch("/Users/\(id)", try fixture("okta/deactivate-user.json")["Operations"]!)
        #expect(response.status == 200)
        #expect(response.json?["active"] == false)
        #expect(response.json?["id"]?.stringValue == id)
        response = try await okta.get("/Users/\(id)")
        #expect(response.json?["active"] == false)
        response = try await okta.patch("/Users/\(id)", try fixture("okta/reactivate-user.json")["Operations"]!)
        #expect(response.json?["active"] == true)
        commits += 2
        #expect(try server.subjects(2) == ["Reactivate user \(userName)", "Deactivate user \(userName)"])

        // Import: pages of 100 until totalResults, same order each time.
        let second = try await okta.post("/Users", ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "second@okta.local", "active": true])
        let secondID = try #require(second.json?["id"]?.stringValue)
        commits += 1
        response = try await okta.get("/Users?startIndex=1&count=100")
        #expect(response.json?["totalResults"] == 2)
        #expect(response.json?["itemsPerPage"] == 2)
        #expect(response.json?["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id, secondID])

        // Push Groups.
        response = try await okta.get("/Groups?filter=\(query("displayName eq \"Eng\""))&startIndex=1&count=100")
        #expect(response.json?["totalResults"] == 0)
        response = try await okta.post("/Groups", ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Eng", "members": []])
        #expect(response.status == 201)
        let groupID = try #require(response.json?["id"]?.stringValue)
        commits += 1
        // Rename (re-sent with every membership update, id inside the value) + add members.
        response = try await okta.patch("/Groups/\(groupID)", [
            ["op": "replace", "value": ["id": .string(groupID), "displayName": "Engineering"]],
            ["op": "add", "path": "members", "value": [["value": .string(id), "display": .string(userName)], ["value": .string(secondID), "display": "second@okta.local"]]],
        ])
        #expect(response.status == 200)
        commits += 1
        #expect(try server.lastCommit("%s") == "Rename group Eng to Engineering; add 2 members")
        response = try await okta.get("/Users/\(id)")
        #expect(response.json?["groups"]?[0]?["value"]?.stringValue == groupID)
        #expect(response.json?["groups"]?[0]?["display"] == "Engineering")
        // Remove a member.
        response = try await okta.patch("/Groups/\(groupID)", [["op": "remove", "path": .string("members[value eq \"\(secondID)\"]")]])
        #expect(response.status == 200)
        commits += 1
        #expect(try server.lastCommit("%s") == "Remove 1 member from group Engineering")
        // Full push.
        response = try await okta.patch("/Groups/\(groupID)", [["op": "replace", "path": "members", "value": [["value": .string(secondID)]]]])
        #expect(response.status == 200)
        commits += 1
        response = try await okta.get("/Groups/\(groupID)")
        #expect(response.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [secondID])
        // Delete the group in the target app.
        response = try await okta.delete("/Groups/\(groupID)")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        commits += 1
        response = try await okta.get("/Groups/\(groupID)")
        #expect(response.status == 404)

        // Git: one commit per successful write, all authored by okta; clean store.
        #expect(try server.commitCount() == commits)
        #expect(try git(["log", "--format=%an", "-\(commits - 1)"], in: server.store).split(separator: "\n").allSatisfy { $0 == "okta" })
        #expect(server.statusIsClean())
        #expect(try server.fsckIsClean())
        // The password Okta always sends is nowhere in history.
        let password = body["password"]!.stringValue!
        #expect(!(try git(["log", "-p", "--all"], in: server.store)).contains(password))
        #expect(server.stop() == 0)
        #expect(try git(["status", "--porcelain"], in: server.store).isEmpty)
    }

    @Test func unknownIdsAndBadCredentials() async throws {
        let server = try ServerProcess()
        let commits = try server.commitCount()
        let okta = SCIMClient.okta(server)
        var response = try await okta.get("/Users/010101001010101011001010101011")
        #expect(response.status == 404)
        #expect(response.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
        #expect(response.json?["status"] == "404")
        for authorization in ["non-token", "Bearer", "Bearer ", "Basic b2t0YTpzZWNyZXQ=", "Bearer " + ServerProcess.oktaToken.dropLast() + "X", ServerProcess.oktaToken.uppercased()] {
            response = try await SCIMClient(baseURL: server.baseURL, authorization: authorization).post("/Users", ["userName": "x@y.com"])
            #expect(response.status == 401, "\(authorization)")
            #expect(response.header("Content-Type")?.hasPrefix("application/scim+json") == true)
            #expect(response.json?["status"] == "401")
        }
        response = try await SCIMClient(baseURL: server.baseURL, authorization: nil).get("/Users")
        #expect(response.status == 401)
        // Both forms of the right token work, the scheme in any case.
        response = try await SCIMClient(baseURL: server.baseURL, authorization: "bearer " + ServerProcess.oktaToken).get("/Users")
        #expect(response.status == 200)
        // Discovery needs no token.
        response = try await SCIMClient(baseURL: server.baseURL, authorization: nil).get("/ServiceProviderConfig")
        #expect(response.status == 200)
        #expect(response.json?["patch"]?["supported"] == true)
        #expect(response.json?["bulk"]?["supported"] == true)
        // /Me is not implemented, and says so as a SCIM error; an empty bulk request is refused.
        response = try await okta.send(.POST, "/Me", json: [:])
        #expect(response.status == 501)
        #expect(response.json?["status"] == "501")
        response = try await okta.send(.POST, "/Bulk", json: [:])
        #expect(response.status == 400)
        #expect(response.json?["scimType"] == "invalidSyntax")
        #expect(try server.commitCount() == commits)
        #expect(!server.log.contains(ServerProcess.oktaToken))
        #expect(!server.log.contains(ServerProcess.entraToken))
    }

    @Test func conditionalRequests() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let created = try await okta.post("/Users", ["userName": "etag@example.com"])
        let id = try #require(created.json?["id"]?.stringValue)
        let etag = try #require(created.header("ETag"))
        var response = try await okta.get("/Users/\(id)", headers: [("If-None-Match", etag)])
        #expect(response.status == 304)
        response = try await okta.patch("/Users/\(id)", [["op": "replace", "path": "displayName", "value": "E"]], headers: [("If-Match", etag)])
        #expect(response.status == 200)
        let commits = try server.commitCount()
        response = try await okta.patch("/Users/\(id)", [["op": "replace", "path": "displayName", "value": "F"]], headers: [("If-Match", etag)])
        #expect(response.status == 412)
        response = try await okta.delete("/Users/\(id)", headers: [("If-Match", etag)])
        #expect(response.status == 412)
        #expect(try server.commitCount() == commits)
        response = try await okta.get("/Users/\(id)", headers: [("If-None-Match", etag)])
        #expect(response.status == 200)
    }
}
