import Foundation
import SCIM
import Testing
import TestSupport

/// Entra ID's default provisioning job end to end: its matching filters, string booleans,
/// PATCH quirks (capitalised ops, filtered paths that create elements, dotted keys, a bare
/// manager id and `{"value":""}` clearing it, removing members by value array), group
/// reads without members, the ADSCIM schema URN, and deprovisioning by DELETE.
@Suite("End to end: Entra ID provisioning", .serialized)
struct EntraProvisioningTests {
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    @Test func defaultJob() async throws {
        let server = try ServerProcess()
        let entra = SCIMClient.entra(server)
        var commits = try server.commitCount()

        // "Test connection": filter for a random user and group.
        var response = try await entra.get("/Users?filter=\(query("userName eq \"ffd8b7a6-6dff-4a6c-8ae3-6f3e04f20d3b\""))")
        #expect(response.status == 200)
        #expect(response.json?["totalResults"] == 0)

        // Create with string booleans, and the enterprise extension.
        response = try await entra.post("/Users", try fixture("entra/create-user-string-booleans.json"))
        #expect(response.status == 201)
        let young = try #require(response.json)
        let youngID = try #require(young["id"]?.stringValue)
        #expect(young["active"] == true)
        #expect(young["emails"]?[0]?["primary"] == true)
        response = try await entra.post("/Users", try fixture("entra/create-user.json"))
        #expect(response.status == 201)
        let test = try #require(response.json)
        let testID = try #require(test["id"]?.stringValue)
        #expect(test[Self.enterprise]?["department"] == "Finance")
        commits += 2
        #expect(try server.lastCommit("%an") == "entra")

        // Matching filters Entra uses, including an unquoted value from its docs.
        for filter in [
            "userName eq \"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1\"",
            "externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"",
            "emails[type eq \"work\"].value eq \"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com\"",
            "userName eq \"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1\" and externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"",
        ] {
            response = try await entra.get("/Users?filter=\(query(filter))")
            #expect(response.json?["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [testID], "\(filter)")
        }
        response = try await entra.get("/Users?filter=\(query("externalId eq jyoung"))")
        #expect(response.json?["Resources"]?[0]?["id"]?.stringValue == youngID)
        // An unsupported or malformed filter is a 400, never all or nothing.
        for filter in ["userName eq", "userName zz \"x\"", "(userName eq \"x\"", "emails[type eq \"work\""] {
            response = try await entra.get("/Users?filter=\(query(filter))")
            #expect(response.status == 400, "\(filter)")
            #expect(response.json?["scimType"] == "invalidFilter")
        }

        // PATCH quirks.
        response = try await entra.patch("/Users/\(testID)", try fixture("entra/patch-user-update.json")["Operations"]!)
        #expect(response.status == 200)
        #expect(response.json?["emails"]?[0]?["value"] == "updatedEmail@microsoft.com")
        #expect(response.json?["name"]?["familyName"] == "updatedFamilyName")
        response = try await entra.patch("/Users/\(testID)", try fixture("entra/patch-add-attributes.json")["Operations"]!)
        #expect(response.status == 200)
        #expect(response.json?["phoneNumbers"]?[0]?["type"] == "work")
        response = try await entra.patch("/Users/\(testID)", try fixture("entra/patch-dotted-keys.json")["Operations"]!)
        #expect(response.json?["name"]?["givenName"] == "Alex")
        #expect(response.json?[Self.enterprise]?["department"] == "Research")
        response = try await entra.patch("/Users/\(testID)", [["op": "Add", "path": .string(Self.enterprise + ":manager"), "value": .string(youngID)]])
        #expect(response.json?[Self.enterprise]?["manager"]?["value"]?.stringValue == youngID)
        response = try await entra.patch("/Users/\(testID)", try fixture("entra/patch-manager-clear.json")["Operations"]!)
        #expect(response.json?[Self.enterprise]?["manager"] == nil)
        response = try await entra.patch("/Users/\(testID)", try fixture("entra/patch-disable-user.json")["Operations"]!)
        #expect(response.json?["active"] == false)
        commits += 6
        #expect(try server.lastCommit("%s") == "Deactivate user Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1")

        // Groups: the extra ADSCIM schema URN is accepted; reads without members.
        response = try await entra.post("/Groups", try fixture("entra/create-group.json"))
        #expect(response.status == 201)
        let groupID = try #require(response.json?["id"]?.stringValue)
        response = try await entra.post("/Groups", try fixture("entra/create-group.json"))
        #expect(response.status == 409)
        response = try await entra.patch("/Groups/\(groupID)", [["op": "Add", "path": "members", "value": [["$ref": .null, "value": .string(youngID)], ["value": .string(testID)]]]])
        #expect(response.status == 200)
        response = try await entra.get("/Groups?filter=\(query("displayName eq \"displayName\""))&excludedAttributes=members")
        #expect(response.json?["Resources"]?[0]?["id"]?.stringValue == groupID)
        #expect(response.json?["Resources"]?[0]?["members"] == nil)
        response = try await entra.get("/Groups/\(groupID)?excludedAttributes=members")
        #expect(response.json?["members"] == nil)
        #expect(response.json?["displayName"] == "displayName")
        // Remove one member by value array: only that one.
        response = try await entra.patch("/Groups/\(groupID)", [["op": "Remove", "path": "members", "value": [["$ref": .null, "value": .string(youngID)]]]])
        #expect(response.status == 200)
        response = try await entra.get("/Groups/\(groupID)")
        #expect(response.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [testID])
        response = try await entra.patch("/Groups/\(groupID)", try fixture("entra/patch-rename-group.json")["Operations"]!)
        #expect(response.status == 200)
        commits += 4
        #expect(try server.lastCommit("%s") == "Rename group displayName to 1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName")

        // Deprovision: DELETE (204), then 404; the user leaves its groups in the same commit.
        response = try await entra.delete("/Users/\(testID)")
        #expect(response.status == 204)
        commits += 1
        #expect(try git(["show", "--name-only", "--format=", "HEAD"], in: server.store).contains("/members/"))
        response = try await entra.delete("/Users/\(testID)")
        #expect(response.status == 404)
        response = try await entra.get("/Groups/\(groupID)")
        #expect(response.json?["members"] == nil)

        #expect(try server.commitCount() == commits)
        #expect(server.statusIsClean())
        #expect(try server.fsckIsClean())
    }

    @Test func membersMustExist() async throws {
        let server = try ServerProcess()
        let entra = SCIMClient.entra(server)
        let response = try await entra.post("/Groups", [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G",
            "members": [["value": "f648f8d5-ea3d-4105-87fd-49dd6e8d6467"]],
        ])
        #expect(response.status == 400)
        #expect(response.json?["scimType"] == "invalidValue")
        #expect(try server.commitCount() == 1)
    }
}
