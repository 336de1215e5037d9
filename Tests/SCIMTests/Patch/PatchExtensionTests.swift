import Testing
@testable import SCIM

/// PATCH on custom extension attributes by their full URN path, as on the enterprise
/// extension; undeclared extensions stored exactly as a POST stores them; strict mode.
@Suite("PATCH of custom and undeclared extensions")
struct PatchExtensionTests {
    let urn = CustomExtension.urn

    func base(_ validator: ResourceValidator, _ type: ResourceType, _ body: String = #"{"userName":"bob"}"#) throws -> JSONValue {
        var resource = try validator.validate(try json(body), as: type).resource
        resource["id"] = "u1"
        return resource
    }

    func patch(_ engine: PatchEngine, _ resource: JSONValue, _ type: ResourceType, _ operations: String) throws -> PatchOutcome {
        try engine.apply(PatchRequest(json: try json(#"{"Operations":\#(operations)}"#)), to: resource, as: type)
    }

    @Test func customExtensionAttributesByFullPath() throws {
        let registry = try CustomExtension.registry()
        let user = try #require(registry.user)
        let engine = PatchEngine(registry: registry)
        let resource = try base(ResourceValidator(registry: registry), user, #"{"userName":"bob","\#(urn)":{"costCenter":"1"}}"#)

        let replaced = try patch(engine, resource, user, #"[{"op":"replace","path":"\#(urn):costCenter","value":"9"}]"#)
        #expect(replaced.resource[.init(urn)] == ["costCenter": "9"])
        #expect(replaced.changes == [AttributeChange(path: "\(urn):costCenter", before: "1", after: "9")])

        let pathlessObject = try patch(engine, resource, user, #"[{"op":"replace","value":{"\#(urn)":{"costCenter":"9","level":4}}}]"#)
        #expect(pathlessObject.resource[.init(urn)] == ["costCenter": "9", "level": 4])

        let pathlessKey = try patch(engine, resource, user, #"[{"op":"Replace","value":{"\#(urn):costCenter":"9","\#(urn):supervisor.value":"boss"}}]"#)
        #expect(pathlessKey.resource[.init(urn)] == ["costCenter": "9", "supervisor": ["value": "boss"]])

        let filtered = try patch(engine, resource, user, #"""
            [{"op":"add","path":"\#(urn):badges[type eq \"primary\"].value","value":"B-1"},
             {"op":"add","path":"\#(urn):skills","value":["swift","go"]},
             {"op":"remove","path":"\#(urn):costCenter"}]
            """#)
        #expect(filtered.resource[.init(urn)] == ["badges": [["type": "primary", "value": "B-1"]], "skills": ["swift", "go"]])
        #expect(filtered.resource["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)])

        let removedAll = try patch(engine, resource, user, #"[{"op":"remove","path":"\#(urn)"}]"#)
        #expect(removedAll.resource[.init(urn)] == nil)
        #expect(removedAll.resource["schemas"] == [.string(SCIMSchemaURN.user)])
    }

    @Test func undeclaredExtensionsAreStoredTheSameWhateverTheShape() throws {
        let validator = ResourceValidator()
        let engine = PatchEngine()
        let expected: JSONValue = ["costCenter": "7", "manager": ["value": "m"]]
        let posts = [
            #"{"userName":"bob","\#(urn)":{"costCenter":"7","manager":{"value":"m"}}}"#,
            #"{"userName":"bob","\#(urn):costCenter":"7","\#(urn):manager.value":"m"}"#,
            #"{"userName":"bob","\#(urn):costCenter":"7","\#(urn)":{"manager":{"value":"m"}}}"#,
        ]
        var documents: [JSONValue] = []
        for body in posts {
            documents.append(try base(validator, userType, body))
        }
        let empty = try base(validator, userType)
        let patches = [
            #"[{"op":"add","path":"\#(urn):costCenter","value":"7"},{"op":"add","path":"\#(urn):manager.value","value":"m"}]"#,
            #"[{"op":"add","value":{"\#(urn):costCenter":"7","\#(urn):manager.value":"m"}}]"#,
            #"[{"op":"add","value":{"\#(urn)":{"costCenter":"7","manager":{"value":"m"}}}}]"#,
            #"[{"op":"replace","path":"\#(urn)","value":{"costCenter":"7","manager":{"value":"m"}}}]"#,
            #"[{"op":"add","path":"\#(urn):costCenter","value":"7"},{"op":"add","path":"\#(urn):manager","value":{"value":"m"}}]"#,
        ]
        for operations in patches {
            documents.append(try patch(engine, empty, userType, operations).resource)
        }
        for document in documents {
            #expect(document[.init(urn)] == expected, "\(document)")
            #expect(document["schemas"] == [.string(SCIMSchemaURN.user), .string(urn)], "\(document)")
            #expect(document == documents[0])
        }
        // And a PATCH of the POSTed document by full path changes it in place.
        let replaced = try patch(engine, documents[1], userType, #"[{"op":"replace","path":"\#(urn):costCenter","value":"8"}]"#)
        #expect(replaced.resource[.init(urn)]?["costCenter"] == "8")
        #expect(replaced.changes == [AttributeChange(path: "\(urn):costCenter", before: "7", after: "8")])
    }

    @Test(arguments: [
        #"[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:Typo:2.0:User:costCenter","value":"7"}]"#,
        #"[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:Typo:2.0:User:costCenter"}]"#,
        #"[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:Typo:2.0:User","value":{"costCenter":"7"}}]"#,
        #"[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:Typo:2.0:User:costCenter":"7"}}]"#,
        #"[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:Typo:2.0:User":{"costCenter":"7"}}}]"#,
    ])
    func refuseNamesAnUndeclaredExtension(operations: String) throws {
        let registry = try CustomExtension.registry(.refuse)
        let user = try #require(registry.user)
        let resource = try base(ResourceValidator(registry: registry), user)
        let error = expectSCIMError(.invalidSyntax) { _ = try patch(PatchEngine(registry: registry), resource, user, operations) }
        #expect(error?.detail.contains("urn:ietf:params:scim:schemas:extension:Typo:2.0:User") == true, "\(error?.detail ?? "")")
    }

    @Test(arguments: [
        (#"[{"op":"replace","value":{"favouriteColour":"blue"}}]"#, "favouriteColour"),
        (#"[{"op":"replace","value":{"name.nickname":"x"}}]"#, "nickname"),
        (#"[{"op":"replace","path":"name","value":{"givenName":"B","nickname":"x"}}]"#, "nickname"),
        (#"[{"op":"add","path":"emails","value":[{"value":"a@x","label":"x"}]}]"#, "label"),
        (#"[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User":{"costCentre":"7"}}}]"#, "costCentre"),
        (#"[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User":{"supervisor.title":"x"}}}]"#, "title"),
    ])
    func refuseNamesAnUnknownAttribute(operations: String, name: String) throws {
        let strict = try CustomExtension.registry(.refuse)
        let user = try #require(strict.user)
        let resource = try base(ResourceValidator(registry: strict), user)
        let error = expectSCIMError(.invalidSyntax) { _ = try patch(PatchEngine(registry: strict), resource, user, operations) }
        #expect(error?.detail.contains(name) == true, "\(error?.detail ?? "")")
        // Ignored by the lenient default.
        let lenient = try CustomExtension.registry()
        let outcome = try patch(PatchEngine(registry: lenient), resource, user, operations)
        #expect(!outcome.resource.serializedString().contains(name))
    }

    @Test func refuseStillPatchesAResourceHoldingUndeclaredAttributes() throws {
        let stored = try base(ResourceValidator(), userType, #"{"userName":"bob","urn:x:old:2.0:User:k":"v"}"#)
        let strict = try CustomExtension.registry(.refuse)
        let user = try #require(strict.user)
        let outcome = try patch(PatchEngine(registry: strict), stored, user, #"[{"op":"replace","path":"\#(urn):costCenter","value":"9"}]"#)
        #expect(outcome.resource["urn:x:old:2.0:User"] == ["k": "v"])
        #expect(outcome.resource[.init(urn)] == ["costCenter": "9"])
    }
}
