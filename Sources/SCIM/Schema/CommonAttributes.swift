/// The attributes every resource has but no schema lists (RFC 7643 §3.1): `id`,
/// `externalId`, `meta`, plus `schemas` (§3).
///
/// They are defined here so that filters (`id eq "…"`, `meta.lastModified gt "…"`),
/// sorting, projection and PATCH mutability checks treat them like any other attribute.
/// They are not part of the `/Schemas` output, as in RFC 7643 §8.7.1.
public enum CommonAttributes {
    public static let id = AttributeDefinition(
        name: "id", type: .string, description: "A unique identifier for a SCIM resource as defined by the service provider.",
        caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server)

    public static let externalId = AttributeDefinition(
        name: "externalId", type: .string, description: "An identifier for the resource as defined by the provisioning client.",
        caseExact: true, mutability: .readWrite, returned: .default)

    public static let meta = AttributeDefinition.complex(
        "meta", "A complex attribute containing resource metadata.", mutability: .readOnly, [
            AttributeDefinition(name: "resourceType", type: .string, description: "The name of the resource type of the resource.", caseExact: true, mutability: .readOnly),
            AttributeDefinition(name: "created", type: .dateTime, description: "The date and time the resource was added to the service provider.", mutability: .readOnly),
            AttributeDefinition(name: "lastModified", type: .dateTime, description: "The most recent date and time the resource was modified.", mutability: .readOnly),
            AttributeDefinition(name: "location", type: .reference, description: "The URI of the resource being returned.", caseExact: true, mutability: .readOnly, referenceTypes: ["uri"]),
            AttributeDefinition(name: "version", type: .string, description: "The version (ETag) of the resource being returned.", caseExact: true, mutability: .readOnly),
        ])

    public static let schemas = AttributeDefinition(
        name: "schemas", type: .reference, multiValued: true, description: "The schema URIs the resource conforms to.",
        required: true, caseExact: false, mutability: .readOnly, returned: .always, referenceTypes: ["uri"])

    /// All four, in the order they are listed in diffs.
    public static let all: [AttributeDefinition] = [schemas, id, externalId, meta]

    /// The common attribute named `name` (case-insensitive).
    public static func named(_ name: String) -> AttributeDefinition? {
        all.first { ASCII.equalsIgnoringCase($0.name, name) }
    }
}
