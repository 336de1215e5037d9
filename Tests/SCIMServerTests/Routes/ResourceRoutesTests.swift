import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// Create, read, replace, patch and delete as Okta and Entra do them, checking what the
/// client sees: status, headers and body.
@Suite struct ResourceRoutesTests {
    @Test func createAnswers201WithLocationETagAndTheFullResource() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let body = try Fixtures.json("okta/create-user.json")
            let response = try await client.scim(.post, "Users", json: body)
            #expect(response.status == .created)
            let json = try response.json
            let id = try #require(json["id"]?.stringValue)
            #expect(json["userName"] == "test.user@okta.local")
            #expect(json["name"]?["givenName"] == "Test")
            #expect(json["active"] == true)
            #expect(json["password"] == nil)
            #expect(response.headers[.location] == "http://localhost/scim/v2/Users/\(id)")
            #expect(json["meta"]?["location"]?.stringValue == response.headers[.location])
            let etag = try #require(response.headers[.eTag])
            #expect(etag.hasPrefix("W/\""))
            #expect(json["meta"]?["version"]?.stringValue == etag)
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func createOfAGroupWithEntrasExtraSchema() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.post, "Groups", json: try Fixtures.json("entra/create-group.json"))
            #expect(response.status == .created)
            #expect(try response.json["displayName"]?.stringValue != nil)
            #expect(response.headers[.location]?.hasPrefix("http://localhost/scim/v2/Groups/") == true)
        }
    }

    @Test func duplicateUserNameInAnyCaseIs409Uniqueness() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            _ = try await client.createUser("ada@example.com")
            var duplicate = try Fixtures.json("okta/create-user.json")
            duplicate["userName"] = "ADA@example.com"
            let response = try await client.scim(.post, "Users", json: duplicate)
            #expect(response.status == .conflict)
            let error = try #require(response.scimError)
            #expect(error.status == 409)
            #expect(error.scimType == .uniqueness)
            #expect(try response.json["schemas"] == [.string(SCIMError.schemaURN)])
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func readAnswers200WithETag() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("grace@example.com")
            let response = try await client.scim(.get, "Users/\(id)")
            #expect(response.status == .ok)
            #expect(try response.json["id"]?.stringValue == id)
            #expect(try response.json["userName"] == "grace@example.com")
            #expect(response.headers[.eTag] == (try response.json["meta"]?["version"]?.stringValue))
        }
    }

    @Test(arguments: ["010101001010101011001010101011", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "no%20such"])
    func unknownIdIs404WithTheSCIMErrorSchema(id: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Users/\(id)")
            #expect(response.status == .notFound)
            let json = try response.json
            #expect(json["schemas"] == [.string("urn:ietf:params:scim:api:messages:2.0:Error")])
            #expect(json["status"] == "404")
            #expect(json["detail"]?.stringValue?.isEmpty == false)
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func theIdIsPercentDecodedBeforeItReachesTheService() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            _ = try await client.scim(.get, "Users/a%2Fb%20c")
            #expect(service.lastCall?.id == "a/b c")
        }
    }

    @Test func putReplacesAndAnswers200WithTheResource() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("test.user@okta.local")
            // Okta sends back its own GET body with the changes.
            var body = try await client.scim(.get, "Users/\(id)").json
            body["displayName"] = "Test Userson"
            body["name"]?["familyName"] = "Userson"
            let response = try await client.scim(.put, "Users/\(id)", json: body)
            #expect(response.status == .ok)
            #expect(try response.json["id"]?.stringValue == id)
            #expect(try response.json["displayName"] == "Test Userson")
            #expect(response.headers[.eTag] == (try response.json["meta"]?["version"]?.stringValue))
        }
    }

    @Test func patchDeactivatesAndAnswers200() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("leaving@example.com")
            let response = try await client.scim(.patch, "Users/\(id)", json: try Fixtures.json("okta/deactivate-user.json"))
            #expect(response.status == .ok)
            #expect(try response.json["active"] == false)
            #expect(try response.json["id"]?.stringValue == id)
            #expect(response.headers[.eTag] != nil)
            // Still readable, inactive.
            #expect(try await client.scim(.get, "Users/\(id)").json["active"] == false)
        }
    }

    @Test func patchWithEntrasQuirks() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("entra@example.com")
            let response = try await client.scim(.patch, "Users/\(id)", json: try Fixtures.json("entra/patch-disable-user.json"))
            #expect(response.status == .ok)
            #expect(try response.json["active"] == false)
        }
    }

    @Test func putAndPatchHonourAttributesAndExcludedAttributes() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("projected@example.com")
            let patched = try await client.scim(
                .patch, "Users/\(id)?attributes=userName", json: try Fixtures.json("okta/deactivate-user.json"))
            #expect(patched.status == .ok)
            let patchedJSON = try patched.json
            #expect(patchedJSON["userName"] == "projected@example.com")
            #expect(patchedJSON["id"]?.stringValue == id)
            #expect(patchedJSON["active"] == nil)
            #expect(patchedJSON["name"] == nil)

            var body = try await client.scim(.get, "Users/\(id)").json
            body["displayName"] = "Projected"
            let replaced = try await client.scim(.put, "Users/\(id)?excludedAttributes=name,emails", json: body)
            #expect(replaced.status == .ok)
            let replacedJSON = try replaced.json
            #expect(replacedJSON["displayName"] == "Projected")
            #expect(replacedJSON["name"] == nil)
            #expect(replacedJSON["emails"] == nil)

            let read = try await client.scim(.get, "Users/\(id)?attributes=emails.value")
            #expect(try read.json["userName"] == nil)
            #expect(try read.json["emails"]?[0]?["value"] == "test.user@okta.local")
        }
    }

    @Test func deleteAnswers204ThenTheIdIs404() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("gone@example.com")
            let deleted = try await client.scim(.delete, "Users/\(id)")
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            #expect(try await client.scim(.get, "Users/\(id)").status == .notFound)
            #expect(try await client.scim(.delete, "Users/\(id)").status == .notFound)
        }
    }

    @Test func groupLifecycleWithOktaPushGroupsBodies() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let created = try await client.scim(.post, "Groups", json: try Fixtures.json("okta/create-group.json"))
            #expect(created.status == .created)
            let id = try #require(try created.json["id"]?.stringValue)
            var rename = try Fixtures.json("okta/rename-group.json")
            rename["Operations"] = [["op": "replace", "value": ["id": .string(id), "displayName": "Engineering"]]]
            let renamed = try await client.scim(.patch, "Groups/\(id)", json: rename)
            #expect(renamed.status == .ok)
            #expect(try renamed.json["displayName"] == "Engineering")
            #expect(try await client.scim(.delete, "Groups/\(id)").status == .noContent)
        }
    }

    @Test func invalidPatchBodiesAre400() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let id = try await client.createUser("patch@example.com")
            let response = try await client.scim(.patch, "Users/\(id)", json: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]])
            #expect(response.status == .badRequest)
            #expect(response.scimError?.scimType == .invalidSyntax)
        }
    }

    @Test func theServiceReceivesTheClientRequestIDAndBaseURL() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            _ = try await client.scim(.get, "Users", token: TestServer.entraToken, headers: [.requestID: "entra-42"])
            let call = try #require(service.lastCall)
            #expect(call.context.client == "entra")
            #expect(call.context.requestID == "entra-42")
            #expect(call.context.baseURL == "http://localhost/scim/v2")
        }
    }
}
