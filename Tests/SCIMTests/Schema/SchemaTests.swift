import Testing
@testable import SCIM

@Suite("Standard schemas")
struct SchemaTests {
    @Test func userHasEveryAttributeOfRFC7643Section4_1() {
        let names = Schema.user.attributes.map(\.name)
        #expect(names == [
            "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage",
            "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses",
            "groups", "entitlements", "roles", "x509Certificates",
        ])
        #expect(Schema.user.attribute(named: "name")?.subAttributes.map(\.name) == [
            "formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix",
        ])
        #expect(Schema.user.attribute(named: "addresses")?.subAttributes.map(\.name) == [
            "formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary",
        ])
        for name in ["emails", "phoneNumbers", "ims", "photos", "entitlements", "roles", "x509Certificates"] {
            let attribute = Schema.user.attribute(named: name)
            #expect(attribute?.multiValued == true && attribute?.type == .complex, "\(name)")
            #expect(attribute?.subAttributes.map(\.name) == ["value", "display", "type", "primary"], "\(name)")
        }
    }

    @Test func userCharacteristicsFollowSection8_7_1() throws {
        let userName = try #require(Schema.user.attribute(named: "userName"))
        #expect(userName.required && !userName.caseExact && userName.uniqueness == .server && userName.mutability == .readWrite)
        let password = try #require(Schema.user.attribute(named: "password"))
        #expect(password.mutability == .writeOnly && password.returned == .never)
        let groups = try #require(Schema.user.attribute(named: "groups"))
        #expect(groups.mutability == .readOnly && groups.subAttributes.allSatisfy { $0.mutability == .readOnly })
        #expect(groups.subAttribute(named: "type")?.canonicalValues == ["direct", "indirect"])
        #expect(Schema.user.attribute(named: "emails")?.subAttribute(named: "type")?.canonicalValues == ["work", "home", "other"])
        #expect(Schema.user.attribute(named: "phoneNumbers")?.subAttribute(named: "type")?.canonicalValues == ["work", "home", "mobile", "fax", "pager", "other"])
        #expect(Schema.user.attribute(named: "ims")?.subAttribute(named: "type")?.canonicalValues == ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"])
        #expect(Schema.user.attribute(named: "photos")?.subAttribute(named: "value")?.type == .reference)
        #expect(Schema.user.attribute(named: "photos")?.subAttribute(named: "value")?.referenceTypes == ["external"])
        #expect(Schema.user.attribute(named: "x509Certificates")?.subAttribute(named: "value")?.type == .binary)
        #expect(Schema.user.attribute(named: "active")?.type == .boolean)
        #expect(Schema.user.attribute(named: "profileUrl")?.type == .reference)
    }

    @Test func enterpriseUserAndGroup() throws {
        #expect(Schema.enterpriseUser.attributes.map(\.name) == ["employeeNumber", "costCenter", "organization", "division", "department", "manager"])
        let manager = try #require(Schema.enterpriseUser.attribute(named: "manager"))
        #expect(manager.subAttributes.map(\.name) == ["value", "$ref", "displayName"])
        #expect(manager.subAttribute(named: "displayName")?.mutability == .readOnly)
        #expect(manager.hasValueSubAttribute && !manager.identifiesElementsByValue)
        let members = try #require(Schema.group.attribute(named: "members"))
        #expect(members.identifiesElementsByValue)
        #expect(members.subAttribute(named: "value")?.mutability == .immutable)
        #expect(members.subAttribute(named: "$REF")?.referenceTypes == ["User", "Group"])
        #expect(Schema.group.attribute(named: "displayName")?.required == true)
        #expect(try #require(Schema.user.attribute(named: "groups")).identifiesElementsByValue)
        #expect(try #require(Schema.user.attribute(named: "emails")).identifiesElementsByValue == false)
    }

    @Test func lookupsAreCaseInsensitive() {
        #expect(Schema.user.attribute(named: "USERNAME")?.name == "userName")
        #expect(Schema.user.attribute(named: "name")?.subAttribute(named: "GIVENNAME")?.name == "givenName")
        #expect(Schema.user.attribute(named: "nope") == nil)
        #expect(ResourceType.user.coreAttribute(named: "ID")?.name == "id")
        #expect(ResourceType.user.coreAttribute(named: "meta")?.subAttribute(named: "lastmodified")?.type == .dateTime)
        #expect(ResourceType.user.extensionSchema(enterpriseURN.lowercased())?.id == enterpriseURN)
        #expect(ResourceType.user.schemaURNs == [SCIMSchemaURN.user, enterpriseURN])
        #expect(ResourceType.group.hasSchema(SCIMSchemaURN.group.uppercased()))
    }

    @Test func commonAttributes() {
        #expect(CommonAttributes.id.returned == .always && CommonAttributes.id.caseExact && CommonAttributes.id.mutability == .readOnly)
        #expect(CommonAttributes.externalId.caseExact && CommonAttributes.externalId.mutability == .readWrite)
        #expect(CommonAttributes.meta.mutability == .readOnly)
        #expect(CommonAttributes.named("EXTERNALID")?.name == "externalId")
    }
}
