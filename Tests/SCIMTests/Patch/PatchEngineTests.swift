import Testing
@testable import SCIM

/// RFC 7644 §3.5.2 semantics, the RFC's examples, atomicity and the error types.
@Suite("PATCH engine")
struct PatchEngineTests {
    let engine = PatchEngine()
    let bjensen: JSONValue
    let group: JSONValue

    init() throws {
        bjensen = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/user-enterprise.json"), as: userType)
        group = try ResourceValidator().canonicalizeStored(Fixture.json("rfc7644/group.json"), as: groupType)
    }

    func patch(_ resource: JSONValue, _ type: ResourceType, _ operations: String) throws -> PatchOutcome {
        try engine.apply(PatchRequest(json: try json(#"{"Operations":\#(operations)}"#)), to: resource, as: type)
    }

    func patch(_ resource: JSONValue, _ type: ResourceType, fixture: String) throws -> PatchOutcome {
        try engine.apply(PatchRequest(bytes: Fixture.bytes(fixture)), to: resource, as: type)
    }

    // MARK: RFC 7644 examples

    @Test func rfcAddMember() throws {
        let outcome = try patch(group, groupType, fixture: "rfc7644/patch-add-member.json")
        #expect(outcome.resource["members"]?.arrayValue?.count == 2, "Babs is already a member: no duplicate")
        #expect(outcome.changes.isEmpty && outcome.isNoOp)
        let empty = try ResourceValidator().canonicalizeStored(["id": "g", "displayName": "G"], as: groupType)
        let added = try patch(empty, groupType, fixture: "rfc7644/patch-add-member.json")
        #expect(added.resource["members"] == [["value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"]])
        #expect(added.changes.map(\.path) == ["members"])
    }

    @Test func rfcPathlessAddOfEmailsAndNickname() throws {
        let outcome = try patch(bjensen, userType, fixture: "rfc7644/patch-add-pathless.json")
        #expect(outcome.resource["nickName"] == "Babs")
        #expect(outcome.resource["emails"]?.arrayValue?.count == 2, "babs@jensen.org/home already there")
        let fresh = try ResourceValidator().canonicalizeStored(["id": "u", "userName": "u", "nickName": "Old", "emails": [["value": "u@x", "type": "work"]]], as: userType)
        let added = try patch(fresh, userType, fixture: "rfc7644/patch-add-pathless.json")
        #expect(added.resource["nickName"] == "Babs")
        #expect(added.resource["emails"] == [["value": "u@x", "type": "work"], ["value": "babs@jensen.org", "type": "home"]])
        #expect(added.changes.map(\.path) == ["nickName", "emails"])
    }

    @Test func rfcRemoveAllMembers() throws {
        let outcome = try patch(group, groupType, fixture: "rfc7644/patch-remove-all-members.json")
        #expect(outcome.resource["members"] == nil)
        #expect(outcome.changes == [AttributeChange(path: "members", before: group["members"], after: nil)])
    }

    @Test func rfcRemoveOneMember() throws {
        let outcome = try patch(group, groupType, fixture: "rfc7644/patch-remove-member.json")
        #expect(outcome.resource["members"] == [["value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"]])
    }

    @Test func rfcRemoveAndAddMembers() throws {
        let outcome = try patch(group, groupType, fixture: "rfc7644/patch-remove-and-add-members.json")
        #expect(outcome.resource["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [
            "902c246b-6245-4190-8e05-00816be7344a", "08e1d05d-121c-4561-8b96-473d93df9210",
        ])
    }

    @Test func rfcReplaceMembers() throws {
        let outcome = try patch(group, groupType, fixture: "rfc7644/patch-replace-members.json")
        #expect(outcome.resource["members"] == [
            ["value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"],
            ["value": "08e1d05d-121c-4561-8b96-473d93df9210", "display": "James Smith"],
        ])
    }

    @Test func rfcReplaceWorkAddress() throws {
        let outcome = try patch(bjensen, userType, fixture: "rfc7644/patch-replace-address.json")
        let addresses = try #require(outcome.resource["addresses"]?.arrayValue)
        #expect(addresses.count == 2)
        #expect(addresses[0]["streetAddress"] == "911 Universal City Plaza")
        #expect(addresses[0]["country"] == "US")
        #expect(addresses[1]["type"] == "home")
        #expect(outcome.changes.map(\.path) == ["addresses"])
    }

    @Test func rfcReplaceWorkStreet() throws {
        let outcome = try patch(bjensen, userType, fixture: "rfc7644/patch-replace-street.json")
        #expect(outcome.resource["addresses"]?[0]?["streetAddress"] == "1010 Broadway Ave")
        #expect(outcome.resource["addresses"]?[0]?["locality"] == "Hollywood")
        #expect(outcome.resource["addresses"]?[1]?["streetAddress"] == "456 Hollywood Blvd")
    }

    @Test func rfcPathlessReplace() throws {
        let outcome = try patch(bjensen, userType, fixture: "rfc7644/patch-replace-pathless.json")
        #expect(outcome.resource["emails"] == [["value": "bjensen@example.com", "type": "work", "primary": true], ["value": "babs@jensen.org", "type": "home"]])
        #expect(outcome.resource["nickName"] == "Babs")
        #expect(outcome.changes.isEmpty, "bjensen already has exactly these")
    }

    // MARK: add

    @Test func addCreatesMissingAttributes() throws {
        let user = try ResourceValidator().canonicalizeStored(["id": "u", "userName": "u"], as: userType)
        let outcome = try patch(user, userType, #"[{"op":"add","path":"name.givenName","value":"Ann"},{"op":"add","path":"title","value":"CTO"},{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"R&D"}]"#)
        #expect(outcome.resource["name"] == ["givenName": "Ann"])
        #expect(outcome.resource["title"] == "CTO")
        #expect(outcome.resource[enterpriseURN] == ["department": "R&D"])
        #expect(outcome.resource["schemas"] == [.string(SCIMSchemaURN.user), .string(enterpriseURN)])
        #expect(outcome.changes.map(\.path) == ["name", "title", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"])
    }

    @Test func addMergesComplexAndReplacesSingular() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"add","path":"name","value":{"givenName":"Babs","nickname":"ignored"}},{"op":"add","path":"displayName","value":"B"}]"#)
        #expect(outcome.resource["name"]?["givenName"] == "Babs")
        #expect(outcome.resource["name"]?["familyName"] == "Jensen")
        #expect(outcome.resource["displayName"] == "B")
        #expect(outcome.changes.map(\.path) == ["name.givenName", "displayName"])
    }

    @Test func addAppendsAndNewPrimaryWins() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"add","path":"emails","value":[{"value":"new@x","type":"other","primary":true}]}]"#)
        let emails = try #require(outcome.resource["emails"]?.arrayValue)
        #expect(emails.count == 3)
        #expect(emails[0]["primary"] == false, "RFC 7644 §3.5.2: the previous primary is cleared")
        #expect(emails[2] == ["value": "new@x", "type": "other", "primary": true])
    }

    @Test func addOfAnExistingValueUpdatesIt() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"add","path":"emails","value":{"value":"babs@jensen.org","type":"home","primary":true}}]"#)
        let emails = try #require(outcome.resource["emails"]?.arrayValue)
        #expect(emails.count == 2)
        #expect(emails[1] == ["value": "babs@jensen.org", "type": "home", "primary": true])
        #expect(emails[0]["primary"] == false)
    }

    @Test func addWithNullValueChangesNothing() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"add","path":"title","value":null},{"op":"add","path":"emails","value":null},{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":null}}]"#)
        #expect(outcome.isNoOp)
    }

    // MARK: replace

    @Test func replaceSingularAndMultiValued() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"title","value":"Boss"},{"op":"replace","path":"phoneNumbers","value":[{"value":"1","type":"work"}]},{"op":"replace","path":"ims","value":null}]"#)
        #expect(outcome.resource["title"] == "Boss")
        #expect(outcome.resource["phoneNumbers"] == [["value": "1", "type": "work"]])
        #expect(outcome.resource["ims"] == nil)
        #expect(outcome.changes.map(\.path) == ["title", "phoneNumbers", "ims"])
    }

    @Test func replaceComplexMergesSubAttributes() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"name","value":{"familyName":"Smith"}}]"#)
        #expect(outcome.resource["name"]?["familyName"] == "Smith")
        #expect(outcome.resource["name"]?["givenName"] == "Barbara", "sub-attributes not given are left unchanged")
        #expect(outcome.changes == [AttributeChange(path: "name.familyName", before: "Jensen", after: "Smith")])
    }

    @Test func replaceMissingAttributeAdds() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"entitlements","value":[{"value":"admin"}]},{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division","value":"X"}]"#)
        #expect(outcome.resource["entitlements"] == [["value": "admin"]])
        #expect(outcome.resource[enterpriseURN]?["division"] == "X")
    }

    @Test func replaceFilteredSubAttributeOnEveryMatch() throws {
        let user = try ResourceValidator().canonicalizeStored(try json(#"{"id":"u","userName":"u","emails":[{"value":"a@x","type":"work"},{"value":"b@x","type":"work"},{"value":"c@x","type":"home"}]}"#), as: userType)
        let outcome = try patch(user, userType, #"[{"op":"replace","path":"emails[type eq \"work\"].display","value":"Work"}]"#)
        #expect(outcome.resource["emails"]?.arrayValue?.map { $0["display"] } == ["Work", "Work", nil])
    }

    @Test func replaceWithPrimaryClearsOthers() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}]"#)
        #expect(outcome.resource["emails"]?[0]?["primary"] == false)
        #expect(outcome.resource["emails"]?[1]?["primary"] == true)
    }

    // MARK: remove

    @Test func removeAttributesSubAttributesAndValues() throws {
        let outcome = try patch(bjensen, userType, #"""
            [{"op":"remove","path":"title"},
             {"op":"remove","path":"name.middleName"},
             {"op":"remove","path":"emails[type eq \"home\"]"},
             {"op":"remove","path":"addresses[type eq \"work\"].formatted"},
             {"op":"remove","path":"phoneNumbers.type"},
             {"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]
            """#)
        #expect(outcome.resource["title"] == nil)
        #expect(outcome.resource["name"]?["middleName"] == nil && outcome.resource["name"]?["givenName"] == "Barbara")
        #expect(outcome.resource["emails"] == [["value": "bjensen@example.com", "type": "work", "primary": true]])
        #expect(outcome.resource["addresses"]?[0]?["formatted"] == nil && outcome.resource["addresses"]?[1]?["formatted"] != nil)
        #expect(outcome.resource["phoneNumbers"] == [["value": "555-555-5555"], ["value": "555-555-4444"]])
        #expect(outcome.resource[enterpriseURN]?["manager"] == nil)
        #expect(outcome.changes.map(\.path) == [
            "name.middleName", "title", "emails", "phoneNumbers", "addresses",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        ])
    }

    @Test func removeOfSomethingAbsentIsANoOp() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"remove","path":"emails[type eq \"other\"]"},{"op":"remove","path":"entitlements"},{"op":"remove","path":"ims[type eq \"xmpp\"].value"},{"op":"remove","path":"roles.display"}]"#)
        #expect(outcome.isNoOp)
        #expect(outcome.resource == bjensen)
    }

    @Test func removeListedValuesOnly() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"remove","path":"emails","value":[{"value":"BABS@jensen.org"}]}]"#)
        #expect(outcome.resource["emails"]?.arrayValue?.count == 1)
    }

    @Test func removeWholeExtension() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]"#)
        #expect(outcome.resource[enterpriseURN] == nil)
        #expect(outcome.resource["schemas"] == [.string(SCIMSchemaURN.user)])
        #expect(outcome.changes.count == 6)
        let replaced = try patch(bjensen, userType, #"[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"New"}}]"#)
        #expect(replaced.resource[enterpriseURN]?["department"] == "New")
        #expect(replaced.resource[enterpriseURN]?["costCenter"] == "4130")
    }

    // MARK: Errors

    @Test func filterThatCannotSeedAValueIsNoTarget() throws {
        let error = expectSCIMError(.noTarget) { _ = try patch(bjensen, userType, #"[{"op":"replace","path":"emails[value co \"nomatch\"].type","value":"x"}]"#) }
        #expect(error?.detail.contains("Operations[0]") == true)
        expectSCIMError(.noTarget) { _ = try patch(bjensen, userType, #"[{"op":"add","path":"emails[type eq \"a\" or type eq \"b\"]","value":{"value":"z"}}]"#) }
        expectSCIMError(.noTarget) { _ = try patch(bjensen, userType, #"[{"op":"remove","value":{"title":"x"}}]"#) }
    }

    @Test(arguments: [
        #"[{"op":"replace","path":"nope","value":1}]"#,
        #"[{"op":"replace","path":"name.nope","value":1}]"#,
        #"[{"op":"replace","path":"title[value eq \"x\"]","value":1}]"#,
        #"[{"op":"replace","path":"emails[nope eq \"x\"]","value":1}]"#,
        #"[{"op":"replace","path":"name[givenName eq \"Barbara\"].familyName","value":"x"}]"#,
        #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:nope"}]"#,
        #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:core:2.0:Group:displayName"}]"#,
        #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User[value eq \"x\"]"}]"#,
    ])
    func unknownOrMisusedPathsAreInvalidPath(operations: String) {
        expectSCIMError(.invalidPath) { _ = try patch(bjensen, userType, operations) }
    }

    @Test func schemasOfAnotherResourceTypeAreInvalidPath() {
        expectSCIMError(.invalidPath) { _ = try patch(group, groupType, #"[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"x"}]"#) }
        expectSCIMError(.invalidPath) { _ = try patch(group, groupType, #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]"#) }
    }

    @Test(arguments: [
        #"[{"op":"replace","path":"id","value":"other"}]"#,
        #"[{"op":"remove","path":"id"}]"#,
        #"[{"op":"replace","path":"meta","value":{"created":"2020-01-01T00:00:00Z"}}]"#,
        #"[{"op":"replace","path":"meta.lastModified","value":"2020-01-01T00:00:00Z"}]"#,
        #"[{"op":"add","path":"groups","value":[{"value":"g"}]}]"#,
        #"[{"op":"remove","path":"groups"}]"#,
        #"[{"op":"replace","path":"schemas","value":["urn:x"]}]"#,
        #"[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName","value":"x"}]"#,
        #"[{"op":"replace","value":{"id":"other"}}]"#,
        #"[{"op":"remove","path":"userName"}]"#,
        #"[{"op":"replace","path":"userName","value":null}]"#,
        #"[{"op":"replace","value":{"userName":null}}]"#,
    ])
    func mutabilityViolations(operations: String) {
        expectSCIMError(.mutability) { _ = try patch(bjensen, userType, operations) }
    }

    @Test func idEqualToTheCurrentOneIsIgnored() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"id","value":"2819c223-7f76-453a-919d-413861904646"}]"#)
        #expect(outcome.isNoOp)
    }

    @Test(arguments: [
        #"[{"op":"replace","path":"active","value":"maybe"}]"#,
        #"[{"op":"replace","path":"userName","value":""}]"#,
        #"[{"op":"replace","path":"userName","value":7}]"#,
        #"[{"op":"replace","path":"name","value":[{"givenName":"a"}]}]"#,
        #"[{"op":"add","path":"emails","value":[{"value":"a","primary":true},{"value":"b","primary":true}]}]"#,
        #"[{"op":"replace","path":"emails[type eq \"work\"]","value":"x@y"},{"op":"replace","path":"emails","value":[{"value":1}]}]"#,
        #"[{"op":"replace","path":"displayName","value":["a","b"]}]"#,
        #"[{"op":"replace","path":"name","value":5}]"#,
        #"[{"op":"replace","path":"password","value":5}]"#,
        #"[{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}}]"#,
    ])
    func invalidValues(operations: String) {
        expectSCIMError(.invalidValue) { _ = try patch(bjensen, userType, operations) }
    }

    @Test func invalidSyntaxInsideOperations() {
        expectSCIMError(.invalidSyntax) { _ = try patch(bjensen, userType, #"[{"op":"replace","path":"userName","value":"x"},{"op":"replace","value":{"name":{"givenName":"a","GIVENNAME":"b"}}}]"#) }
        expectSCIMError(.invalidSyntax) { _ = try patch(bjensen, userType, #"[{"op":"add","path":"emails","value":[{"value":"a","VALUE":"b"}]}]"#) }
        expectSCIMError(.invalidSyntax) { _ = try engine.apply(PatchRequest(operations: [PatchOperation(op: .add, value: "x")]), to: bjensen, as: userType) }
        expectSCIMError(.invalidSyntax) { _ = try engine.apply(PatchRequest(operations: []), to: "not an object", as: userType) }
    }

    @Test func operationsAreAtomic() throws {
        // The first operation is fine, the second fails: nothing is applied, and the
        // error names the failing operation.
        let error = expectSCIMError(.mutability) { _ = try patch(bjensen, userType, #"[{"op":"replace","path":"title","value":"Changed"},{"op":"replace","path":"id","value":"x"}]"#) }
        #expect(error?.detail.hasPrefix("Operations[1] (replace id)") == true, "\(error?.detail ?? "")")
        // The engine never mutates its input (a value type) — apply again to check.
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"title","value":"Changed"}]"#)
        #expect(bjensen["title"] == "Tour Guide")
        #expect(outcome.resource["title"] == "Changed")
    }

    @Test func laterOperationsSeeEarlierOnes() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"remove","path":"emails"},{"op":"add","path":"emails[type eq \"work\"].value","value":"only@x"},{"op":"replace","path":"emails[type eq \"work\"].primary","value":"True"}]"#)
        #expect(outcome.resource["emails"] == [["type": "work", "value": "only@x", "primary": true]])
    }

    @Test func readOnlyAttributesAreKeptInTheResult() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","path":"title","value":"X"}]"#)
        #expect(outcome.resource["id"] == bjensen["id"])
        #expect(outcome.resource["meta"] == bjensen["meta"])
        #expect(outcome.resource["groups"] == bjensen["groups"])
        #expect(outcome.resource[enterpriseURN]?["manager"]?["displayName"] == "John Smith")
    }

    @Test func immutableAttributesCanBeSetOnceButNotChanged() throws {
        var registry = SchemaRegistry.standard
        try registry.loadExtensions(from: Fixture.bytes("okta/acme-extension-schema.json"), to: "User")
        let engine = PatchEngine(registry: registry)
        let user = try #require(registry.user)
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        let unset = try ResourceValidator(registry: registry).canonicalizeStored(["id": "u", "userName": "u"], as: user)
        let set = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"add","path":"\#(acme):badgeNumber","value":7}]}"#)), to: unset, as: user).resource
        #expect(set[acme]?["badgeNumber"] == 7)
        expectSCIMError(.mutability) { _ = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"\#(acme):badgeNumber","value":8}]}"#)), to: set, as: user) }
        expectSCIMError(.mutability) { _ = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"remove","path":"\#(acme):badgeNumber"}]}"#)), to: set, as: user) }
        let same = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"\#(acme):badgeNumber","value":7}]}"#)), to: set, as: user)
        #expect(same.isNoOp)
        let typed = try engine.apply(PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"\#(acme):isContractor","value":"TRUE"},{"op":"add","path":"\#(acme):skills","value":"swift"}]}"#)), to: set, as: user)
        #expect(typed.resource[acme]?["isContractor"] == true)
        #expect(typed.resource[acme]?["skills"] == ["swift"])
    }

    @Test func passwordIsReportedNotStored() throws {
        let outcome = try patch(bjensen, userType, #"[{"op":"replace","value":{"password":"n3w"}}]"#)
        #expect(outcome.password == "n3w")
        #expect(outcome.resource["password"] == nil)
        #expect(outcome.changes.isEmpty && !outcome.isNoOp)
        let byPath = try patch(bjensen, userType, #"[{"op":"add","path":"password","value":"p2"}]"#)
        #expect(byPath.password == "p2")
        #expect(try patch(bjensen, userType, #"[{"op":"remove","path":"password"}]"#).isNoOp)
    }

    @Test func unknownExtensionsArePatchedUntyped() throws {
        let user = try ResourceValidator().validate(Fixture.json("okta/create-user-extensions.json"), as: userType).resource
        var stored = user
        stored["id"] = "u1"
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
        let outcome = try patch(stored, userType, #"""
            [{"op":"replace","path":"\#(acme):costCentre","value":"CC-7"},
             {"op":"add","path":"\#(acme):tags","value":["a"]},
             {"op":"add","path":"\#(acme):tags","value":["a","b"]},
             {"op":"remove","path":"\#(acme):hireDate"},
             {"op":"add","value":{"\#(acme)":{"extra":{"k":1}}}},
             {"op":"add","path":"\#(acme):extra.j","value":2},
             {"op":"add","path":"\#(acme):list[kind eq \"x\"].v","value":3},
             {"op":"replace","path":"\#(acme):list[kind eq \"x\"].v","value":4},
             {"op":"add","path":"\#(acme):list[kind eq \"y\"]","value":{"v":5}},
             {"op":"remove","path":"\#(acme):list[kind eq \"y\"]"},
             {"op":"remove","path":"\#(acme):tags","value":["a"]}]
            """#)
        #expect(outcome.resource[.init(acme)] == ["badgeNumber": 4711, "costCentre": "CC-7", "isContractor": "True", "tags": ["b"], "extra": ["k": 1, "j": 2], "list": [["kind": "x", "v": 4]]])
        #expect(outcome.changes.map(\.path).contains("\(acme):costCentre"))
        let dropped = try patch(stored, userType, #"[{"op":"remove","path":"\#(acme)"}]"#)
        #expect(dropped.resource[.init(acme)] == nil)
    }
}
