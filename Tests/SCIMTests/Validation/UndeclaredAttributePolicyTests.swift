import Testing
@testable import SCIM

/// `SchemaRegistry.undeclaredAttributes`: `.keep` (lenient, the default) and `.refuse`
/// (`serve --strict-schemas`) on create and replace.
@Suite("Undeclared attributes: keep or refuse")
struct UndeclaredAttributePolicyTests {
    let custom = CustomExtension.urn
    let undeclared = "urn:ietf:params:scim:schemas:extension:Typo:2.0:User"

    func strict() throws -> (ResourceValidator, ResourceType) {
        let registry = try CustomExtension.registry(.refuse)
        return (ResourceValidator(registry: registry), try #require(registry.user))
    }

    @Test func keepIsTheDefault() throws {
        #expect(SchemaRegistry.standard.undeclaredAttributes == .keep)
        #expect(try CustomExtension.registry().undeclaredAttributes == .keep)
    }

    @Test(arguments: [
        #"{"userName":"bob","urn:ietf:params:scim:schemas:extension:Typo:2.0:User":{"costCenter":"7"}}"#,
        #"{"userName":"bob","urn:ietf:params:scim:schemas:extension:Typo:2.0:User:costCenter":"7"}"#,
        #"{"userName":"bob","urn:ietf:params:scim:schemas:extension:Typo:2.0:User:manager.value":"m"}"#,
        #"{"userName":"bob","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:Typo:2.0:User"]}"#,
    ])
    func refuseNamesAnUndeclaredExtension(body: String) throws {
        let (validator, user) = try strict()
        let error = expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(body), as: user) }
        #expect(error?.detail.contains(undeclared) == true, "\(error?.detail ?? "")")
        // The same body is kept by the lenient default.
        let kept = try ResourceValidator(registry: try CustomExtension.registry()).validate(try json(body), as: user).resource
        #expect(kept["schemas"]?.arrayValue?.contains(.string(undeclared)) == true)
    }

    @Test(arguments: [
        (#"{"userName":"bob","favouriteColour":"blue"}"#, "favouriteColour"),
        (#"{"userName":"bob","name":{"givenName":"B","nickname":"x"}}"#, "nickname"),
        (#"{"userName":"bob","name.nickname":"x"}"#, "nickname"),
        (#"{"userName":"bob","urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User":{"costCentre":"7"}}"#, "costCentre"),
        (#"{"userName":"bob","urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCentre":"7"}"#, "costCentre"),
        (#"{"userName":"bob","urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User":{"supervisor":{"value":"m","title":"x"}}}"#, "title"),
        (#"{"userName":"bob","emails":[{"value":"a@x","label":"x"}]}"#, "label"),
    ])
    func refuseNamesAnUnknownAttribute(body: String, name: String) throws {
        let (validator, user) = try strict()
        let error = expectSCIMError(.invalidSyntax) { _ = try validator.validate(try json(body), as: user) }
        #expect(error?.detail.contains(name) == true, "\(error?.detail ?? "")")
        // Ignored by the lenient default (RFC 7644 §3.3).
        let kept = try ResourceValidator(registry: try CustomExtension.registry()).validate(try json(body), as: user).resource
        #expect(!kept.serializedString().contains(name))
    }

    @Test func refuseAcceptsWhatIsDeclared() throws {
        let (validator, user) = try strict()
        let resource = try validator.validate(try json(#"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\#(custom)"],"userName":"bob","name":{"givenName":"B"},
             "id":"ignored","meta":{"created":"2020-01-01T00:00:00Z"},"groups":[],"password":"pw",
             "\#(custom)":{"costCenter":"7"},"\#(custom):level":3,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"}}
            """#), as: user).resource
        #expect(resource[.init(custom)] == ["costCenter": "7", "level": 3])
    }

    @Test func refuseDoesNotRejectWhatIsAlreadyStored() throws {
        // Written while the policy was `.keep`; the server restarted with `.refuse`.
        let stored = try ResourceValidator().validate(try json(#"{"userName":"bob","\#(undeclared):costCenter":"7","favouriteColour":"blue"}"#), as: userType).resource
        let (validator, user) = try strict()
        let again = try validator.canonicalizeStored(stored, as: user)
        #expect(again[.init(undeclared)] == ["costCenter": "7"])
    }
}
