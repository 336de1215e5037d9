import Testing
@testable import SCIM

/// The custom extension of `Fixtures/entra/custom-extension-schema.json` (one attribute of
/// each characteristic), declared the way a deployment declares one: `Schema(json:)`,
/// then `SchemaRegistry.addExtension`.
enum CustomExtension {
    static let urn = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"

    static func registry(_ policy: UndeclaredAttributePolicy = .keep) throws -> SchemaRegistry {
        var registry = SchemaRegistry.standard
        registry.undeclaredAttributes = policy
        try registry.addExtension(try Schema(json: Fixture.json("entra/custom-extension-schema.json")), to: "User")
        return registry
    }

    static func userType() throws -> ResourceType {
        try #require(try registry().user)
    }

    /// `urn:…:CustomExtensionName:2.0:User:<attribute>`, the full path Entra uses.
    static func path(_ attribute: String) -> String { urn + ":" + attribute }
}
