import Testing
@testable import SCIM

/// What a resource type says once about its attributes, for the store: which must be
/// unique, and whether a default read may serve a stored file as it is.
@Suite("Per-type facts: unique attributes and hidden attributes")
struct ResourceTypeFactsTests {
    let urn = CustomExtension.urn

    @Test func uniqueAttributesListCoreAndExtensionPaths() throws {
        #expect(ResourceType.user.uniqueAttributes.map(\.dotted) == ["userName"])
        #expect(ResourceType.group.uniqueAttributes.isEmpty)
        let user = try CustomExtension.userType()
        let unique = user.uniqueAttributes
        #expect(unique.map(\.dotted) == ["userName", "\(urn):employeeCode"])
        let code = try #require(unique.last)
        #expect(code.caseExact && code.uniqueness == .server && code.type == .string && !code.multiValued)
        #expect(code.path == AttributePath(schema: urn, attribute: "employeeCode"))
        #expect(user.resolve(try #require(AttributePath.parseNotation(code.dotted)))?.path == code.path, "the dotted path resolves back to it")
        #expect(unique.first?.caseExact == false)
    }

    @Test func uniqueAttributeKeysCompareAsCaseExactSays() throws {
        let user = try CustomExtension.userType()
        let resource: JSONValue = ["userName": "Bob@Example.com", .init(urn): ["employeeCode": "AbC-1"]]
        #expect(user.uniqueAttributes[0].keys(in: resource) == ["bob@example.com"])
        #expect(user.uniqueAttributes[1].keys(in: resource) == ["AbC-1"])
        #expect(user.uniqueAttributes[1].keys(in: ["userName": "x"]).isEmpty)
        var registry = SchemaRegistry.standard
        try registry.addExtension(try Schema(json: try json(#"""
            {"id":"urn:x:ids","attributes":[{"name":"badges","type":"complex","multiValued":true,
              "subAttributes":[{"name":"code","type":"integer","uniqueness":"global"}]}]}
            """#)), to: "User")
        let badge = try #require(registry.user?.uniqueAttributes.last)
        #expect(badge.dotted == "urn:x:ids:badges.code" && badge.multiValued && badge.uniqueness == .global)
        #expect(badge.keys(in: ["urn:x:ids": ["badges": [["code": 7], ["code": 8]]]]) == ["7", "8"])
    }

    @Test func hidesStoredAttributesWhenSomethingIsNotReturnedByDefault() throws {
        // `password` is writeOnly but never stored: the standard types hide nothing.
        #expect(!ResourceType.user.hidesStoredAttributes && !ResourceType.group.hidesStoredAttributes)
        #expect(Projection.default.isIdentity(for: .user))
        #expect(try !Projection(attributes: "userName", excludedAttributes: nil).isIdentity(for: .user))
        let custom = try CustomExtension.userType()
        #expect(custom.hidesStoredAttributes)
        #expect(!Projection.default.isIdentity(for: custom))
        for attribute in [
            #"{"name":"a","type":"string","mutability":"writeOnly"}"#,
            #"{"name":"a","type":"string","returned":"never"}"#,
            #"{"name":"a","type":"string","returned":"request"}"#,
            #"{"name":"a","type":"complex","subAttributes":[{"name":"b","type":"string","returned":"request"}]}"#,
        ] {
            var registry = SchemaRegistry.standard
            try registry.addExtension(try Schema(json: try json(#"{"id":"urn:x:h","attributes":[\#(attribute)]}"#)), to: "Group")
            #expect(registry.group?.hidesStoredAttributes == true, "\(attribute)")
        }
        var shown = SchemaRegistry.standard
        try shown.addExtension(try Schema(json: try json(#"{"id":"urn:x:s","attributes":[{"name":"a","type":"string","returned":"always"}]}"#)), to: "Group")
        #expect(shown.group?.hidesStoredAttributes == false)
    }

    @Test func factsFollowTheSchemas() throws {
        var type = ResourceType.group
        #expect(!type.hidesStoredAttributes && type.uniqueAttributes.isEmpty)
        type.extensions.append(.init(schema: try Schema(json: try json(#"{"id":"urn:x:f","attributes":[{"name":"k","type":"string","uniqueness":"server","returned":"request"}]}"#))))
        #expect(type.hidesStoredAttributes)
        #expect(type.uniqueAttributes.map(\.dotted) == ["urn:x:f:k"])
        type.extensions = []
        #expect(!type.hidesStoredAttributes && type.uniqueAttributes.isEmpty)
    }
}
