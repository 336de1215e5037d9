import Testing
@testable import SCIM

@Suite("Schema representation (RFC 7643 §7)")
struct SchemaRepresentationTests {
    @Test func standardSchemasRoundTripThroughTheirJSON() throws {
        // Everything but `enforcesCanonicalValues`, which is no §7 field: a schema read
        // from JSON enforces its canonical values, the built-in ones only suggest theirs.
        func suggesting(_ attribute: AttributeDefinition) -> AttributeDefinition {
            var copy = attribute
            copy.enforcesCanonicalValues = false
            copy.setSubAttributes(attribute.subAttributes.map(suggesting))
            return copy
        }
        for schema in SchemaRegistry.standard.schemas {
            let representation = schema.json(baseURL: "https://example.com/v2")
            let parsed = try Schema(json: representation)
            let relaxed = Schema(id: parsed.id, name: parsed.name, description: parsed.description, attributes: parsed.attributes.map(suggesting))
            #expect(relaxed == schema, "\(schema.id)")
            #expect(parsed.json(baseURL: "https://example.com/v2") == representation)
        }
    }

    @Test func canonicalValuesReadFromJSONAreEnforced() throws {
        let parsed = try Schema(json: Schema.user.json(baseURL: "https://h/v2"))
        #expect(parsed.attribute(named: "emails")?.subAttribute(named: "type")?.enforcesCanonicalValues == true)
        #expect(parsed.attribute(named: "userName")?.enforcesCanonicalValues == false, "no canonical values, nothing to enforce")
        #expect(Schema.user.attribute(named: "emails")?.subAttribute(named: "type")?.enforcesCanonicalValues == false)
        let type = try #require(parsed.attribute(named: "emails")?.subAttribute(named: "type"))
        #expect(type.canonicalValue(matching: "WORK") == "work")
        #expect(type.canonicalValue(matching: "mobile") == nil)
    }

    @Test func attributeRepresentationHasTheSection7Fields() throws {
        let userName = try #require(Schema.user.attribute(named: "userName")).json
        #expect(userName == [
            "name": "userName", "type": "string", "multiValued": false,
            "description": .string(Schema.user.attribute(named: "userName")!.description),
            "required": true, "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "server",
        ])
        let active = try #require(Schema.user.attribute(named: "active")).json
        #expect(active["caseExact"] == nil && active["uniqueness"] == nil)
        let profileUrl = try #require(Schema.user.attribute(named: "profileUrl")).json
        #expect(profileUrl["referenceTypes"] == ["external"])
        let emails = try #require(Schema.user.attribute(named: "emails")).json
        #expect(emails["subAttributes"]?.arrayValue?.count == 4)
        #expect(emails["subAttributes"]?[2]?["canonicalValues"] == ["work", "home", "other"])
    }

    @Test func schemaRepresentationHasMetaLocation() {
        let json = Schema.enterpriseUser.json(baseURL: "https://h/scim/v2/")
        #expect(json["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:Schema"])
        #expect(json["meta"]?["location"] == "https://h/scim/v2/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        #expect(json["meta"]?["resourceType"] == "Schema")
        #expect(json["id"] == .string(enterpriseURN))
    }

    @Test func defaultsApplyWhenCharacteristicsAreOmitted() throws {
        let schema = try Schema(json: try json(#"{"id":"urn:x:d","attributes":[{"name":"a","type":"STRING"}]}"#))
        let a = try #require(schema.attribute(named: "a"))
        #expect(a.type == .string && !a.multiValued && !a.required && !a.caseExact)
        #expect(a.mutability == .readWrite && a.returned == .default && a.uniqueness == .none)
        #expect(schema.name == "" && schema.description == "")
    }
}
