import Testing
@testable import SCIM

@Suite("Discovery documents")
struct DiscoveryTests {
    let base = "https://example.com/scim/v2"

    @Test func serviceProviderConfigFollowsSection5() {
        let settings = ServiceProviderSettings(documentationURI: "https://docs.example.com", bulkSupported: true, bulkMaxOperations: 1000, bulkMaxPayloadSize: 1_048_576, filterMaxResults: 200)
        let config = Discovery.serviceProviderConfig(settings, baseURL: base)
        #expect(config["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
        #expect(config["documentationUri"] == "https://docs.example.com")
        #expect(config["patch"] == ["supported": true])
        #expect(config["bulk"] == ["supported": true, "maxOperations": 1000, "maxPayloadSize": 1_048_576])
        #expect(config["filter"] == ["supported": true, "maxResults": 200])
        #expect(config["changePassword"] == ["supported": false])
        #expect(config["sort"] == ["supported": true])
        #expect(config["etag"] == ["supported": true])
        #expect(config["authenticationSchemes"]?[0]?["type"] == "oauthbearertoken")
        #expect(config["authenticationSchemes"]?[0]?["specUri"] == "http://www.rfc-editor.org/info/rfc6750")
        #expect(config["authenticationSchemes"]?[0]?["primary"] == true)
        #expect(config["meta"]?["location"] == "https://example.com/scim/v2/ServiceProviderConfig")
        #expect(config["meta"]?["resourceType"] == "ServiceProviderConfig")
        let minimal = Discovery.serviceProviderConfig(ServiceProviderSettings(authenticationSchemes: [
            AuthenticationScheme(type: "httpbasic", name: "HTTP Basic", description: "d", documentationURI: "https://d"),
        ]), baseURL: base)
        #expect(minimal["documentationUri"] == nil)
        #expect(minimal["authenticationSchemes"] == [["type": "httpbasic", "name": "HTTP Basic", "description": "d", "documentationUri": "https://d", "primary": false]])
    }

    @Test func resourceTypesFollowSection6() throws {
        let list = Discovery.resourceTypes(.standard, baseURL: base)
        #expect(list["totalResults"] == 2)
        #expect(list["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
        let user = try #require(list["Resources"]?[0])
        #expect(user == [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User", "name": "User", "endpoint": "/Users", "description": "User Account",
            "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
            "schemaExtensions": [["schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "required": false]],
            "meta": ["location": "https://example.com/scim/v2/ResourceTypes/User", "resourceType": "ResourceType"],
        ])
        #expect(Discovery.resourceType(id: "Group", in: .standard, baseURL: base)?["schemaExtensions"] == [])
        #expect(Discovery.resourceType(id: "Nope", in: .standard, baseURL: base) == nil)
    }

    @Test func schemasIncludeLoadedExtensions() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let list = Discovery.schemas(registry, baseURL: base)
        #expect(list["totalResults"] == 4)
        #expect(list["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [
            SCIMSchemaURN.user, enterpriseURN, "urn:ietf:params:scim:schemas:extension:acme:2.0:User", SCIMSchemaURN.group,
        ])
        let acme = try #require(Discovery.schema(id: "urn:ietf:params:scim:schemas:extension:acme:2.0:User", in: registry, baseURL: base))
        #expect(acme["attributes"]?.arrayValue?.count == 6)
        #expect(Discovery.schema(id: "urn:nope", in: registry, baseURL: base) == nil)
        #expect(Discovery.resourceType(id: "User", in: registry, baseURL: base)?["schemaExtensions"]?.arrayValue?.count == 2)
    }

    @Test func urlsAreJoinedWithoutDoubleSlashes() {
        #expect(DiscoveryURL.join("https://h/scim/v2/", "/Users", "abc") == "https://h/scim/v2/Users/abc")
        #expect(DiscoveryURL.join("https://h", "Schemas") == "https://h/Schemas")
    }
}
