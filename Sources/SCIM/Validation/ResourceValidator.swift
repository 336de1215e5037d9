/// Validates a resource sent for create (POST) or replace (PUT) and returns its canonical
/// form, the one that is stored in git.
///
/// Canonical form: attribute names in the schema's case; extension attributes under the
/// extension's canonical URN; `schemas` = the core schema, then the extensions present (in
/// the resource type's order), then unknown URNs the client listed (kept, e.g. Entra's
/// `…/ADSCIM/2.0/Group`); values coerced to their types; unassigned values (null, [], {},
/// complex values of empty strings) dropped. Validating a canonical resource again
/// returns it unchanged.
///
/// Rules (RFC 7643 §2, §7; RFC 7644 §3.3, §3.5.1):
/// - readOnly attributes sent by the client are ignored: `id`, `meta`, `groups`, and
///   readOnly sub-attributes such as `manager.displayName`.
/// - `password` (writeOnly) is never part of the resource; what was sent is returned in
///   `ValidatedResource.password` for the write path to decide (never store clear text).
/// - Required attributes must be present and non-empty: `userName` for a User,
///   `displayName` for a Group, and those of extension schemas that are present (or
///   required by the resource type) → `400 invalidValue`.
/// - Types are checked (`400 invalidValue`); booleans also accept `"True"`/`"False"` in
///   any case, integers accept `7.0`, decimals accept integers. Nothing else is coerced
///   (a number for a string attribute is an error). Shapes are forgiven: a single value
///   for a multi-valued attribute is wrapped, a one-element array for a single-valued one
///   unwrapped, and a bare value for a complex attribute with a `value` sub-attribute
///   means `{"value": …}` (Entra's `"manager": "<id>"`).
/// - At most one `primary: true` per multi-valued attribute (`400 invalidValue`).
/// - On replace (`existing` given), an immutable attribute that is already set must keep
///   its value (`400 mutability`); if the client omits it, the existing value is kept.
/// - The same attribute twice under different letter case is `400 invalidSyntax`.
/// - **Unknown attributes** (names no schema of the type defines, and unknown
///   sub-attributes) are ignored and dropped, as RFC 7644 §3.3 lets a server ignore
///   content it does not support. IdPs routinely send attributes a target does not map,
///   and failing the whole provisioning call for them would be worse than dropping them;
///   the response body shows the client what was kept. Attributes under an extension URN
///   the server does not know are the exception: they are kept as sent (Okta's custom
///   namespaces, listed in `schemas` or not).
/// - A missing `schemas` is accepted (the core schema is implied). A URN in `schemas` that
///   belongs to another resource type (e.g. the Group schema on a User) is
///   `400 invalidValue`.
/// - Group `members` stay in the result, each normalised to `{value, type?, display?}`
///   (`$ref` is dropped, `null` or not: the server derives it), duplicates by `value`
///   removed.
public struct ResourceValidator: Sendable {
    public let registry: SchemaRegistry

    public init(registry: SchemaRegistry = .standard) {
        self.registry = registry
    }

    /// Validates `input` for create (`existing` nil) or replace (`existing` = the stored
    /// resource). Errors: `invalidSyntax`, `invalidValue`, `mutability`.
    public func validate(_ input: JSONValue, as type: ResourceType, existing: JSONValue? = nil) throws(SCIMError) -> ValidatedResource {
        guard case .object(let object) = input else {
            throw .invalidSyntax("a \(type.name) must be a JSON object, got \(input.typeName)")
        }
        var (result, password) = try canonicalize(object, as: type, mode: .input)
        try checkRequired(result, as: type, missing: { .invalidValue($0) })
        if case .object(let old)? = existing {
            try ResourceValidator.checkImmutables(old: old, new: &result, as: type, carryOver: true)
            ResourceValidator.refreshSchemas(&result, as: type)
        }
        return ValidatedResource(resource: .object(result), password: password)
    }

    /// Re-canonicalises a resource the server itself produced (read from the store or
    /// patched): like `validate`, but readOnly attributes (`id`, `meta`, `groups`, …) are
    /// kept. writeOnly values are still dropped and unknown attributes still ignored.
    public func canonicalizeStored(_ resource: JSONValue, as type: ResourceType) throws(SCIMError) -> JSONValue {
        guard case .object(let object) = resource else {
            throw .invalidSyntax("a \(type.name) must be a JSON object, got \(resource.typeName)")
        }
        return .object(try canonicalize(object, as: type, mode: .stored).object)
    }

    // MARK: - Steps

    func canonicalize(_ input: [String: JSONValue], as type: ResourceType, mode: ValueNormalizer.Mode) throws(SCIMError) -> (object: [String: JSONValue], password: String?) {
        let normalizer = ValueNormalizer(mode: mode)
        var output: [String: JSONValue] = [:]
        var extensions: [String: [String: JSONValue]] = [:]
        var unknownURNs: [String] = []
        var password: String?
        var sources: [String: String] = [:]

        func noteUnknown(_ urn: String) {
            if !unknownURNs.contains(where: { ASCII.equalsIgnoringCase($0, urn) }) { unknownURNs.append(urn) }
        }
        func claim(_ canonical: String, from key: String) throws(SCIMError) {
            if let earlier = sources[canonical] {
                throw .invalidSyntax("attribute \"\(canonical)\" appears twice (as \"\(earlier)\" and \"\(key)\")")
            }
            sources[canonical] = key
        }

        // `schemas`: known URNs are recomputed from content; unknown ones are kept.
        if let listed = input.value(forAttribute: "schemas"), !listed.isNull {
            let items: [JSONValue]
            if case .array(let array) = listed { items = array } else { items = [listed] }
            for item in items {
                guard case .string(let urn) = item else {
                    throw .invalidValue("\"schemas\" must be an array of schema URIs")
                }
                if type.hasSchema(urn) { continue }
                if registry.schema(id: urn) != nil {
                    throw .invalidValue("schema \(urn) does not apply to \(type.name) resources")
                }
                noteUnknown(urn)
            }
        }

        for key in input.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = input[key]!
            if ASCII.equalsIgnoringCase(key, "schemas") { continue }

            if let schema = type.extensionSchema(key) {
                try claim(schema.id, from: key)
                if value.isNull { continue }
                guard case .object(let members) = value else {
                    throw .invalidValue("\"\(schema.id)\" must be an object of extension attributes, got \(value.typeName)")
                }
                for memberKey in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    guard let definition = schema.attribute(named: memberKey) else { continue }
                    let dotted = schema.id + ":" + definition.name
                    try claim(dotted, from: key + "." + memberKey)
                    if definition.mutability == .writeOnly { continue }
                    if mode == .input, definition.mutability == .readOnly { continue }
                    if let normalized = try normalizer.normalize(members[memberKey]!, definition, path: dotted) {
                        extensions[schema.id, default: [:]][definition.name] = normalized
                    }
                }
                continue
            }

            if key.utf8.contains(UInt8(ascii: ":")) {
                // A URN-qualified attribute (`urn:…:User:userName`) or an unknown extension.
                if let path = AttributePath.parseNotation(key), path.subAttribute == nil,
                   case .attribute(let resolved) = type.resolution(of: path), let definition = resolved.definition {
                    try claim(resolved.path.dotted, from: key)
                    if definition.mutability == .writeOnly {
                        if definition.name == "password", resolved.container == .core { password = try ResourceValidator.password(value) }
                        continue
                    }
                    if mode == .input, definition.mutability == .readOnly { continue }
                    if ASCII.equalsIgnoringCase(definition.name, "schemas") { continue }
                    guard let normalized = try normalizer.normalize(value, definition, path: resolved.path.dotted) else { continue }
                    switch resolved.container {
                    case .core: output[definition.name] = normalized
                    case .extension(let urn): extensions[urn, default: [:]][definition.name] = normalized
                    }
                    continue
                }
                if value.isUnassigned { continue }
                let listed = unknownURNs.contains { ASCII.equalsIgnoringCase($0, key) }
                guard listed || value.objectValue != nil else { continue }
                guard registry.schema(id: key) == nil else {
                    throw .invalidValue("schema \(key) does not apply to \(type.name) resources")
                }
                try claim(key, from: key)
                output[key] = value  // unknown extension: kept as sent
                noteUnknown(key)
                continue
            }

            guard let definition = type.coreAttribute(named: key) else { continue }  // unknown: ignored
            try claim(definition.name, from: key)
            if definition.mutability == .writeOnly {
                if definition.name == "password" { password = try ResourceValidator.password(value) }
                continue
            }
            if mode == .input, definition.mutability == .readOnly { continue }
            if let normalized = try normalizer.normalize(value, definition, path: definition.name) {
                output[definition.name] = normalized
            }
        }

        var schemas: [JSONValue] = [.string(type.schema.id)]
        for ext in type.extensions {
            if let members = extensions[ext.schema.id], !members.isEmpty {
                output[ext.schema.id] = .object(members)
                schemas.append(.string(ext.schema.id))
            }
        }
        schemas.append(contentsOf: unknownURNs.map(JSONValue.string))
        output["schemas"] = .array(schemas)
        return (output, password)
    }

    /// Recomputes `schemas` after extension objects were added or removed: the core
    /// schema, the extensions present, then the unknown URNs already listed.
    static func refreshSchemas(_ object: inout [String: JSONValue], as type: ResourceType) {
        var schemas: [JSONValue] = [.string(type.schema.id)]
        for ext in type.extensions where object[ext.schema.id]?.isUnassigned == false {
            schemas.append(.string(ext.schema.id))
        }
        for case .string(let urn) in object["schemas"]?.arrayValue ?? [] where !type.hasSchema(urn) {
            schemas.append(.string(urn))
        }
        object["schemas"] = .array(schemas)
    }

    private static func password(_ value: JSONValue) throws(SCIMError) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: throw .invalidValue("\"password\": expected a string, got \(value.typeName)")
        }
    }

    /// Required attributes: missing → `missing(detail)`; an empty string → `invalidValue`.
    func checkRequired(_ object: [String: JSONValue], as type: ResourceType, missing: (String) -> SCIMError) throws(SCIMError) {
        func check(_ definitions: [AttributeDefinition], in holder: [String: JSONValue], prefix: String) throws(SCIMError) {
            for definition in definitions where definition.required && definition.mutability != .readOnly && definition.mutability != .writeOnly {
                guard let value = holder[definition.name] else {
                    throw missing("\"\(prefix)\(definition.name)\" is required")
                }
                if value.stringValue?.isEmpty == true {
                    throw .invalidValue("\"\(prefix)\(definition.name)\" must not be empty")
                }
            }
        }
        try check(type.schema.attributes, in: object, prefix: "")
        for ext in type.extensions {
            if case .object(let members)? = object[ext.schema.id] {
                try check(ext.schema.attributes, in: members, prefix: ext.schema.id + ":")
            } else if ext.required {
                throw missing("the extension \(ext.schema.id) is required")
            }
        }
    }

    /// Immutable attributes already set in `old` must keep their value in `new`.
    /// With `carryOver`, one missing from `new` is copied from `old` (PUT); otherwise
    /// its removal is a mutability error (PATCH).
    static func checkImmutables(old: [String: JSONValue], new: inout [String: JSONValue], as type: ResourceType, carryOver: Bool) throws(SCIMError) {
        func check(_ definitions: [AttributeDefinition], old: [String: JSONValue], new: inout [String: JSONValue], prefix: String) throws(SCIMError) {
            for definition in definitions {
                if definition.mutability == .immutable, let before = old[definition.name], !before.isUnassigned {
                    if let after = new[definition.name] {
                        guard after == before else {
                            throw .mutability("\"\(prefix)\(definition.name)\" is immutable and already set")
                        }
                    } else if carryOver {
                        new[definition.name] = before
                    } else {
                        throw .mutability("\"\(prefix)\(definition.name)\" is immutable and cannot be removed")
                    }
                } else if definition.type == .complex, !definition.multiValued,
                          definition.subAttributes.contains(where: { $0.mutability == .immutable }),
                          case .object(let oldInner)? = old[definition.name] {
                    var newInner = new[definition.name]?.objectValue ?? [:]
                    try check(definition.subAttributes, old: oldInner, new: &newInner, prefix: prefix + definition.name + ".")
                    new[definition.name] = newInner.isEmpty ? nil : .object(newInner)
                }
            }
        }
        try check(type.schema.attributes + [CommonAttributes.externalId], old: old, new: &new, prefix: "")
        for ext in type.extensions {
            guard case .object(let oldMembers)? = old[ext.schema.id] else { continue }
            var newMembers = new[ext.schema.id]?.objectValue ?? [:]
            try check(ext.schema.attributes, old: oldMembers, new: &newMembers, prefix: ext.schema.id + ":")
            if !newMembers.isEmpty { new[ext.schema.id] = .object(newMembers) }
        }
    }
}

/// The outcome of validating a create or replace body.
public struct ValidatedResource: Sendable, Hashable {
    /// The canonical resource, without `id`, `meta`, `groups` and `password`.
    public var resource: JSONValue
    /// The `password` the client sent, if any. Never part of `resource`; the write path
    /// decides what, if anything, to keep (never clear text).
    public var password: String?

    public init(resource: JSONValue, password: String?) {
        self.resource = resource
        self.password = password
    }
}
