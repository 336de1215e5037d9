import Testing
@testable import SCIM

/// Top-level keys that are attribute paths (`urn:…:User:costCenter`, `…:manager.value`,
/// `name.givenName`), as Entra sends custom attributes: never silently dropped.
@Suite("URN-qualified keys in resource bodies")
struct QualifiedKeyTests {
    let urn = CustomExtension.urn
    let validator = ResourceValidator()

    // MARK: Undeclared extensions

    @Test func undeclaredExtensionAttributeIsStoredNestedUnderItsURN() throws {
        let resource = try validator.validate(try json(#"{"userName":"bob@example.com","\#(urn):costCenter":"7"}"#), as: userType).resource
        #expect(resource == (try json(#"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(urn)"],
             "userName":"bob@example.com","\#(urn)":{"costCenter":"7"}}
            """#)))
    }

    @Test func undeclaredKeysOfEveryShapeAreKept() throws {
        let resource = try validator.validate(try json(#"""
            {"userName":"bob","\#(urn):manager.value":"boss-id","\#(urn):skills":["a","b"],"\#(urn):active":false,
             "\#(urn):nothing":null,"\#(urn):empty":[]}
            """#), as: userType).resource
        #expect(resource[.init(urn)] == ["manager": ["value": "boss-id"], "skills": ["a", "b"], "active": false])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)])
    }

    @Test func topLevelKeysJoinTheNestedObjectOfTheirURN() throws {
        let resource = try validator.validate(try json(#"""
            {"userName":"bob","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(urn)"],
             "\#(urn)":{"division":"R&D"},"\#(urn):costCenter":"7","\#(urn):manager":{"value":"boss-id"}}
            """#), as: userType).resource
        #expect(resource[.init(urn)] == ["division": "R&D", "costCenter": "7", "manager": ["value": "boss-id"]])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)])
        // Validating the stored form again changes nothing.
        #expect(try validator.validate(resource, as: userType).resource == resource)
        #expect(try validator.canonicalizeStored(resource, as: userType) == resource)
    }

    @Test func aKeyThatIsOnlyAURNWithAnObjectIsAWholeExtension() throws {
        // As before: `urn:…:acme:2.0:User` is not the attribute `User` of `urn:…:acme:2.0`.
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        let resource = try validator.validate(try json(#"{"userName":"bob","\#(acme)":{"badge":1}}"#), as: userType).resource
        #expect(resource[.init(acme)] == ["badge": 1])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(acme)])
        // An object under a full attribute path is that attribute once its URN is known
        // (listed in `schemas` or present as a key), else a whole extension as before.
        let listed = try validator.validate(try json(#"{"userName":"bob","schemas":["\#(urn)"],"\#(urn):manager":{"value":"m"}}"#), as: userType).resource
        #expect(listed[.init(urn)] == ["manager": ["value": "m"]])
        let alone = try validator.validate(try json(#"{"userName":"bob","\#(urn):manager":{"value":"m"}}"#), as: userType).resource
        #expect(alone[.init(urn + ":manager")] == ["value": "m"])
    }

    @Test func undeclaredAttributeGivenTwiceIsInvalidSyntax() throws {
        let nestedAndTopLevel = expectSCIMError(.invalidSyntax) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"costCenter":"1"},"\#(urn):COSTCENTER":"2"}"#), as: userType)
        }
        #expect(nestedAndTopLevel?.detail.contains("appears twice") == true)
        expectSCIMError(.invalidSyntax) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn):costCenter":"1","\#(urn):COSTCENTER":"2"}"#), as: userType)
        }
        expectSCIMError(.invalidSyntax) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"manager":{"value":"a"}},"\#(urn):manager.value":"b"}"#), as: userType)
        }
    }

    @Test func aSchemaOfAnotherResourceTypeAsPrefixIsRefused() {
        expectSCIMError(.invalidValue) {
            _ = try validator.validate(try json(#"{"displayName":"g","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"x"}"#), as: groupType)
        }
    }

    // MARK: Declared extensions

    @Test func declaredCustomAttributesAsTopLevelKeysAreTypedAndChecked() throws {
        let registry = try CustomExtension.registry()
        let user = try CustomExtension.userType()
        let validator = ResourceValidator(registry: registry)
        let resource = try validator.validate(try json(#"""
            {"userName":"bob","\#(urn):costCenter":"7","\#(urn):level":7.0,"\#(urn):isManager":"True",
             "\#(urn):supervisor.value":"boss-id","\#(urn):supervisor.displayName":"Boss","\#(urn):skills":"solo",
             "\#(urn):region":"emea"}
            """#), as: user).resource
        #expect(resource[.init(urn)] == [
            "costCenter": "7", "level": 7, "isManager": true, "supervisor": ["value": "boss-id", "displayName": "Boss"],
            "skills": ["solo"], "region": "EMEA",
        ])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)])
        let error = expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"userName":"bob","\#(urn):level":"seven"}"#), as: user) }
        #expect(error?.detail.contains("\(urn):level") == true)
        expectSCIMError(.invalidSyntax) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"costCenter":"1"},"\#(urn):costCenter":"2"}"#), as: user)
        }
        expectSCIMError(.invalidSyntax) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"supervisor":{"value":"a"}},"\#(urn):supervisor.value":"b"}"#), as: user)
        }
    }

    @Test func enterpriseSubAttributeKeysAreRead() throws {
        let resource = try validator.validate(try json(#"""
            {"userName":"bob","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value":"boss-id",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName":"ignored: readOnly"}
            """#), as: userType).resource
        #expect(resource[enterpriseURN] == ["manager": ["value": "boss-id"]])
    }

    @Test func dottedAndQualifiedCoreKeysAreRead() throws {
        let resource = try validator.validate(try json(#"""
            {"userName":"bob","name.givenName":"Bob","urn:ietf:params:scim:schemas:core:2.0:User:name.familyName":"Smith"}
            """#), as: userType).resource
        #expect(resource["name"] == ["givenName": "Bob", "familyName": "Smith"])
        expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(#"{"userName":"bob","name":{"givenName":"A"},"name.givenName":"B"}"#), as: userType) }
    }

    @Test func replaceNestsTopLevelKeysToo() throws {
        let existing = try validator.validate(try json(#"{"userName":"bob","\#(urn):costCenter":"7"}"#), as: userType).resource
        let replaced = try validator.validate(try json(#"{"userName":"bob","\#(urn):costCenter":"8"}"#), as: userType, existing: existing).resource
        #expect(replaced[.init(urn)] == ["costCenter": "8"])
        #expect(replaced["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)])
    }
}
