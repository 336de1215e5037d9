import Testing
@testable import SCIM

@Suite("Resource validation and canonical form")
struct ResourceValidatorTests {
    let validator = ResourceValidator()

    @Test func oktaCreateUserBody() throws {
        let validated = try validator.validate(Fixture.json("okta/create-user.json"), as: userType)
        #expect(validated.password == "1mz050nq")
        #expect(validated.resource == (try json(#"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
             "userName":"test.user@okta.local",
             "name":{"givenName":"Test","familyName":"User"},
             "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US",
             "externalId":"00ujl29u0le5T6Aj10h7",
             "active":true}
            """#)))
    }

    @Test func oktaPutEchoesGetBody() throws {
        // Okta PUTs back what GET returned: id, meta and groups are readOnly and ignored.
        let validated = try validator.validate(Fixture.json("okta/get-user-then-put.json"), as: userType)
        let resource = validated.resource
        #expect(resource["id"] == nil && resource["meta"] == nil && resource["groups"] == nil)
        #expect(resource["name"]?["familyName"] == "Userson")
        #expect(validated.password == nil)
    }

    @Test func entraCreateUserWithEnterpriseExtension() throws {
        let validated = try validator.validate(Fixture.json("entra/create-user.json"), as: userType)
        let resource = validated.resource
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(enterpriseURN)])
        #expect(resource["meta"] == nil)
        #expect(resource["roles"] == nil, "empty arrays are unassigned")
        #expect(resource[enterpriseURN] == ["employeeNumber": "E-77", "department": "Finance", "manager": ["value": "26118915-6090-4610-87e4-49d8ca9f808d"]])
    }

    @Test func entraStringBooleansAreCoerced() throws {
        let resource = try validator.validate(Fixture.json("entra/create-user-string-booleans.json"), as: userType).resource
        #expect(resource["active"] == true)
        #expect(resource["emails"]?[0]?["primary"] == true)
        #expect(resource["emails"]?[1]?["primary"] == false)
    }

    @Test(arguments: ["True", "TRUE", "true", "tRuE"])
    func booleanStringsInAnyCase(text: String) throws {
        let resource = try validator.validate(["userName": "a", "active": .string(text)], as: userType).resource
        #expect(resource["active"] == true)
    }

    @Test func entraGroupKeepsUnknownSchemaURN() throws {
        let resource = try validator.validate(Fixture.json("entra/create-group.json"), as: groupType).resource
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.group), "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"])
        #expect(resource["displayName"] == "displayName")
        #expect(resource["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159")
    }

    @Test func oktaGroupMembersAreNormalised() throws {
        let empty = try validator.validate(Fixture.json("okta/create-group.json"), as: groupType).resource
        #expect(empty == ["schemas": [.string(SCIMSchemaURN.group)], "displayName": "Eng"])
        let filled = try validator.validate(Fixture.json("okta/create-group-with-members.json"), as: groupType).resource
        #expect(filled["members"]?.arrayValue?.count == 2)
        #expect(filled["members"]?[0] == ["value": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "display": "test.user@okta.local"])
    }

    @Test func membersDropRefAndDuplicates() throws {
        let input = try json(#"""
            {"displayName":"G","members":[
              {"value":"u1","$ref":null,"type":"User"},
              {"value":"u2","$ref":"https://x/Users/u2","display":"Two"},
              {"value":"u1","display":"again"},
              "u3"]}
            """#)
        let resource = try validator.validate(input, as: groupType).resource
        #expect(resource["members"] == [["value": "u1", "type": "User"], ["value": "u2", "display": "Two"], ["value": "u3"]])
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"displayName":"G","members":[{"display":"no value"}]}"#), as: groupType) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"displayName":"G","members":[{"value":5}]}"#), as: groupType) }
    }

    @Test func rfcFullUserIsCanonicalised() throws {
        let validated = try validator.validate(Fixture.json("rfc7644/user-full.json"), as: userType)
        #expect(validated.password == "t1meMa$heen")
        let resource = validated.resource
        #expect(resource["password"] == nil && resource["groups"] == nil && resource["id"] == nil && resource["meta"] == nil)
        #expect(resource["x509Certificates"]?.arrayValue?.count == 1)
        #expect(resource["addresses"]?[0]?["primary"] == true)
        #expect(resource["name"]?["middleName"] == "Jane")
        let enterprise = try validator.validate(Fixture.json("rfc7644/user-enterprise.json"), as: userType).resource
        #expect(enterprise[enterpriseURN]?["manager"] == ["value": "26118915-6090-4610-87e4-49d8ca9f808d", "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d"], "displayName is readOnly")
        let group = try validator.validate(Fixture.json("rfc7644/group.json"), as: groupType).resource
        #expect(group["members"]?[1] == ["value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"])
    }

    @Test func attributeNamesAreCaseInsensitiveAndWrittenCanonically() throws {
        let input = try json(#"""
            {"SCHEMAS":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],"USERNAME":"bjensen","Name":{"GivenName":"B","FAMILYNAME":"J"},
             "emails":[{"VALUE":"b@x","Type":"work","PRIMARY":true}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"DEPARTMENT":"Tours"}}
            """#)
        let resource = try validator.validate(input, as: userType).resource
        #expect(resource == (try json(#"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"bjensen","name":{"givenName":"B","familyName":"J"},
             "emails":[{"value":"b@x","type":"work","primary":true}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours"}}
            """#)))
    }

    @Test func canonicalisingTwiceChangesNothing() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let withAcme = ResourceValidator(registry: registry)
        let cases: [(String, ResourceType, ResourceValidator)] = [
            ("okta/create-user.json", userType, validator), ("okta/get-user-then-put.json", userType, validator),
            ("okta/create-user-extensions.json", userType, validator), ("okta/create-user-extensions.json", registry.user!, withAcme),
            ("entra/create-user.json", userType, validator), ("entra/create-user-string-booleans.json", userType, validator),
            ("entra/create-group.json", groupType, validator), ("okta/create-group-with-members.json", groupType, validator),
            ("rfc7644/user-full.json", userType, validator), ("rfc7644/user-enterprise.json", userType, validator),
            ("rfc7644/group.json", groupType, validator),
        ]
        for (name, type, validator) in cases {
            let once = try validator.validate(Fixture.json(name), as: type).resource
            let twice = try validator.validate(once, as: type).resource
            #expect(once == twice, "\(name)")
            #expect(once.serialized(.canonical) == twice.serialized(.canonical))
            let stored = try validator.canonicalizeStored(once, as: type)
            #expect(stored == once, "\(name)")
        }
    }

    @Test func storedFormKeepsReadOnlyAttributes() throws {
        let stored = try validator.canonicalizeStored(Fixture.json("rfc7644/user-full.json"), as: userType)
        #expect(stored["id"] == "2819c223-7f76-453a-919d-413861904646")
        #expect(stored["meta"]?["created"] == "2010-01-23T04:56:22Z")
        #expect(stored["groups"]?.arrayValue?.count == 3)
        #expect(stored["password"] == nil)
    }

    // MARK: Required attributes

    @Test(arguments: [
        #"{}"#, #"{"userName":""}"#, #"{"userName":null}"#, #"{"displayName":"x"}"#,
    ])
    func userNameIsRequired(body: String) throws {
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(body), as: userType) }
    }

    @Test(arguments: [#"{}"#, #"{"displayName":""}"#, #"{"members":[]}"#])
    func groupDisplayNameIsRequired(body: String) throws {
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(body), as: groupType) }
    }

    @Test func requiredExtensionsAndExtensionAttributes() throws {
        var registry = SchemaRegistry.standard
        let schema = try Schema(json: try json(#"{"id":"urn:x:req","attributes":[{"name":"code","type":"string","required":true},{"name":"note","type":"string"}]}"#))
        try registry.addExtension(schema, to: "Group", required: true)
        let validator = ResourceValidator(registry: registry)
        let group = try #require(registry.group)
        expectSCIMError(.invalidValue) { _ = try validator.validate(["displayName": "G"], as: group) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(["displayName": "G", "urn:x:req": ["note": "n"]], as: group) }
        let ok = try validator.validate(["displayName": "G", "urn:x:req": ["code": "c"]], as: group).resource
        #expect(ok["schemas"] == [.string(SCIMSchemaURN.group), "urn:x:req"])
    }

    // MARK: Types

    @Test(arguments: [
        #"{"userName":5}"#,
        #"{"userName":"a","active":"yes"}"#,
        #"{"userName":"a","active":1}"#,
        #"{"userName":"a","name":"Barbara"}"#,
        #"{"userName":"a","name":{"givenName":7}}"#,
        #"{"userName":"a","emails":[["x"]]}"#,
        #"{"userName":"a","emails":[{"value":"x","primary":"maybe"}]}"#,
        #"{"userName":"a","displayName":["a","b"]}"#,
        #"{"userName":"a","addresses":["1 Main St"]}"#,
        #"{"userName":"a","password":12345}"#,
        #"{"userName":"a","schemas":[5]}"#,
        #"{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}"#,
        #"{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":[{"value":"a"},{"value":"b"}]}}"#,
    ])
    func wrongTypesAreInvalidValue(body: String) throws {
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(body), as: userType) }
    }

    @Test func lenientShapes() throws {
        let input = try json(#"""
            {"userName":"a","displayName":["Only"],"emails":{"value":"single@x"},"phoneNumbers":["+1 555"],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"boss-id"}}
            """#)
        let resource = try validator.validate(input, as: userType).resource
        #expect(resource["displayName"] == "Only")
        #expect(resource["emails"] == [["value": "single@x"]])
        #expect(resource["phoneNumbers"] == [["value": "+1 555"]])
        #expect(resource[enterpriseURN]?["manager"] == ["value": "boss-id"])
    }

    @Test func typedExtensionValuesAreCheckedAndCoerced() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let validator = ResourceValidator(registry: registry)
        let user = try #require(registry.user)
        let resource = try validator.validate(Fixture.json("okta/create-user-extensions.json"), as: user).resource
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        #expect(resource[acme] == ["badgeNumber": 4711, "costCentre": "CC-42", "isContractor": true, "hireDate": "2024-02-29T09:00:00Z"])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(enterpriseURN), .string(acme)])
        expectSCIMError(.invalidValue) { _ = try validator.validate(["userName": "a", .init(acme): ["badgeNumber": "x"]], as: user) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(["userName": "a", .init(acme): ["badgeNumber": 1.5]], as: user) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(["userName": "a", .init(acme): ["hireDate": "yesterday"]], as: user) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(["userName": "a", .init(acme): ["skills": ["a", 2]]], as: user) }
        let integral = try validator.validate(["userName": "a", .init(acme): ["badgeNumber": 7.0, "skills": "solo"]], as: user).resource
        #expect(integral[acme] == ["badgeNumber": 7, "skills": ["solo"]])
    }

    @Test func decimalAttributesKeepDecimals() throws {
        var registry = SchemaRegistry.standard
        try registry.addExtension(try Schema(json: try json(#"{"id":"urn:x:n","attributes":[{"name":"score","type":"decimal"}]}"#)), to: "User")
        let validator = ResourceValidator(registry: registry)
        let resource = try validator.validate(["userName": "a", "urn:x:n": ["score": 3]], as: registry.user!).resource
        #expect(resource["urn:x:n"]?["score"] == .decimal(3.0))
        #expect(resource.serializedString().contains(#""score":3.0"#))
        expectSCIMError(.invalidValue) { _ = try validator.validate(["userName": "a", "urn:x:n": ["score": "3"]], as: registry.user!) }
    }

    // MARK: Primary

    @Test func atMostOnePrimaryPerAttribute() throws {
        let two = try json(#"{"userName":"a","emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":"True"}]}"#)
        let error = expectSCIMError(.invalidValue) { _ = try validator.validate(two, as: userType) }
        #expect(error?.detail.contains("primary") == true)
        let one = try json(#"{"userName":"a","emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":false}],"phoneNumbers":[{"value":"1","primary":true}]}"#)
        #expect((try? validator.validate(one, as: userType)) != nil)
    }

    // MARK: readOnly, writeOnly, immutable

    @Test func readOnlyAttributesFromTheClientAreIgnored() throws {
        let input = try json(#"""
            {"id":"client-chosen","meta":{"created":"2020-01-01T00:00:00Z"},"groups":[{"value":"g1"}],"userName":"a",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m","displayName":"Boss"}}}
            """#)
        let resource = try validator.validate(input, as: userType).resource
        #expect(resource == (try json(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}}}"#)))
    }

    @Test func passwordIsNeverKept() throws {
        let validated = try validator.validate(["userName": "a", "PASSWORD": "s3cret"], as: userType)
        #expect(validated.password == "s3cret")
        #expect(!validated.resource.serializedString().contains("s3cret"))
        #expect(try validator.validate(["userName": "a", "password": nil], as: userType).password == nil)
    }

    @Test func immutableAttributesCannotChangeOnReplace() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let validator = ResourceValidator(registry: registry)
        let user = try #require(registry.user)
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        let existing = try validator.validate(["userName": "a", .init(acme): ["badgeNumber": 1, "costCentre": "x"]], as: user).resource
        let changed: JSONValue = ["userName": "a", .init(acme): ["badgeNumber": 2]]
        expectSCIMError(.mutability) { _ = try validator.validate(changed, as: user, existing: existing) }
        let same = try validator.validate(["userName": "b", .init(acme): ["badgeNumber": 1]], as: user, existing: existing).resource
        #expect(same[acme]?["badgeNumber"] == 1)
        // Omitted on replace: the existing value is kept (it cannot be cleared), and the
        // extension is listed in `schemas` again.
        let omitted = try validator.validate(["userName": "b"], as: user, existing: existing).resource
        #expect(omitted[acme] == ["badgeNumber": 1])
        #expect(omitted["schemas"]?.arrayValue?.contains(.string(acme)) == true)
        // Not set before: may be set now.
        let unset = try validator.validate(["userName": "a"], as: user).resource
        let set = try validator.validate(["userName": "a", .init(acme): ["badgeNumber": 9]], as: user, existing: unset).resource
        #expect(set[acme]?["badgeNumber"] == 9)
    }

    // MARK: Unknown attributes and schemas

    @Test func unknownCoreAttributesAreIgnored() throws {
        let resource = try validator.validate(try json(#"{"userName":"a","favouriteColour":"blue","name":{"givenName":"A","nickname":"x"}}"#), as: userType).resource
        #expect(resource == (try json(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"A"}}"#)))
    }

    @Test func unknownExtensionsAreKeptAsSent() throws {
        let resource = try validator.validate(Fixture.json("okta/create-user-extensions.json"), as: userType).resource
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        #expect(resource[acme] == ["badgeNumber": 4711, "costCentre": "CC-42", "isContractor": "True", "hireDate": "2024-02-29T09:00:00Z"])
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user), .string(enterpriseURN), .string(acme)])
        // Present but not listed: still kept, and listed.
        let unlisted = try validator.validate(["userName": "a", "urn:x:custom": ["k": 1]], as: userType).resource
        #expect(unlisted["schemas"] == [.string(SCIMSchemaURN.user), "urn:x:custom"])
        #expect(unlisted["urn:x:custom"] == ["k": 1])
    }

    @Test func knownExtensionListedButAbsentIsDropped() throws {
        let resource = try validator.validate(["schemas": [.string(SCIMSchemaURN.user), .string(enterpriseURN)], "userName": "a"], as: userType).resource
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user)])
    }

    @Test func schemasOfAnotherResourceTypeAreRefused() throws {
        expectSCIMError(.invalidValue) { _ = try validator.validate(["schemas": [.string(SCIMSchemaURN.group)], "userName": "a"], as: userType) }
        expectSCIMError(.invalidValue) { _ = try validator.validate(["displayName": "g", .init(enterpriseURN): ["department": "x"]], as: groupType) }
    }

    @Test func missingSchemasIsAccepted() throws {
        let resource = try validator.validate(["userName": "a"], as: userType).resource
        #expect(resource["schemas"] == [.string(SCIMSchemaURN.user)])
    }

    @Test func urnQualifiedCoreAttributes() throws {
        let resource = try validator.validate(try json(#"{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"q","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"D"}"#), as: userType).resource
        #expect(resource["userName"] == "q")
        #expect(resource[enterpriseURN] == ["department": "D"])
    }

    @Test func sameAttributeTwiceInDifferentCaseIsInvalidSyntax() throws {
        expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(#"{"userName":"a","USERNAME":"b"}"#), as: userType) }
        expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(#"{"userName":"a","name":{"givenName":"a","GIVENNAME":"b"}}"#), as: userType) }
        expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(#"{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"a"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"b"}"#), as: userType) }
    }

    @Test func nonObjectBodyIsInvalidSyntax() {
        expectSCIMError(.invalidSyntax) { _ = try validator.validate(["a"], as: userType) }
        expectSCIMError(.invalidSyntax) { _ = try validator.canonicalizeStored("x", as: userType) }
    }

    @Test func emptyComplexValuesAreUnassigned() throws {
        let resource = try validator.validate(try json(#"{"userName":"a","name":{},"emails":[{}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":""}}}"#), as: userType).resource
        #expect(resource == ["schemas": [.string(SCIMSchemaURN.user)], "userName": "a"])
    }
}
