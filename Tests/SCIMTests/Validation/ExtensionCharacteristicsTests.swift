import Testing
@testable import SCIM

/// Every RFC 7643 §7 characteristic of a custom extension read from JSON, enforced on
/// POST, PUT and PATCH alike.
@Suite("Characteristics of custom extension attributes")
struct ExtensionCharacteristicsTests {
    let urn = CustomExtension.urn
    let registry: SchemaRegistry
    let user: ResourceType
    let validator: ResourceValidator
    let engine: PatchEngine

    init() throws {
        registry = try CustomExtension.registry()
        user = try #require(registry.user)
        validator = ResourceValidator(registry: registry)
        engine = PatchEngine(registry: registry)
    }

    func create(_ members: String) throws -> JSONValue {
        try validator.validate(try json(#"{"userName":"bob","\#(urn)":{\#(members)}}"#), as: user).resource
    }

    func stored(_ members: String) throws -> JSONValue {
        var resource = try create(members)
        resource["id"] = "u1"
        return resource
    }

    func patch(_ resource: JSONValue, _ operations: String) throws -> PatchOutcome {
        try engine.apply(PatchRequest(json: try json(#"{"Operations":\#(operations)}"#)), to: resource, as: user)
    }

    // MARK: Types

    @Test(arguments: [
        (#""costCenter":5"#, "costCenter"),
        (#""level":"7""#, "level"),
        (#""level":1.5"#, "level"),
        (#""rate":"1.5""#, "rate"),
        (#""isManager":"yes""#, "isManager"),
        (#""startDate":"tomorrow""#, "startDate"),
        (#""startDate":"2024-02-30T00:00:00Z""#, "startDate"),
        (#""homepage":"my home page""#, "homepage"),
        (#""badgePhoto":"not base64!""#, "badgePhoto"),
        (#""badgePhoto":"QUJD=""#, "badgePhoto"),
        (#""supervisor":["a","b"]"#, "supervisor"),
        (#""supervisor":true"#, "supervisor"),
        (#""badges":[{"value":"b","primary":"maybe"}]"#, "badges.primary"),
        (#""skills":["a",2]"#, "skills"),
    ])
    func wrongTypesAreInvalidValueNamingTheAttribute(members: String, attribute: String) throws {
        // POST
        let posted = expectSCIMError(.invalidValue) { _ = try create(members) }
        #expect(posted?.detail.contains("\(urn):\(attribute)") == true, "\(posted?.detail ?? "")")
        // PUT
        let existing = try stored(#""costCenter":"1""#)
        expectSCIMError(.invalidValue) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{\#(members)}}"#), as: user, existing: existing)
        }
        // PATCH, with a path and without one; nothing is applied.
        let name = String(members.split(separator: ":")[0].dropFirst().dropLast())
        let value = String(members.dropFirst(name.count + 3))
        let patched = expectSCIMError(.invalidValue) { _ = try patch(existing, #"[{"op":"replace","path":"\#(urn):\#(name)","value":\#(value)}]"#) }
        #expect(patched?.detail.contains(name) == true, "\(patched?.detail ?? "")")
        expectSCIMError(.invalidValue) { _ = try patch(existing, #"[{"op":"add","value":{"\#(urn)":{\#(members)}}}]"#) }
    }

    @Test func valuesOfEveryTypeAreStoredCanonically() throws {
        let resource = try create(#"""
            "costCenter":"CC-1","level":3.0,"rate":2,"isManager":"FALSE","startDate":"2024-02-29T09:00:00+01:00",
            "homepage":"https://example.com/~bob","badgePhoto":"QUJD","skills":"solo",
            "supervisor":"boss-id","badges":{"value":"b1","type":"primary"}
            """#)
        #expect(resource[.init(urn)] == [
            "costCenter": "CC-1", "level": 3, "rate": 2.0, "isManager": false, "startDate": "2024-02-29T09:00:00+01:00",
            "homepage": "https://example.com/~bob", "badgePhoto": "QUJD", "skills": ["solo"],
            "supervisor": ["value": "boss-id"], "badges": [["value": "b1", "type": "primary"]],
        ])
        for base64 in ["", "QQ==", "QUI=", "QUJDRA", "-_-_", "+/+/"] {
            #expect(try create(#""badgePhoto":"\#(base64)""#)[.init(urn)]?["badgePhoto"] == .string(base64), "\(base64)")
        }
        #expect(try create(#""homepage":"../Users/2819c223""#)[.init(urn)]?["homepage"] == "../Users/2819c223")
    }

    // MARK: Canonical values

    @Test func canonicalValuesOfADeclaredSchemaAreEnforced() throws {
        #expect(try create(#""region":"apac""#)[.init(urn)]?["region"] == "APAC", "stored in the canonical spelling")
        let error = expectSCIMError(.invalidValue) { _ = try create(#""region":"Mars""#) }
        #expect(error?.detail.contains("\(urn):region") == true)
        #expect(error?.detail.contains(#""EMEA", "APAC", "AMER""#) == true, "\(error?.detail ?? "")")
        // caseExact: the letter case is part of the value.
        #expect(try create(#""code":"b2""#)[.init(urn)]?["code"] == "b2")
        expectSCIMError(.invalidValue) { _ = try create(#""code":"a1""#) }
        // Sub-attributes too.
        #expect(try create(#""badges":[{"value":"x","type":"BACKUP"}]"#)[.init(urn)]?["badges"] == [["value": "x", "type": "backup"]])
        expectSCIMError(.invalidValue) { _ = try create(#""badges":[{"value":"x","type":"spare"}]"#) }
        // PATCH and PUT.
        let existing = try stored(#""region":"EMEA""#)
        #expect(try patch(existing, #"[{"op":"replace","path":"\#(urn):region","value":"amer"}]"#).resource[.init(urn)]?["region"] == "AMER")
        expectSCIMError(.invalidValue) { _ = try patch(existing, #"[{"op":"replace","path":"\#(urn):region","value":"Mars"}]"#) }
        expectSCIMError(.invalidValue) { _ = try patch(existing, #"[{"op":"add","path":"\#(urn):badges[value eq \"x\"].type","value":"spare"}]"#) }
        expectSCIMError(.invalidValue) {
            _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"region":"Mars"}}"#), as: user, existing: existing)
        }
    }

    @Test func canonicalValuesOfTheBuiltInSchemasAreSuggestions() throws {
        // RFC 7643 §2.3.1; Okta and Entra send types the RFC does not list.
        let resource = try ResourceValidator().validate(try json(#"{"userName":"bob","emails":[{"value":"a@x","type":"Work2"}],"phoneNumbers":[{"value":"1","type":"MOBILE"}]}"#), as: userType).resource
        #expect(resource["emails"] == [["value": "a@x", "type": "Work2"]])
        #expect(resource["phoneNumbers"] == [["value": "1", "type": "MOBILE"]])
        #expect(Schema.user.attribute(named: "emails")?.subAttribute(named: "type")?.enforcesCanonicalValues == false)
        #expect(user.extensionSchema(urn)?.attribute(named: "region")?.enforcesCanonicalValues == true)
    }

    // MARK: Required

    @Test func requiredExtensionAttributesOnPostPutAndPatch() throws {
        var registry = SchemaRegistry.standard
        try registry.addExtension(try Schema(json: try json(#"{"id":"urn:x:hr:2.0:User","attributes":[{"name":"tier","type":"string","required":true},{"name":"note","type":"string"}]}"#)), to: "User")
        let validator = ResourceValidator(registry: registry)
        let engine = PatchEngine(registry: registry)
        let user = try #require(registry.user)
        let missing = expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"userName":"bob","urn:x:hr:2.0:User":{"note":"n"}}"#), as: user) }
        #expect(missing?.detail.contains("urn:x:hr:2.0:User:tier") == true)
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"userName":"bob","urn:x:hr:2.0:User:note":"n"}"#), as: user) }
        var existing = try validator.validate(try json(#"{"userName":"bob","urn:x:hr:2.0:User":{"tier":"gold","note":"n"}}"#), as: user).resource
        existing["id"] = "u1"
        expectSCIMError(.invalidValue) { _ = try validator.validate(try json(#"{"userName":"bob","urn:x:hr:2.0:User":{"note":"m"}}"#), as: user, existing: existing) }
        // PATCH leaving it unassigned: `mutability`, as for `userName` (RFC 7644 §3.5.2).
        let removed = expectSCIMError(.mutability) {
            _ = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"remove","path":"urn:x:hr:2.0:User:tier"}]}"#)), to: existing, as: user)
        }
        #expect(removed?.detail.contains("urn:x:hr:2.0:User:tier") == true)
        expectSCIMError(.mutability) {
            _ = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"urn:x:hr:2.0:User:tier","value":null}]}"#)), to: existing, as: user)
        }
        // Removing the whole extension is allowed: its attributes are required only when it is present.
        let dropped = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"remove","path":"urn:x:hr:2.0:User"}]}"#)), to: existing, as: user)
        #expect(dropped.resource["urn:x:hr:2.0:User"] == nil)
    }

    // MARK: Mutability

    @Test func readOnlyIsIgnoredOnInputAndRefusedAsAPatchPath() throws {
        #expect(try create(#""auditedAt":"2024-01-01T00:00:00Z","costCenter":"1""#)[.init(urn)] == ["costCenter": "1"])
        let existing = try stored(#""costCenter":"1""#)
        expectSCIMError(.mutability) { _ = try patch(existing, #"[{"op":"replace","path":"\#(urn):auditedAt","value":"2024-01-01T00:00:00Z"}]"#) }
        #expect(try patch(existing, #"[{"op":"replace","value":{"\#(urn)":{"auditedAt":"2024-01-01T00:00:00Z"}}}]"#).isNoOp)
    }

    @Test func immutableIsSetOnceOnPutAndPatch() throws {
        let existing = try stored(#""hireId":"H-1""#)
        expectSCIMError(.mutability) { _ = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"hireId":"H-2"}}"#), as: user, existing: existing) }
        expectSCIMError(.mutability) { _ = try validator.validate(try json(#"{"userName":"bob","\#(urn):hireId":"H-2"}"#), as: user, existing: existing) }
        #expect(try validator.validate(try json(#"{"userName":"bob"}"#), as: user, existing: existing).resource[.init(urn)]?["hireId"] == "H-1")
        expectSCIMError(.mutability) { _ = try patch(existing, #"[{"op":"replace","path":"\#(urn):hireId","value":"H-2"}]"#) }
        expectSCIMError(.mutability) { _ = try patch(existing, #"[{"op":"remove","path":"\#(urn):hireId"}]"#) }
        let unset = try stored(#""costCenter":"1""#)
        #expect(try patch(unset, #"[{"op":"add","path":"\#(urn):hireId","value":"H-9"}]"#).resource[.init(urn)]?["hireId"] == "H-9")
    }

    @Test func writeOnlyIsStoredButNeverReturned() throws {
        let created = try create(#""pin":"1234","badges":[{"value":"b","secret":"s3"}]"#)
        #expect(created[.init(urn)] == ["pin": "1234", "badges": [["value": "b", "secret": "s3"]]], "stored, not dropped")
        var existing = created
        existing["id"] = "u1"
        for projection in [Projection.default, try Projection(attributes: "\(urn):pin,\(urn):badges", excludedAttributes: nil), try Projection(attributes: urn, excludedAttributes: nil)] {
            let returned = projection.apply(to: existing, as: user)
            #expect(!returned.serializedString().contains("1234") && !returned.serializedString().contains("s3"), "\(returned)")
        }
        // A PUT that omits it (the client never saw it) keeps it; one that sends it replaces it.
        let put = try validator.validate(try json(#"{"userName":"bob","\#(urn)":{"costCenter":"1","badges":[{"value":"b"}]}}"#), as: user, existing: existing).resource
        #expect(put[.init(urn)]?["pin"] == "1234")
        let changed = try validator.validate(try json(#"{"userName":"bob","\#(urn):pin":"9999"}"#), as: user, existing: existing).resource
        #expect(changed[.init(urn)]?["pin"] == "9999")
        // PATCH stores it, by path and without one.
        #expect(try patch(existing, #"[{"op":"replace","path":"\#(urn):pin","value":"4321"}]"#).resource[.init(urn)]?["pin"] == "4321")
        #expect(try patch(existing, #"[{"op":"replace","value":{"\#(urn):pin":"5678"}}]"#).resource[.init(urn)]?["pin"] == "5678")
        // `password` stays special: reported, never stored.
        let withPassword = try validator.validate(try json(#"{"userName":"bob","password":"pw","\#(urn):pin":"1"}"#), as: user)
        #expect(withPassword.password == "pw" && withPassword.resource["password"] == nil)
    }

    @Test func valuesThatAreNeverReturnedCannotBeFilteredOrSortedOn() {
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(urn):pin eq "1234""#, for: user) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(urn):pin pr"#, for: user) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"\#(urn):badges[secret sw "s"]"#, for: user) }
        expectSCIMError(.invalidFilter) { _ = try FilterParser.parse(#"password eq "x""#, for: userType) }
        expectSCIMError(.invalidValue) { _ = try SortSpec(sortBy: "\(urn):pin", for: user) }
        #expect((try? FilterParser.parse(#"\#(urn):note eq "x""#, for: user)) != nil, "returned: request can be filtered on")
    }

    // MARK: Atomicity

    @Test func aFailingOperationAppliesNothing() throws {
        let existing = try stored(#""costCenter":"1""#)
        let error = expectSCIMError(.invalidValue) {
            _ = try patch(existing, #"[{"op":"replace","path":"\#(urn):costCenter","value":"2"},{"op":"replace","path":"\#(urn):region","value":"Mars"}]"#)
        }
        #expect(error?.detail.hasPrefix("Operations[1]") == true)
        #expect(existing[.init(urn)]?["costCenter"] == "1")
    }
}
