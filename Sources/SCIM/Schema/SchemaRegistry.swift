/// The set of resource types and schemas a server speaks.
///
/// `.standard` is User (with the Enterprise User extension) and Group. Deployments add
/// extension schemas from a JSON file (RFC 7643 §7 representation) — Okta sends custom
/// namespaces such as `urn:ietf:params:scim:schemas:extension:acme:2.0:User` — and attach
/// them to a resource type; validation, filters, PATCH and `/Schemas` then know them.
public struct SchemaRegistry: Sendable, Hashable {
    public private(set) var resourceTypes: [ResourceType]
    /// What writes do with attributes no schema declares (default `.keep`). It lives here,
    /// beside the schemas it is about, so that it reaches everything the registry reaches
    /// (`ResourceValidator`, `PatchEngine`) without a parameter of its own.
    public var undeclaredAttributes: UndeclaredAttributePolicy

    public init(resourceTypes: [ResourceType], undeclaredAttributes: UndeclaredAttributePolicy = .keep) {
        self.resourceTypes = resourceTypes
        self.undeclaredAttributes = undeclaredAttributes
    }

    /// User (+ Enterprise User extension) and Group.
    public static let standard = SchemaRegistry(resourceTypes: [.user, .group])

    /// Every schema, each once: core schemas and their extensions, in resource-type order.
    public var schemas: [Schema] {
        var seen: Set<String> = []
        var result: [Schema] = []
        for type in resourceTypes {
            for schema in [type.schema] + type.extensions.map(\.schema) where seen.insert(ASCII.lowercased(schema.id)).inserted {
                result.append(schema)
            }
        }
        return result
    }

    /// The resource type whose id or name is `id` (case-insensitive).
    public func resourceType(id: String) -> ResourceType? {
        resourceTypes.first { ASCII.equalsIgnoringCase($0.id, id) || ASCII.equalsIgnoringCase($0.name, id) }
    }

    /// The resource type served at `endpoint` (`/Users` or `Users`, case-insensitive).
    public func resourceType(endpoint: String) -> ResourceType? {
        let wanted = endpoint.hasPrefix("/") ? endpoint : "/" + endpoint
        return resourceTypes.first { ASCII.equalsIgnoringCase($0.endpoint, wanted) }
    }

    /// The resource type whose core schema is `urn`.
    public func resourceType(coreSchema urn: String) -> ResourceType? {
        resourceTypes.first { ASCII.equalsIgnoringCase($0.schema.id, urn) }
    }

    /// The schema with URN `id` (case-insensitive).
    public func schema(id: String) -> Schema? {
        schemas.first { ASCII.equalsIgnoringCase($0.id, id) }
    }

    /// The User resource type, if registered.
    public var user: ResourceType? { resourceType(id: "User") }
    /// The Group resource type, if registered.
    public var group: ResourceType? { resourceType(id: "Group") }

    /// Attaches `schema` as an extension of the resource type `resourceTypeID`.
    /// Fails with `invalidValue` when the type is unknown or the URN is already in use.
    public mutating func addExtension(_ schema: Schema, to resourceTypeID: String, required: Bool = false) throws(SCIMError) {
        guard let index = resourceTypes.firstIndex(where: { ASCII.equalsIgnoringCase($0.id, resourceTypeID) }) else {
            throw .invalidValue("unknown resource type \"\(resourceTypeID)\"")
        }
        if self.schema(id: schema.id) != nil {
            throw .invalidValue("schema \"\(schema.id)\" is already registered")
        }
        for existing in self.schemas where ASCII.hasPrefixIgnoringCase(schema.id, existing.id + ":") || ASCII.hasPrefixIgnoringCase(existing.id, schema.id + ":") {
            throw .invalidValue("schema \"\(schema.id)\" overlaps \"\(existing.id)\": attribute paths would be ambiguous")
        }
        resourceTypes[index].extensions.append(ResourceType.SchemaExtension(schema: schema, required: required))
    }

    /// Loads extension schemas from their RFC 7643 §7 JSON representation — one schema
    /// object, an array of them, or a ListResponse of them — and attaches each to
    /// `resourceTypeID`. Returns the schemas added. Nothing is added if any one is invalid.
    @discardableResult
    public mutating func loadExtensions(from document: JSONValue, to resourceTypeID: String, required: Bool = false) throws(SCIMError) -> [Schema] {
        let items: [JSONValue]
        switch document {
        case .array(let array): items = array
        case .object(let object):
            if let resources = object.value(forAttribute: "Resources")?.arrayValue { items = resources } else { items = [document] }
        default:
            throw .invalidSyntax("a schema document must be an object, an array of objects or a ListResponse")
        }
        var updated = self
        var added: [Schema] = []
        for item in items {
            let schema = try Schema(json: item)
            try updated.addExtension(schema, to: resourceTypeID, required: required)
            added.append(schema)
        }
        self = updated
        return added
    }

    /// Parses `bytes` as JSON and loads the extension schemas it holds.
    @discardableResult
    public mutating func loadExtensions(from bytes: [UInt8], to resourceTypeID: String, required: Bool = false) throws(SCIMError) -> [Schema] {
        try loadExtensions(from: try JSONValue.parse(bytes), to: resourceTypeID, required: required)
    }
}
