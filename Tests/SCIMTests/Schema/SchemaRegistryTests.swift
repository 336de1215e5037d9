import Testing
@testable import SCIM

@Suite("Schema registry and extension loading")
struct SchemaRegistryTests {
    static let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"

    @Test func standardRegistry() {
        let registry = SchemaRegistry.standard
        #expect(registry.resourceTypes.map(\.id) == ["User", "Group"])
        #expect(registry.schemas.map(\.id) == [SCIMSchemaURN.user, enterpriseURN, SCIMSchemaURN.group])
        #expect(registry.resourceType(endpoint: "/Users")?.id == "User")
        #expect(registry.resourceType(endpoint: "groups")?.id == "Group")
        #expect(registry.resourceType(id: "group")?.endpoint == "/Groups")
        #expect(registry.resourceType(coreSchema: SCIMSchemaURN.group)?.id == "Group")
        #expect(registry.schema(id: enterpriseURN.uppercased())?.name == "EnterpriseUser")
        #expect(registry.user?.id == "User" && registry.group?.id == "Group")
        #expect(registry.resourceType(id: "Device") == nil)
    }

    @Test func loadsOktaCustomExtensionFromJSON() throws {
        var registry = SchemaRegistry.standard
        let added = try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        #expect(added.map(\.id) == [Self.acme])
        let user = try #require(registry.user)
        #expect(user.extensions.map(\.schema.id) == [enterpriseURN, Self.acme])
        let badge = try #require(user.extensionSchema(Self.acme)?.attribute(named: "badgeNumber"))
        #expect(badge.type == .integer && badge.mutability == .immutable && badge.uniqueness == .server)
        #expect(user.extensionSchema(Self.acme)?.attribute(named: "skills")?.multiValued == true)
        #expect(registry.schemas.map(\.id).contains(Self.acme))
    }

    @Test func loadsAListOrAListResponse() throws {
        let one = #"{"id":"urn:x:one","name":"One","attributes":[{"name":"a","type":"string"}]}"#
        let two = #"{"id":"urn:x:two","name":"Two","attributes":[{"name":"b","type":"complex","subAttributes":[{"name":"c","type":"integer"}]}]}"#
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: try json("[\(one),\(two)]"), to: "Group", required: true)
        #expect(registry.group?.extensions.map(\.schema.id) == ["urn:x:one", "urn:x:two"])
        #expect(registry.group?.extensions.allSatisfy(\.required) == true)
        var other = SchemaRegistry.standard
        try other.loadExtensions(from: try json(#"{"Resources":[\#(one)]}"#), to: "User")
        #expect(other.user?.extensionSchema("urn:x:one") != nil)
    }

    @Test(arguments: [
        (#"5"#, SCIMType.invalidSyntax),
        (#"{"name":"x","attributes":[]}"#, .invalidValue),
        (#"{"id":"noturn","attributes":[]}"#, .invalidValue),
        (#"{"id":"urn:x:y"}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"type":"string"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"bad name","type":"string"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"text"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"complex"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"complex","subAttributes":[{"name":"b","type":"complex","subAttributes":[{"name":"c","type":"string"}]}]}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"string"},{"name":"A","type":"string"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"string","mutability":"sometimes"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"string","multiValued":"yes"}]}"#, .invalidValue),
        (#"{"id":"urn:x:y","attributes":[{"name":"a","type":"string","canonicalValues":[1]}]}"#, .invalidValue),
        (#"{"id":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","attributes":[{"name":"a","type":"string"}]}"#, .invalidValue),
        (#"{"id":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:sub","attributes":[{"name":"a","type":"string"}]}"#, .invalidValue),
    ])
    func refusesInvalidSchemaDocuments(document: String, type: SCIMType) throws {
        var registry = SchemaRegistry.standard
        let before = registry
        expectSCIMError(type) { try registry.loadExtensions(from: try json(document), to: "User") }
        #expect(registry == before)
    }

    @Test func refusesUnknownResourceTypesAndLoadsAllOrNothing() throws {
        var registry = SchemaRegistry.standard
        expectSCIMError(.invalidValue) { try registry.addExtension(Schema(id: "urn:x:z", name: "Z", attributes: []), to: "Device") }
        let good = #"{"id":"urn:x:good","attributes":[{"name":"a","type":"string"}]}"#
        let duplicate = "[\(good),\(good)]"
        expectSCIMError(.invalidValue) { try registry.loadExtensions(from: try json(duplicate), to: "User") }
        #expect(registry.schema(id: "urn:x:good") == nil, "the first schema of a failing document is not kept")
        try registry.loadExtensions(from: try json(good), to: "User")
        #expect(registry.schema(id: "urn:x:good") != nil)
    }
}
