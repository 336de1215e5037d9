/// Validates a resource sent for create (POST) or replace (PUT) and returns its canonical
/// form, the one that is stored in git.
///
/// Canonical form: attribute names in the schema's case; extension attributes under the
/// extension's canonical URN; `schemas` = the core schema, then the extensions present (in
/// the resource type's order), then unknown URNs the client listed (kept, e.g. Entra's
/// `…/ADSCIM/2.0/Group`); values coerced to their types; unassigned values (null, [], {},
/// complex values of empty strings) dropped; a multi-valued attribute's duplicate values
/// merged. Validating a canonical resource again returns it unchanged.
///
/// Rules (RFC 7643 §2, §7; RFC 7644 §3.3, §3.5.1):
/// - readOnly attributes sent by the client are ignored: `id`, `meta`, `groups`, and
///   readOnly sub-attributes such as `manager.displayName`.
/// - `password` (writeOnly) is never part of the resource; what was sent is returned in
///   `ValidatedResource.password` for the write path to decide (never store clear text).
///   Every other writeOnly attribute is stored like any other (and never returned, see
///   `Projection`): dropping it would lose what the client asked to keep.
/// - Required attributes must be present and non-empty: `userName` for a User,
///   `displayName` for a Group, and those of extension schemas that are present (or
///   required by the resource type) → `400 invalidValue`.
/// - Types are checked (`400 invalidValue` naming the attribute): strings, booleans
///   (also `"True"`/`"False"` in any case), integers (also `7.0`), decimals (also
///   integers), `xsd:dateTime`, references (no spaces or characters no URI holds),
///   binary (base64), complex (an object). Nothing else is coerced (a number for a string
///   attribute is an error). Shapes are forgiven: a single value for a multi-valued
///   attribute is wrapped, a one-element array for a single-valued one unwrapped, and a
///   bare value for a complex attribute with a `value` sub-attribute means `{"value": …}`
///   (Entra's `"manager": "<id>"`).
/// - Canonical values are enforced for attributes of schemas read from JSON
///   (`AttributeDefinition.enforcesCanonicalValues`): another value is `400 invalidValue`
///   listing the allowed ones; a match in another letter case is stored in the canonical
///   spelling (unless `caseExact`).
/// - At most one `primary: true` per multi-valued attribute (`400 invalidValue`), and no
///   (type, value) pair twice (RFC 7643 §2.4): a repeated value is stored once, keeping
///   the first, with `primary` if any copy had it and the first `display`.
/// - On replace (`existing` given), an immutable attribute that is already set must keep
///   its value (`400 mutability`); if the client omits it, the existing value is kept. So
///   is an omitted value the client cannot have read (writeOnly or `returned: never`):
///   Okta PUTs back what it last read, which never holds them.
/// - The same attribute twice under different letter case, or both nested and as a
///   URN-qualified key, is `400 invalidSyntax`.
/// - URN-qualified keys name attributes: `urn:…:core:2.0:User:userName`,
///   `urn:…:enterprise:2.0:User:department`, `urn:…:User:manager.value` (and dotted keys
///   such as `name.givenName`) are read as the attribute they name, typed and checked.
/// - **Unknown attributes** (names no schema of the type defines, and unknown
///   sub-attributes) are ignored and dropped, as RFC 7644 §3.3 lets a server ignore
///   content it does not support. IdPs routinely send attributes a target does not map,
///   and failing the whole provisioning call for them would be worse than dropping them;
///   the response body shows the client what was kept. Attributes under an extension URN
///   the server does not know are the exception: they are kept as sent, nested under the
///   URN, which is listed in `schemas` (Okta's custom namespaces as objects; Entra's
///   custom attributes as top-level keys `urn:…:CustomExtensionName:2.0:User:costCenter`,
///   stored as `{"urn:…:CustomExtensionName:2.0:User": {"costCenter": …}}`, as PATCH
///   stores them). With `SchemaRegistry.undeclaredAttributes == .refuse`, every one of
///   these is `400 invalidSyntax` naming it instead.
/// - A missing `schemas` is accepted (the core schema is implied). A URN in `schemas` that
///   belongs to another resource type (e.g. the Group schema on a User) is
///   `400 invalidValue`.
/// - Group `members` stay in the result, each normalised to `{value, type?, display?}`
///   (`$ref` is dropped, `null` or not: the server derives it), duplicates by `value`
///   removed.
///
/// Failures throw before anything is returned: the validator is pure, so a refused write
/// changes nothing.
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
        if case .object(let old)? = existing {
            ResourceValidator.carryOverUnseen(old: old, new: &result, as: type)
            try ResourceValidator.checkImmutables(old: old, new: &result, as: type, carryOver: true)
            ResourceValidator.refreshSchemas(&result, as: type)
        }
        try checkRequired(result, as: type, missing: { .invalidValue($0) })
        return ValidatedResource(resource: .object(result), password: password)
    }

    /// Re-canonicalises a resource the server itself produced (read from the store or
    /// patched): like `validate`, but readOnly attributes (`id`, `meta`, `groups`, …) are
    /// kept, and undeclared attributes are never refused (they were accepted when
    /// written). `password` is still dropped and unknown attributes still ignored.
    public func canonicalizeStored(_ resource: JSONValue, as type: ResourceType) throws(SCIMError) -> JSONValue {
        guard case .object(let object) = resource else {
            throw .invalidSyntax("a \(type.name) must be a JSON object, got \(resource.typeName)")
        }
        return .object(try canonicalize(object, as: type, mode: .stored).object)
    }

    // MARK: - Steps

    func canonicalize(_ input: [String: JSONValue], as type: ResourceType, mode: ValueNormalizer.Mode) throws(SCIMError) -> (object: [String: JSONValue], password: String?) {
        let policy = registry.undeclaredAttributes
        let refuses = mode == .input && policy == .refuse
        let normalizer = ValueNormalizer(mode: mode, undeclared: policy)
        var output: [String: JSONValue] = [:]
        var extensions: [String: [String: JSONValue]] = [:]
        var unknownURNs: [String] = []
        var password: String?
        var sources: [String: String] = [:]
        // Keys naming a part of a value (`urn:…:User:manager.value`, `name.givenName`) and
        // attributes of undeclared extensions (`urn:…:Custom:2.0:User:costCenter`): applied
        // once every whole value is in place, so that the order of keys does not matter.
        var subAttributeKeys: [(resolved: ResolvedAttribute, key: String, value: JSONValue)] = []
        var undeclaredKeys: [(urn: String, attribute: String, sub: String?, key: String, value: JSONValue)] = []

        func noteUnknown(_ urn: String) {
            if !unknownURNs.contains(where: { ASCII.equalsIgnoringCase($0, urn) }) { unknownURNs.append(urn) }
        }
        func claim(_ canonical: String, from key: String) throws(SCIMError) {
            if let earlier = sources[canonical] {
                throw .invalidSyntax("attribute \"\(canonical)\" appears twice (as \"\(earlier)\" and \"\(key)\")")
            }
            sources[canonical] = key
        }
        /// Under `.refuse`, an undeclared name is an error; otherwise the caller ignores or keeps it.
        func refuseUndeclared(_ detail: String) throws(SCIMError) {
            if refuses { throw .invalidSyntax("\(detail) (undeclared attributes are refused)") }
        }
        func doesNotApply(_ urn: String) -> SCIMError {
            .invalidValue("schema \(urn) does not apply to \(type.name) resources")
        }
        /// One whole value of a declared attribute, checked and put in its container.
        func store(_ definition: AttributeDefinition, in container: ResolvedAttribute.Container, dotted: String, from key: String, _ value: JSONValue) throws(SCIMError) {
            try claim(dotted, from: key)
            if container == .core {
                if ResourceType.isUnstoredPassword(definition) {
                    password = try ResourceValidator.password(value)
                    return
                }
                if ASCII.equalsIgnoringCase(definition.name, "schemas") { return }
            }
            if mode == .input, definition.mutability == .readOnly { return }
            guard let normalized = try normalizer.normalize(value, definition, path: dotted) else { return }
            switch container {
            case .core: output[definition.name] = normalized
            case .extension(let urn): extensions[urn, default: [:]][definition.name] = normalized
            }
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
                if registry.schema(id: urn) != nil { throw doesNotApply(urn) }
                try refuseUndeclared("schema \(urn) is not declared for \(type.name) resources")
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
                    guard let definition = schema.attribute(named: memberKey) else {
                        try refuseUndeclared("no attribute \"\(memberKey)\" in schema \(schema.id)")
                        continue  // unknown: ignored
                    }
                    try store(definition, in: .extension(schema.id), dotted: schema.id + ":" + definition.name, from: key + "." + memberKey, members[memberKey]!)
                }
                continue
            }

            let qualified = key.utf8.contains(UInt8(ascii: ":"))
            if !qualified, let definition = type.coreAttribute(named: key) {
                try store(definition, in: .core, dotted: definition.name, from: key, value)
                continue
            }

            // A path rather than a name: `urn:…:core:2.0:User:userName`,
            // `urn:…:enterprise:2.0:User:manager.value`, `urn:…:Custom:2.0:User:costCenter`,
            // `name.givenName`; or a whole undeclared extension (`urn:…:acme:2.0:User`).
            if let notation = AttributePath.parseNotation(key) {
                switch type.resolution(of: notation) {
                case .attribute(let resolved):
                    if let definition = resolved.definition {
                        if resolved.path.subAttribute != nil {
                            subAttributeKeys.append((resolved, key, value))
                        } else {
                            try store(definition, in: resolved.container, dotted: resolved.path.dotted, from: key, value)
                        }
                        continue
                    }
                    let urn = resolved.extensionURN ?? ""
                    if registry.schema(id: urn) != nil { throw doesNotApply(urn) }
                    // Another key of the body or a `schemas` entry says which URNs hold extensions.
                    let whole = UndeclaredName.namesWholeExtension(key, value: value) { urn in
                        unknownURNs.contains { ASCII.equalsIgnoringCase($0, urn) }
                            || (urn.utf8.count != key.utf8.count && input.key(matchingAttribute: urn) != nil)
                    }
                    if !whole {
                        try refuseUndeclared("schema \(urn) is not declared for \(type.name) resources (in \"\(key)\")")
                        if !value.isUnassigned { undeclaredKeys.append((urn, notation.attribute, notation.subAttribute, key, value)) }
                        continue
                    }
                case .wholeExtension:
                    break
                case .unknown(let reason):
                    guard let schema = notation.schema else {
                        try refuseUndeclared(reason)
                        continue  // an unknown core attribute or sub-attribute: ignored
                    }
                    if ASCII.equalsIgnoringCase(key, type.schema.id) {
                        throw .invalidValue("\"\(key)\" names the core schema; its attributes are top-level members")
                    }
                    if type.hasSchema(schema) {
                        try refuseUndeclared(reason)
                        continue  // an unknown attribute of a declared schema: ignored
                    }
                    if registry.schema(id: schema) != nil { throw doesNotApply(schema) }
                    // Otherwise the part before the last colon is no URN (`urn:acme`): the
                    // key can only be a whole extension.
                }
            } else if !qualified {
                try refuseUndeclared("no attribute \"\(key)\" in \(type.name) resources")
                continue  // unknown: ignored
            }

            // A whole extension the registry does not know: kept as sent.
            if registry.schema(id: key) != nil {
                if value.isUnassigned { continue }
                throw doesNotApply(key)
            }
            try refuseUndeclared("schema \(key) is not declared for \(type.name) resources")
            if value.isUnassigned { continue }
            guard value.objectValue != nil || unknownURNs.contains(where: { ASCII.equalsIgnoringCase($0, key) }) else { continue }
            try claim(ASCII.lowercased(key), from: key)
            output[key] = value
            noteUnknown(key)
        }

        // `urn:…:User:manager.value: "id"` and `name.givenName: "B"`: set in the value they
        // are part of, which is then checked whole.
        for (resolved, key, value) in subAttributeKeys {
            guard let definition = resolved.definition, let sub = resolved.subDefinition else { continue }
            try claim(resolved.path.dotted, from: key)
            if mode == .input, definition.mutability == .readOnly || sub.mutability == .readOnly { continue }
            let parentPath = (resolved.extensionURN.map { $0 + ":" } ?? "") + definition.name
            let twice = SCIMError.invalidSyntax("attribute \"\(resolved.path.dotted)\" appears twice (in \"\(parentPath)\" and as \"\(key)\")")
            let current: JSONValue?
            switch resolved.container {
            case .core: current = output[definition.name]
            case .extension(let urn): current = extensions[urn]?[definition.name]
            }
            var object: [String: JSONValue] = [:]
            switch current {
            case nil: break
            case .object(let existing)?: object = existing
            case .array(let elements)? where elements.count == 1 && elements[0].objectValue != nil: object = elements[0].objectValue!
            default: throw twice
            }
            if object[sub.name] != nil { throw twice }
            object[sub.name] = value
            let normalized = try normalizer.normalize(.object(object), definition, path: parentPath)
            switch resolved.container {
            case .core: output[definition.name] = normalized
            case .extension(let urn): extensions[urn, default: [:]][definition.name] = normalized
            }
        }

        // `urn:…:Custom:2.0:User:costCenter: "7"`: nested under its URN, as sent.
        for entry in undeclaredKeys {
            let container = output.key(matchingAttribute: entry.urn) ?? unknownURNs.first { ASCII.equalsIgnoringCase($0, entry.urn) } ?? entry.urn
            let dotted = container + ":" + entry.attribute + (entry.sub.map { "." + $0 } ?? "")
            try claim(ASCII.lowercased(dotted), from: entry.key)
            let twice = SCIMError.invalidSyntax("attribute \"\(dotted)\" appears twice (in \"\(container)\" and as \"\(entry.key)\")")
            var object: [String: JSONValue] = [:]
            switch output[container] {
            case nil: break
            case .object(let existing)?: object = existing
            default: throw twice
            }
            if let sub = entry.sub {
                let attributeKey = object.key(matchingAttribute: entry.attribute) ?? entry.attribute
                var inner: [String: JSONValue] = [:]
                switch object[attributeKey] {
                case nil: break
                case .object(let existing)?: inner = existing
                default: throw twice
                }
                if inner.key(matchingAttribute: sub) != nil { throw twice }
                inner[sub] = entry.value
                object[attributeKey] = .object(inner)
            } else {
                if object.key(matchingAttribute: entry.attribute) != nil { throw twice }
                object[entry.attribute] = entry.value
            }
            output[container] = .object(object)
            noteUnknown(container)
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

    /// On replace, the values the client cannot have read — writeOnly and `returned:
    /// never` attributes and sub-attributes of singular complex ones — are carried over
    /// from `old` when the client omits them. A client that PUTs back what it read (Okta
    /// does) never holds them, and RFC 7644 §3.5.1 leaves omitted attributes to the
    /// server; clearing them would silently lose data. (`returned: request` values are not
    /// carried over: a client may have asked for them, and omitting them clears them.)
    static func carryOverUnseen(old: [String: JSONValue], new: inout [String: JSONValue], as type: ResourceType) {
        guard type.hidesStoredAttributes else { return }
        func carry(_ definitions: [AttributeDefinition], core: Bool, old: [String: JSONValue], new: inout [String: JSONValue]) {
            for definition in definitions where !(core && ResourceType.isUnstoredPassword(definition)) {
                if definition.isNeverReturned {
                    if new[definition.name] == nil, let before = old[definition.name] { new[definition.name] = before }
                } else if definition.type == .complex, !definition.multiValued, definition.subAttributes.contains(where: \.isNeverReturned),
                          case .object(let oldInner)? = old[definition.name], case .object(var newInner)? = new[definition.name] {
                    carry(definition.subAttributes, core: false, old: oldInner, new: &newInner)
                    new[definition.name] = .object(newInner)
                }
            }
        }
        carry(type.schema.attributes, core: true, old: old, new: &new)
        for ext in type.extensions {
            guard case .object(let oldMembers)? = old[ext.schema.id] else { continue }
            var newMembers = new[ext.schema.id]?.objectValue ?? [:]
            carry(ext.schema.attributes, core: false, old: oldMembers, new: &newMembers)
            if !newMembers.isEmpty { new[ext.schema.id] = .object(newMembers) }
        }
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
            for definition in definitions where definition.required && definition.mutability != .readOnly
                && !(prefix.isEmpty && ResourceType.isUnstoredPassword(definition)) {
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
    /// The canonical resource, without `id`, `meta`, `groups` and `password` (other
    /// writeOnly attributes are in it: they are stored, and never returned).
    public var resource: JSONValue
    /// The `password` the client sent, if any. Never part of `resource`; the write path
    /// decides what, if anything, to keep (never clear text).
    public var password: String?

    public init(resource: JSONValue, password: String?) {
        self.resource = resource
        self.password = password
    }
}
