import Testing
@testable import SCIM

@Suite("Attribute paths")
struct AttributePathTests {
    @Test(arguments: [
        ("userName", nil as String?, "userName", nil as String?),
        ("name.givenName", nil, "name", "givenName"),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:core:2.0:User", "userName", nil),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"),
        ("members.$ref", nil, "members", "$ref"),
        ("x-custom_1", nil, "x-custom_1", nil),
    ])
    func parsesNotation(text: String, schema: String?, attribute: String, sub: String?) throws {
        let path = try AttributePath.parse(text)
        #expect(path.schema == schema && path.attribute == attribute && path.subAttribute == sub)
        #expect(path.valueFilter == nil)
        #expect(path.description == text)
    }

    @Test func everyRFC7644PatchPathParses() throws {
        for text in try Fixture.strings("rfc7644/patch-paths.json") {
            let path = try AttributePath.parse(text)
            #expect(path.description == text, "\(text)")
        }
        let last = try AttributePath.parse(#"members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName"#)
        #expect(last.attribute == "members" && last.subAttribute == "displayName")
        #expect(last.valueFilter == .compare(AttributePath(attribute: "value"), .eq, "2819c223-7f76-453a-919d-413861904646"))
    }

    @Test func resolvesAgainstAResourceType() throws {
        let path = try AttributePath.parse(#"EMAILS[TYPE eq "work"].VALUE"#, for: userType)
        #expect(path == AttributePath(attribute: "emails", subAttribute: "value", valueFilter: .compare(AttributePath(attribute: "type"), .eq, "work")))
        #expect(path.dotted == "emails.value")
        let qualified = try AttributePath.parse("urn:ietf:params:scim:schemas:core:2.0:user:NAME.familyname", for: userType)
        #expect(qualified == AttributePath(attribute: "name", subAttribute: "familyName"))
        let ext = try AttributePath.parse("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:employeeNUMBER", for: userType)
        #expect(ext == AttributePath(schema: enterpriseURN, attribute: "employeeNumber"))
        #expect(ext.dotted == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")
        let unknownExtension = try AttributePath.parse("urn:acme:ext:1.0:User:shoeSize", for: userType)
        #expect(unknownExtension == AttributePath(schema: "urn:acme:ext:1.0:User", attribute: "shoeSize"))
        let whole = try AttributePath.parse(enterpriseURN.lowercased(), for: userType)
        #expect(whole.schema.map { $0 + ":" + whole.attribute } == enterpriseURN)
    }

    @Test func resolutionKnowsDefinitions() throws {
        let resolved = try #require(userType.resolve(AttributePath(schema: enterpriseURN, attribute: "MANAGER", subAttribute: "VALUE")))
        #expect(resolved.container == .extension(enterpriseURN))
        #expect(resolved.definition?.name == "manager" && resolved.subDefinition?.name == "value")
        #expect(resolved.effectiveDefinition?.name == "value")
        #expect(resolved.extensionURN == enterpriseURN)
        let id = try #require(groupType.resolve(AttributePath(attribute: "ID")))
        #expect(id.container == .core && id.definition?.returned == .always)
        #expect(userType.resolve(AttributePath(attribute: "nope")) == nil)
        #expect(userType.resolve(AttributePath(attribute: "userName", subAttribute: "x")) == nil)
        #expect(userType.resolve(AttributePath(attribute: "name", subAttribute: "nope")) == nil)
        #expect(userType.resolve(AttributePath(schema: SCIMSchemaURN.group, attribute: "displayName")) == nil)
        #expect(userType.resolve(AttributePath(schema: enterpriseURN, attribute: "nope")) == nil)
    }

    @Test(arguments: [
        "", "   ", "1abc", "name..givenName", "name.givenName.extra", "emails[type eq \"work\"", "emails[type eq]",
        "emails[type eq \"work\"]x", "emails[type eq \"work\"].", "emails.value[type eq \"work\"]", "emails[type eq \"work\"] junk",
        "urn:", ":userName", "user name", "emails[type[value eq 1] eq 2]", "\"quoted\"", "(userName)", "emails[]",
        "emails[type eq \"work\"].1bad",
    ])
    func malformedPathsAreInvalidPath(text: String) {
        expectSCIMError(.invalidPath) { _ = try AttributePath.parse(text) }
    }

    @Test(arguments: ["nope", "name.nope", "userName.x", "userName[value eq 1]", "emails[nope eq 1]", "urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "urn:ietf:params:scim:schemas:core:2.0:User", "name.givenName:x", "urn:userName"])
    func unknownAttributesAreInvalidPathForAType(text: String) {
        expectSCIMError(.invalidPath) { _ = try AttributePath.parse(text, for: userType) }
    }

    @Test func attributeNames() {
        #expect(AttributePath.isValidAttributeName("userName"))
        #expect(AttributePath.isValidAttributeName("$ref"))
        #expect(AttributePath.isValidAttributeName("a-b_c9"))
        #expect(!AttributePath.isValidAttributeName(""))
        #expect(!AttributePath.isValidAttributeName("9a"))
        #expect(!AttributePath.isValidAttributeName("a.b"))
        #expect(!AttributePath.isValidAttributeName("é"))
        #expect(!AttributePath.isValidAttributeName("$other"))
    }

    @Test func tooLongPathsAreRefused() {
        expectSCIMError(.invalidPath) { _ = try AttributePath.parse("a" + String(repeating: "b", count: 5000)) }
    }
}
