import Testing
@testable import SCIM

/// Every quirk the README lists for Okta and Entra ID, each on its own, with the request bodies from
/// Fixtures/okta and Fixtures/entra. All of them work by default, with no switch.
@Suite("PATCH: IdP quirks")
struct PatchQuirksTests {
    let engine = PatchEngine()
    let oktaUser: JSONValue
    let entraUser: JSONValue
    let oktaGroup: JSONValue

    init() throws {
        var okta = try ResourceValidator().validate(Fixture.json("okta/create-user.json"), as: userType).resource
        okta["id"] = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        okta["meta"] = ["resourceType": "User", "created": "2024-05-01T12:00:00Z", "lastModified": "2024-05-01T12:00:00Z"]
        oktaUser = okta
        var entra = try ResourceValidator().validate(Fixture.json("entra/create-user.json"), as: userType).resource
        entra["id"] = "5b0c3b0e-0000-4000-8000-00000000e001"
        entraUser = entra
        var group = try ResourceValidator().validate(Fixture.json("okta/create-group-with-members.json"), as: groupType).resource
        group["id"] = "9c0e1c2d-0000-4000-8000-000000000001"
        oktaGroup = group
    }

    func apply(_ fixture: String, to resource: JSONValue, as type: ResourceType = userType, members: (any MemberSet)? = nil) throws -> PatchOutcome {
        try engine.apply(PatchRequest(bytes: Fixture.bytes(fixture)), to: resource, as: type, members: members)
    }

    func apply(operations: String, to resource: JSONValue, as type: ResourceType = userType) throws -> PatchOutcome {
        try engine.apply(PatchRequest(json: try json(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":\#(operations)}"#)), to: resource, as: type)
    }

    // MARK: Okta

    @Test func oktaDeactivateAndReactivateWithPathlessReplace() throws {
        let deactivated = try apply("okta/deactivate-user.json", to: oktaUser)
        #expect(deactivated.resource["active"] == false)
        #expect(deactivated.resource["id"] == oktaUser["id"])
        #expect(deactivated.changes == [AttributeChange(path: "active", before: true, after: false)])
        let reactivated = try apply("okta/reactivate-user.json", to: deactivated.resource)
        #expect(reactivated.resource["active"] == true)
        #expect(reactivated.resource["id"] == oktaUser["id"], "the id must not change")
    }

    @Test func oktaRenameCarriesTheGroupIdInsideTheValue() throws {
        let outcome = try apply("okta/rename-group.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["displayName"] == "Engineering")
        #expect(outcome.resource["id"] == "9c0e1c2d-0000-4000-8000-000000000001")
        #expect(outcome.changes == [AttributeChange(path: "displayName", before: "Eng", after: "Engineering")])
        // The same rename re-sent with a membership update changes nothing.
        #expect(try apply("okta/rename-group.json", to: outcome.resource, as: groupType).isNoOp)
    }

    @Test func oktaAddMembers() throws {
        let empty = try ResourceValidator().canonicalizeStored(["id": "g", "displayName": "Eng"], as: groupType)
        let outcome = try apply("okta/add-members.json", to: empty, as: groupType)
        #expect(outcome.resource["members"] == [["value": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "display": "test.user@okta.local"]])
    }

    @Test func oktaRemoveMemberByFilter() throws {
        let outcome = try apply("okta/remove-member.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["members"] == [["value": "7d1f8a2e-1111-4222-8333-444455556666", "display": "other.user@okta.local"]])
        #expect(try apply("okta/remove-member.json", to: outcome.resource, as: groupType).isNoOp, "a retried removal is a no-op")
    }

    @Test func oktaFullPushReplacesMembers() throws {
        let outcome = try apply("okta/replace-members.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [
            "7d1f8a2e-1111-4222-8333-444455556666", "a0b1c2d3-aaaa-4bbb-8ccc-ddddeeeeffff",
        ])
    }

    @Test func oktaRenameRemoveAndAddInOneRequest() throws {
        let outcome = try apply("okta/membership-update.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["displayName"] == "Eng")
        #expect(outcome.resource["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [
            "3fa85f64-5717-4562-b3fc-2c963f66afa6", "a0b1c2d3-aaaa-4bbb-8ccc-ddddeeeeffff",
        ])
    }

    // MARK: Entra

    @Test func entraCapitalisedOps() throws {
        let outcome = try apply(operations: #"[{"op":"Add","path":"title","value":"A"},{"op":"Replace","path":"title","value":"B"},{"op":"REMOVE","path":"nickName"}]"#, to: entraUser)
        #expect(outcome.resource["title"] == "B")
    }

    @Test func entraBooleanAsString() throws {
        let outcome = try apply("entra/patch-disable-user.json", to: entraUser)
        #expect(outcome.resource["active"] == false)
        #expect(outcome.changes == [AttributeChange(path: "active", before: true, after: false)])
        let primary = try apply(operations: #"[{"op":"Replace","path":"emails[type eq \"work\"].primary","value":"False"}]"#, to: entraUser)
        #expect(primary.resource["emails"]?[0]?["primary"] == false)
    }

    @Test func entraFilteredPathUpdatesTheMatchingValue() throws {
        let outcome = try apply("entra/patch-user-update.json", to: entraUser)
        #expect(outcome.resource["emails"] == [["primary": true, "type": "work", "value": "updatedEmail@microsoft.com"]])
        #expect(outcome.resource["name"]?["familyName"] == "updatedFamilyName")
        #expect(outcome.changes.map(\.path) == ["name.familyName", "emails"])
    }

    @Test func entraFilterThatMatchesNothingCreatesTheValue() throws {
        let outcome = try apply("entra/patch-add-attributes.json", to: entraUser)
        #expect(outcome.resource["phoneNumbers"] == [["type": "work", "value": "+1 425 555 0100"]])
        #expect(outcome.resource["addresses"] == [["type": "work", "formatted": "1 Microsoft Way\nRedmond, WA"]])
        #expect(outcome.resource[enterpriseURN]?["employeeNumber"] == "E-1234")
        #expect(outcome.resource["title"] == "Engineer")
        // `replace` through an empty filter creates it too.
        let replaced = try apply(operations: #"[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555"}]"#, to: entraUser)
        #expect(replaced.resource["phoneNumbers"] == [["type": "mobile", "value": "+1 555"]])
        // Applying it again updates the value it created instead of adding another.
        let again = try apply(operations: #"[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 666"}]"#, to: replaced.resource)
        #expect(again.resource["phoneNumbers"] == [["type": "mobile", "value": "+1 666"]])
    }

    @Test func entraExtensionAttributeByFullPath() throws {
        let outcome = try apply(operations: #"[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"E-99"}]"#, to: entraUser)
        #expect(outcome.resource[enterpriseURN]?["employeeNumber"] == "E-99")
        #expect(outcome.changes == [AttributeChange(path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", before: "E-77", after: "E-99")])
    }

    @Test func entraPathlessReplaceWithDottedKeys() throws {
        let outcome = try apply("entra/patch-dotted-keys.json", to: entraUser)
        #expect(outcome.resource["name"]?["givenName"] == "Alex")
        #expect(outcome.resource["name"]?["familyName"] == "familyName")
        #expect(outcome.resource[enterpriseURN]?["department"] == "Research")
        #expect(outcome.changes.map(\.path) == ["name.givenName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"])
    }

    @Test func pathlessKeysMayCarryAValueFilter() throws {
        let outcome = try apply(operations: #"[{"op":"Add","value":{"emails[type eq \"work\"].value":"new@x","phoneNumbers[type eq \"mobile\"].value":"+1"}}]"#, to: entraUser)
        #expect(outcome.resource["emails"]?[0]?["value"] == "new@x")
        #expect(outcome.resource["phoneNumbers"] == [["type": "mobile", "value": "+1"]])
        expectSCIMError(.invalidPath) { _ = try apply(operations: #"[{"op":"Add","value":{"nope[type eq \"x\"]":"y"}}]"#, to: entraUser) }
    }

    @Test func entraManagerAsABareId() throws {
        let user = try ResourceValidator().canonicalizeStored(["id": "u", "userName": "u"], as: userType)
        let outcome = try apply("entra/patch-manager-bare.json", to: user)
        #expect(outcome.resource[enterpriseURN]?["manager"] == ["value": "26118915-6090-4610-87e4-49d8ca9f808d"])
        #expect(outcome.changes == [AttributeChange(path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", before: nil, after: ["value": "26118915-6090-4610-87e4-49d8ca9f808d"])])
        let replaced = try apply(operations: #"[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"other-id"}]"#, to: outcome.resource)
        #expect(replaced.resource[enterpriseURN]?["manager"] == ["value": "other-id"])
        #expect(replaced.changes.map(\.path) == ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"])
    }

    @Test func entraClearsTheManagerWithAnEmptyValue() throws {
        let outcome = try apply("entra/patch-manager-clear.json", to: entraUser)
        #expect(outcome.resource[enterpriseURN]?["manager"] == nil)
        #expect(outcome.resource[enterpriseURN]?["department"] == "Finance")
        #expect(outcome.changes.map(\.path) == ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"])
        // Clearing a manager that is not there is a no-op.
        #expect(try apply("entra/patch-manager-clear.json", to: outcome.resource).isNoOp)
    }

    @Test func entraRemovesOnlyTheListedMembers() throws {
        var group = oktaGroup
        group["members"] = [["value": "f648f8d5-ea3d-4105-87fd-49dd6e8d6467"], ["value": "keep-1"], ["value": "keep-2"]]
        let outcome = try apply("entra/patch-remove-member.json", to: group, as: groupType)
        #expect(outcome.resource["members"] == [["value": "keep-1"], ["value": "keep-2"]])
    }

    @Test func entraMemberValuesWithNullRef() throws {
        let outcome = try apply("entra/patch-add-member.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["members"]?.arrayValue?.last == ["value": "f648f8d5-ea3d-4105-87fd-49dd6e8d6467"])
        #expect(try apply("entra/patch-add-member.json", to: outcome.resource, as: groupType).isNoOp, "adding an existing member is a no-op")
    }

    @Test func entraRenameGroup() throws {
        let outcome = try apply("entra/patch-rename-group.json", to: oktaGroup, as: groupType)
        #expect(outcome.resource["displayName"] == "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName")
    }

    @Test func schemasAndMetaInsidePathlessValuesAreIgnored() throws {
        let outcome = try apply(operations: #"[{"op":"replace","value":{"schemas":["urn:x"],"meta":{"version":"W/\"1\""},"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","groups":[],"displayName":"New"}}]"#, to: oktaUser)
        #expect(outcome.changes == [AttributeChange(path: "displayName", before: "Test User", after: "New")])
        #expect(outcome.resource["schemas"] == oktaUser["schemas"])
        #expect(outcome.resource["meta"] == oktaUser["meta"])
    }

    @Test func unknownAttributesInPathlessValuesAreIgnored() throws {
        let outcome = try apply(operations: #"[{"op":"replace","value":{"favouriteColour":"blue","nickname":"Tess","not a name":1}}]"#, to: oktaUser)
        #expect(outcome.resource["nickName"] == "Tess")
        #expect(outcome.changes.map(\.path) == ["nickName"])
    }
}
