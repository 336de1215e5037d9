import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`: readable without a token and
/// consistent with the server's real settings.
@Suite struct DiscoveryRoutesTests {
    @Test func serviceProviderConfigNeedsNoTokenAndReflectsTheConfiguration() async throws {
        let app = try TestServer.application {
            $0.paging = PagingLimits(defaultCount: 50, maxCount: 200)
            $0.serviceProvider.bulkSupported = false  // the server does bulk: overridden
            $0.serviceProvider.bulkMaxOperations = 5  // and says its own limit
        }
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "ServiceProviderConfig", token: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/scim+json")
            let json = try response.json
            #expect(json["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
            #expect(json["bulk"] == ["supported": true, "maxOperations": 1000, "maxPayloadSize": 10_485_760])
            #expect(json["filter"]?["supported"] == true)
            #expect(json["filter"]?["maxResults"] == 200)
            #expect(json["etag"]?["supported"] == true)
            #expect(json["patch"]?["supported"] == true)
            #expect(json["authenticationSchemes"]?[0]?["type"] == "oauthbearertoken")
            #expect(json["meta"]?["location"] == "http://localhost/scim/v2/ServiceProviderConfig")
        }
    }

    @Test func resourceTypesAndOneByID() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let list = try await client.scim(.get, "ResourceTypes", token: nil)
            #expect(list.status == .ok)
            #expect(try list.json["totalResults"] == 2)
            let user = try await client.scim(.get, "ResourceTypes/User", token: nil)
            #expect(user.status == .ok)
            #expect(try user.json["endpoint"] == "/Users")
            #expect(try user.json["meta"]?["location"] == "http://localhost/scim/v2/ResourceTypes/User")
            let unknown = try await client.scim(.get, "ResourceTypes/Device", token: nil)
            #expect(unknown.status == .notFound)
            #expect(unknown.scimError?.status == 404)
        }
    }

    @Test func schemasAndOneByURN() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let list = try await client.scim(.get, "Schemas", token: nil)
            #expect(list.status == .ok)
            let ids = try #require(try list.json["Resources"]?.arrayValue).compactMap { $0["id"]?.stringValue }
            #expect(ids.contains("urn:ietf:params:scim:schemas:core:2.0:User"))
            #expect(ids.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))
            let group = try await client.scim(.get, "Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", token: nil)
            #expect(group.status == .ok)
            #expect(try group.json["name"] == "Group")
            let encoded = try await client.scim(.get, "Schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AUser", token: nil)
            #expect(encoded.status == .ok)
            #expect(try await client.scim(.get, "Schemas/urn:nope", token: nil).status == .notFound)
        }
    }

    @Test func aFilterOnDiscoveryIs403() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Schemas?filter=id+eq+%22x%22", token: nil)
            #expect(response.status == .forbidden)
            #expect(response.scimError?.status == 403)
        }
    }
}
