/// A SCIM resource type (RFC 7643 §6): its endpoint, core schema and extension schemas.
///
/// Everything schema-aware in the module takes a `ResourceType`, because the set of
/// attributes a resource may carry is the union of the core schema, the extensions
/// attached to the type, and the common attributes (`id`, `externalId`, `meta`).
public struct ResourceType: Sendable, Hashable {
    /// An extension schema attached to the resource type.
    public struct SchemaExtension: Sendable, Hashable {
        public var schema: Schema
        /// When true, every resource of this type must carry the extension.
        public var required: Bool

        public init(schema: Schema, required: Bool = false) {
            self.schema = schema
            self.required = required
        }
    }

    /// The resource type id, e.g. `User`.
    public var id: String
    /// The resource type name, e.g. `User` (used in `meta.resourceType`).
    public var name: String
    /// The endpoint relative to the base URL, e.g. `/Users`.
    public var endpoint: String
    public var description: String
    /// The core schema.
    public var schema: Schema {
        didSet { refreshFacts() }
    }
    /// Extension schemas, in the order they were attached.
    public var extensions: [SchemaExtension] {
        didSet { refreshFacts() }
    }

    /// The attributes whose values must be unique (`uniqueness` `server` or `global`), core
    /// and extension, sub-attributes included, with what the store needs to index them.
    /// Computed when the schemas change, not per write: the store consults it on every
    /// create and replace. `userName` is listed like any other (a store that already
    /// enforces its kind's name attribute may skip it); `id` is not (the server assigns it).
    public private(set) var uniqueAttributes: [UniqueAttribute] = []

    /// True when a stored resource of this type may hold values the default projection
    /// does not return: an attribute or sub-attribute, core or extension, that is
    /// `writeOnly` or `returned` `never` (stored, never returned) or `request` (returned
    /// only when named in `attributes`). The core `password` does not count: it is never
    /// stored. While this is false, the store may answer a default read with the file's
    /// bytes as they are (see `Projection.isIdentity(for:)`); when true it must project.
    public private(set) var hidesStoredAttributes = false

    public init(id: String, name: String, endpoint: String, description: String = "", schema: Schema, extensions: [SchemaExtension] = []) {
        self.id = id
        self.name = name
        self.endpoint = endpoint
        self.description = description
        self.schema = schema
        self.extensions = extensions
        refreshFacts()
    }

    private mutating func refreshFacts() {
        uniqueAttributes = UniqueAttribute.all(in: self)
        hidesStoredAttributes = ResourceType.hidesStoredAttributes(self)
    }

    private static func hidesStoredAttributes(_ type: ResourceType) -> Bool {
        func hides(_ definition: AttributeDefinition) -> Bool {
            definition.isNeverReturned || definition.returned == .request || definition.subAttributes.contains(where: hides)
        }
        return type.schema.attributes.contains { !isUnstoredPassword($0) && hides($0) }
            || type.extensions.contains { $0.schema.attributes.contains(where: hides) }
    }

    /// True for the core schema's `password`, the one attribute whose values are never
    /// stored: scimgit authenticates no users, so it keeps neither the clear text nor a
    /// hash, and hands what a client sent to the write path (`ValidatedResource.password`,
    /// `PatchOutcome.password`). Every other writeOnly attribute is stored and never
    /// returned, as RFC 7643 §7 describes writeOnly. Pass core definitions only.
    static func isUnstoredPassword(_ definition: AttributeDefinition) -> Bool {
        definition.mutability == .writeOnly && definition.name == "password"
    }

    /// The standard User resource type with the Enterprise User extension (optional).
    public static let user = ResourceType(
        id: "User", name: "User", endpoint: "/Users", description: "User Account", schema: .user,
        extensions: [SchemaExtension(schema: .enterpriseUser, required: false)])

    /// The standard Group resource type.
    public static let group = ResourceType(id: "Group", name: "Group", endpoint: "/Groups", description: "Group", schema: .group)

    /// The extension schema with URN `urn` (case-insensitive).
    public func extensionSchema(_ urn: String) -> Schema? {
        extensions.first { ASCII.equalsIgnoringCase($0.schema.id, urn) }?.schema
    }

    /// True when `urn` is the core schema or one of the extensions (case-insensitive).
    public func hasSchema(_ urn: String) -> Bool {
        ASCII.equalsIgnoringCase(schema.id, urn) || extensionSchema(urn) != nil
    }

    /// The core-level attribute named `name`: a common attribute (`id`, `externalId`,
    /// `meta`, `schemas`) or one of the core schema's attributes (case-insensitive).
    public func coreAttribute(named name: String) -> AttributeDefinition? {
        schema.attribute(named: name) ?? CommonAttributes.named(name)
    }

    /// The core schema URN followed by the extension URNs.
    public var schemaURNs: [String] { [schema.id] + extensions.map(\.schema.id) }
}
