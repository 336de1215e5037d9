import Testing
@testable import SCIM

@Suite("PATCH request parsing")
struct PatchRequestTests {
    @Test func everyFixtureParses() throws {
        let names = [
            "okta/deactivate-user.json", "okta/reactivate-user.json", "okta/rename-group.json", "okta/add-members.json",
            "okta/remove-member.json", "okta/replace-members.json", "okta/membership-update.json",
            "entra/patch-user-update.json", "entra/patch-disable-user.json", "entra/patch-add-attributes.json",
            "entra/patch-dotted-keys.json", "entra/patch-manager-bare.json", "entra/patch-manager-clear.json",
            "entra/patch-add-member.json", "entra/patch-remove-member.json", "entra/patch-rename-group.json",
            "rfc7644/patch-add-member.json", "rfc7644/patch-add-pathless.json", "rfc7644/patch-remove-all-members.json",
            "rfc7644/patch-remove-member.json", "rfc7644/patch-remove-and-add-members.json", "rfc7644/patch-replace-members.json",
            "rfc7644/patch-replace-address.json", "rfc7644/patch-replace-street.json", "rfc7644/patch-replace-pathless.json",
        ]
        for name in names {
            let request = try PatchRequest(bytes: Fixture.bytes(name))
            #expect(!request.operations.isEmpty, "\(name)")
        }
    }

    @Test func parsesOperations() throws {
        let request = try PatchRequest(bytes: Fixture.bytes("okta/membership-update.json"))
        #expect(request.operations.map(\.op) == [.replace, .remove, .add])
        #expect(request.operations[0].path == nil)
        #expect(request.operations[1].path == #"members[value eq "7d1f8a2e-1111-4222-8333-444455556666"]"#)
        #expect(request.operations[1].parsedPath?.valueFilter != nil)
        #expect(request.operations[2].value?.arrayValue?.count == 1)
    }

    @Test func opNamesAndMemberNamesAreCaseInsensitive() throws {
        let request = try PatchRequest(json: try json(#"{"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[{"OP":"Add","PATH":"title","VALUE":"x"},{"op":"REPLACE","path":"title","value":"y"},{"op":"Remove","path":"title"}]}"#))
        #expect(request.operations.map(\.op) == [.add, .replace, .remove])
        #expect(request.operations[0].value == "x")
    }

    @Test func lenientForms() throws {
        let noSchemas = try PatchRequest(json: try json(#"{"Operations":[{"op":"remove","path":"title"}]}"#))
        #expect(noSchemas.operations.count == 1)
        let emptyPath = try PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"  ","value":{"active":false}}]}"#))
        #expect(emptyPath.operations[0].path == nil)
        let trimmed = try PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":" title ","value":"x"}]}"#))
        #expect(trimmed.operations[0].path == "title")
        let nullValue = try PatchRequest(json: try json(#"{"Operations":[{"op":"replace","path":"title","value":null}]}"#))
        #expect(nullValue.operations[0].value == .null)
    }

    @Test(arguments: [
        (#"[]"#, SCIMType.invalidSyntax, "JSON object"),
        (#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"Operations":[{"op":"remove","path":"a"}]}"#, .invalidSyntax, "PatchOp"),
        (#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#, .invalidSyntax, "\"Operations\" is required"),
        (#"{"Operations":[]}"#, .invalidSyntax, "non-empty"),
        (#"{"Operations":{"op":"add"}}"#, .invalidSyntax, "non-empty array"),
        (#"{"Operations":[5]}"#, .invalidSyntax, "Operations[0] must be an object"),
        (#"{"Operations":[{"path":"a","value":1}]}"#, .invalidSyntax, "\"op\" is required"),
        (#"{"Operations":[{"op":"move","path":"a"}]}"#, .invalidSyntax, "unknown op \"move\""),
        (#"{"Operations":[{"op":1,"path":"a"}]}"#, .invalidSyntax, "\"op\" is required"),
        (#"{"Operations":[{"op":"add","path":"title"}]}"#, .invalidSyntax, "\"value\" is required"),
        (#"{"Operations":[{"op":"replace","path":"title"}]}"#, .invalidSyntax, "\"value\" is required"),
        (#"{"Operations":[{"op":"add","value":"x"}]}"#, .invalidSyntax, "needs an object"),
        (#"{"Operations":[{"op":"replace","value":[{"active":true}]}]}"#, .invalidSyntax, "needs an object"),
        (#"{"Operations":[{"op":"add","path":5,"value":"x"}]}"#, .invalidSyntax, "\"path\" must be a string"),
        (#"{"Operations":[{"op":"remove"}]}"#, .noTarget, "needs a \"path\""),
        (#"{"Operations":[{"op":"remove","path":""}]}"#, .noTarget, "needs a \"path\""),
        (#"{"Operations":[{"op":"remove","path":"emails[type eq"}]}"#, .invalidPath, "Operations[0]"),
        (#"{"Operations":[{"op":"add","path":"name..x","value":1}]}"#, .invalidPath, "invalid attribute path"),
        (#"{"Operations":[{"op":"add","path":"title","value":1},{"op":"add","path":"a b","value":1}]}"#, .invalidPath, "Operations[1]"),
    ])
    func malformedBodies(body: String, type: SCIMType, message: String) throws {
        let error = expectSCIMError(type) { _ = try PatchRequest(json: try json(body)) }
        #expect(error?.detail.contains(message) == true, "\(error?.detail ?? "")")
    }

    @Test func invalidJSONIsInvalidSyntax() {
        expectSCIMError(.invalidSyntax) { _ = try PatchRequest(bytes: Array("{\"Operations\":[".utf8)) }
    }
}
