/// Applies PATCH requests (RFC 7644 §3.5.2) to resources, atomically.
///
/// The operations run in order on a copy of the resource; the first failure throws and
/// nothing is applied. The result is re-validated (required attributes, types, one
/// `primary`, immutables) and diffed against the original.
///
/// Semantics, RFC first, then what IdPs need (the README's "Connecting Okta and Entra ID"; each quirk tested in PatchQuirksTests), all on by default:
/// - `add`: a missing attribute is created; a singular complex value is merged
///   sub-attribute by sub-attribute; multi-valued values are appended unless already
///   present; a singular value is replaced.
/// - `replace`: singular values replaced; complex singular values merged (sub-attributes
///   not given are left alone, RFC 7644 §3.5.2.3); multi-valued attributes replaced as a
///   whole; with a value filter, the matching values are replaced (or, with a
///   sub-attribute, their sub-attribute).
/// - `remove`: the attribute, the values matching a filter, or a sub-attribute of them.
///   With a `value` array on a multi-valued attribute, only the listed values are removed
///   (Entra's member removal). Removing something absent is a no-op (IdPs retry).
/// - `add`/`replace` through a filter that matches nothing create the value from the
///   filter's `eq` terms (`emails[type eq "work"].value` → `{"type":"work","value":…}`);
///   a filter that is not a conjunction of `eq` terms cannot seed a value: `noTarget`.
/// - A value whose `primary` is set to true makes the other values' `primary` false
///   (RFC 7644 §3.5.2).
/// - No `path`: the value's members are applied one by one; keys may be dotted
///   (`name.givenName`), URN-qualified, or carry a value filter
///   (`emails[type eq "work"].value`); `schemas` and `meta` are ignored, `id` equal
///   to the current id is ignored (Okta's rename), other readOnly attributes are
///   ignored, unknown attributes ignored (as in create/replace).
/// - Undeclared extensions: a path or key under a URN no schema declares
///   (`urn:…:Custom:2.0:User:costCenter`) is kept untyped, nested under the URN, exactly
///   as `ResourceValidator` stores the same key in a POST body (`UndeclaredName` decides
///   where the URN ends). With `SchemaRegistry.undeclaredAttributes == .refuse`, such a
///   path or key, and an unknown attribute or sub-attribute in a value, is
///   `400 invalidSyntax` naming it.
/// - Mutability: a path naming a readOnly attribute or sub-attribute (`id` with another
///   value, `meta`, `groups`, `schemas`, `manager.displayName`) is `mutability`; so is
///   changing an immutable attribute that is set, or leaving a required attribute
///   unassigned (RFC 7644 §3.5.2).
/// - Booleans may be strings (`"False"`), `manager` a bare id, `$ref` null.
/// - `password` (writeOnly) is reported in `PatchOutcome.password`, never stored; other
///   writeOnly attributes are patched and stored like any other (and never returned).
/// - Every value is checked as in create/replace (`ValueNormalizer`): types, enforced
///   canonical values, one `primary`, no duplicate values.
///
/// Groups: when a `MemberSet` is given, the resource comes without `members` and
/// operations on `members` become deltas (`membersAdded`, `membersRemoved`) costing O(1)
/// per listed member; only a whole `replace` and unusual filters read `allMembers()`.
/// Only membership (which ids) is tracked in that mode: a PATCH that changes an existing
/// member's `display` or `type` is not reported.
public struct PatchEngine: Sendable {
    public let registry: SchemaRegistry

    public init(registry: SchemaRegistry = .standard) {
        self.registry = registry
    }

    /// Applies `request` to `resource` (a canonical stored resource, with `id`).
    public func apply(_ request: PatchRequest, to resource: JSONValue, as type: ResourceType, members: (any MemberSet)? = nil) throws(SCIMError) -> PatchOutcome {
        let validator = ResourceValidator(registry: registry)
        guard case .object = resource else { throw .invalidSyntax("the resource to patch must be a JSON object") }
        guard case .object(var original) = try validator.canonicalizeStored(resource, as: type) else {
            throw .internalError("canonical form is not an object")
        }
        var delta: MemberDelta?
        if let members, type.schema.attribute(named: "members") != nil {
            delta = MemberDelta(base: members)
            original.removeValue(forAttribute: "members")  // they live in the MemberSet
        }
        var workspace = PatchWorkspace(document: original, type: type, members: delta, registry: registry)

        for (index, operation) in request.operations.enumerated() {
            do {
                try workspace.apply(operation)
            } catch {
                throw SCIMError(status: error.status, scimType: error.scimType, detail: "Operations[\(index)] (\(operation.op.rawValue)\(operation.path.map { " \($0)" } ?? "")): \(error.detail)")
            }
        }

        var result = try validator.canonicalize(workspace.document, as: type, mode: .stored).object
        try validator.checkRequired(result, as: type, missing: { .mutability("\($0) and cannot be removed") })
        try ResourceValidator.checkImmutables(old: original, new: &result, as: type, carryOver: false)
        let changes = AttributeDiff.changes(from: .object(original), to: .object(result), as: type)
        let membership = workspace.members?.outcome() ?? (added: [], removed: [])
        return PatchOutcome(resource: .object(result), changes: changes, membersAdded: membership.added, membersRemoved: membership.removed, password: workspace.password)
    }
}

/// The mutable state of one PATCH: the document being changed and the membership delta.
struct PatchWorkspace {
    var document: [String: JSONValue]
    let type: ResourceType
    var members: MemberDelta?
    var password: String?
    private let originalID: JSONValue?
    private let normalizer: ValueNormalizer
    private let registry: SchemaRegistry

    init(document: [String: JSONValue], type: ResourceType, members: MemberDelta?, registry: SchemaRegistry) {
        self.document = document
        self.type = type
        self.members = members
        self.originalID = document["id"]
        self.registry = registry
        self.normalizer = ValueNormalizer(mode: .input, undeclared: registry.undeclaredAttributes)
    }

    /// Under `UndeclaredAttributePolicy.refuse`, an undeclared name is an error; otherwise
    /// the caller ignores it (unknown attributes) or keeps it (undeclared extensions).
    private func refuseUndeclared(_ detail: String) throws(SCIMError) {
        if registry.undeclaredAttributes == .refuse { throw .invalidSyntax("\(detail) (undeclared attributes are refused)") }
    }

    /// Whether the resource being patched shows `urn` to hold an extension: an object
    /// stored under it, or a `schemas` entry.
    private func holdsExtension(_ urn: String) -> Bool {
        if document.key(matchingAttribute: urn) != nil { return true }
        guard case .array(let listed)? = document["schemas"] else { return false }
        return listed.contains { $0.stringValue.map { ASCII.equalsIgnoringCase($0, urn) } ?? false }
    }

    /// What an operation targets once its path is resolved.
    struct Target {
        var resolved: ResolvedAttribute  // attribute level: path has no sub-attribute
        var filter: Filter?
        var sub: String?
        var subDefinition: AttributeDefinition?
        var text: String
    }

    mutating func apply(_ operation: PatchOperation) throws(SCIMError) {
        guard let pathText = operation.path else {
            try applyPathless(operation.op, operation.value ?? .object([:]))
            return
        }
        let path = try AttributePath.parse(pathText, for: type)
        let attributePath = AttributePath(schema: path.schema, attribute: path.attribute)
        // A schema the server knows, but for another resource type (the Enterprise User on a Group).
        if let schema = path.schema {
            for urn in [attributePath.dotted, schema] where !type.hasSchema(urn) && registry.schema(id: urn) != nil {
                throw .invalidPath("schema \(urn) does not apply to \(type.name) resources")
            }
        }
        switch type.resolution(of: attributePath) {
        case .unknown(let reason):
            throw .invalidPath(reason)
        case .wholeExtension(let urn, let schema):
            guard path.valueFilter == nil, path.subAttribute == nil else {
                throw .invalidPath("\"\(pathText)\" names a schema; it takes no filter or sub-attribute")
            }
            try applyExtensionObject(operation.op, urn: urn, schema: schema, value: operation.value)
        case .attribute(let resolved):
            if resolved.definition == nil {
                try refuseUndeclared("schema \(resolved.extensionURN ?? attributePath.dotted) is not declared for \(type.name) resources (path \"\(pathText)\")")
                if path.subAttribute == nil, path.valueFilter == nil,
                   UndeclaredName.namesWholeExtension(attributePath.dotted, value: operation.value, isExtension: holdsExtension) {
                    // The path is a whole extension the server does not know (`urn:acme:…:User`).
                    try applyExtensionObject(operation.op, urn: document.key(matchingAttribute: attributePath.dotted) ?? attributePath.dotted, schema: nil, value: operation.value)
                    return
                }
            }
            var target = Target(resolved: resolved, filter: path.valueFilter, sub: path.subAttribute, subDefinition: nil, text: pathText)
            if let definition = resolved.definition {
                if let sub = path.subAttribute { target.subDefinition = definition.subAttribute(named: sub) }
                try checkPathMutability(operation, target, definition)
                if definition.mutability == .readOnly { return }  // `id` set to its own value
                if resolved.container == .core, ResourceType.isUnstoredPassword(definition) {
                    try applyPassword(operation.op, operation.value)
                    return
                }
            }
            try applyTarget(operation.op, target, value: operation.value)
        }
    }

    // MARK: Path-less operations

    private mutating func applyPathless(_ op: PatchOperation.Kind, _ value: JSONValue) throws(SCIMError) {
        guard case .object(let object) = value else {
            throw .invalidSyntax("\(op.rawValue) without \"path\" needs an object value")
        }
        for key in object.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let item = object[key]!
            if ASCII.equalsIgnoringCase(key, "schemas") || ASCII.equalsIgnoringCase(key, "meta") { continue }
            if ASCII.equalsIgnoringCase(key, "id") {
                if item.isNull || item == originalID { continue }
                throw .mutability("\"id\" is readOnly; it cannot be changed to \(item)")
            }
            if let schema = type.extensionSchema(key) {
                try applyExtensionObject(op, urn: schema.id, schema: schema, value: item)
                continue
            }
            let qualified = key.utf8.contains(UInt8(ascii: ":"))
            guard let notation = AttributePath.parseNotation(key) else {
                // A key with a value filter (`emails[type eq "work"].value`) is applied as
                // that path; an object under a name that is no attribute path but has a
                // colon (`urn:acme:1.0`) is an extension the server does not know, kept as
                // sent (as in create/replace); anything else is ignored.
                if key.utf8.contains(UInt8(ascii: "[")), (try? AttributePath.parse(key)) != nil {
                    try apply(PatchOperation(op: op, path: key, value: item))
                } else if qualified, case .object = item {
                    try applyExtensionObject(op, urn: key, schema: nil, value: item)
                } else {
                    try refuseUndeclared("\"\(key)\" is not an attribute of \(type.name) resources")
                }
                continue
            }
            switch type.resolution(of: notation) {
            case .wholeExtension(let urn, let schema):
                try applyExtensionObject(op, urn: urn, schema: schema, value: item)
            case .unknown(let reason):
                if let schema = notation.schema, !type.hasSchema(schema), registry.schema(id: schema) == nil, qualified, case .object = item {
                    // An extension the server does not know, given as an object: kept as sent.
                    try applyExtensionObject(op, urn: key, schema: nil, value: item)
                } else {
                    try refuseUndeclared(reason)  // an unknown attribute: ignored
                }
            case .attribute(let resolved) where resolved.definition == nil && resolved.path.subAttribute == nil
                && UndeclaredName.namesWholeExtension(key, value: item, isExtension: holdsExtension):
                // `"urn:acme:…:User": {…}`: a whole extension the server does not know.
                try applyExtensionObject(op, urn: key, schema: nil, value: item)
            case .attribute(let resolved):
                if resolved.definition == nil {
                    try refuseUndeclared("schema \(resolved.extensionURN ?? key) is not declared for \(type.name) resources (in \"\(key)\")")
                }
                var attributeLevel = resolved
                attributeLevel.path.subAttribute = nil
                let target = Target(resolved: attributeLevel, filter: nil, sub: resolved.path.subAttribute, subDefinition: resolved.subDefinition, text: key)
                if let definition = resolved.definition {
                    if definition.mutability == .readOnly || resolved.subDefinition?.mutability == .readOnly { continue }
                    if ASCII.equalsIgnoringCase(definition.name, "schemas") { continue }
                    if resolved.container == .core, ResourceType.isUnstoredPassword(definition) {
                        try applyPassword(op, item)
                        continue
                    }
                }
                try applyTarget(op, target, value: item)
            }
        }
    }

    /// An operation whose target is a whole extension object (`{"urn:…:User": {…}}` or a
    /// path equal to the URN): applied attribute by attribute.
    private mutating func applyExtensionObject(_ op: PatchOperation.Kind, urn: String, schema: Schema?, value: JSONValue?) throws(SCIMError) {
        if schema == nil { try refuseUndeclared("schema \(urn) is not declared for \(type.name) resources") }
        if op == .remove || value == nil || value?.isNull == true {
            if op == .add { return }
            document.removeValue(forAttribute: urn)
            return
        }
        guard case .object(let members)? = value else {
            throw .invalidValue("\"\(urn)\" needs an object of extension attributes")
        }
        for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let item = members[key]!
            if let schema {
                guard let notation = AttributePath.parseNotation(key), notation.schema == nil,
                      let definition = schema.attribute(named: notation.attribute) else {
                    try refuseUndeclared("no attribute \"\(key)\" in schema \(schema.id)")
                    continue  // unknown: ignored
                }
                if definition.mutability == .readOnly { continue }
                var subDefinition: AttributeDefinition?
                if let sub = notation.subAttribute {
                    guard let found = definition.subAttribute(named: sub) else {
                        try refuseUndeclared("no sub-attribute \"\(sub)\" in \"\(schema.id):\(definition.name)\"")
                        continue
                    }
                    if found.mutability == .readOnly { continue }
                    subDefinition = found
                }
                let resolved = ResolvedAttribute(container: .extension(schema.id), definition: definition, subDefinition: nil, path: AttributePath(schema: schema.id, attribute: definition.name))
                try applyTarget(op, Target(resolved: resolved, filter: nil, sub: subDefinition?.name, subDefinition: subDefinition, text: urn + ":" + key), value: item)
            } else {
                let resolved = ResolvedAttribute(container: .extension(urn), definition: nil, subDefinition: nil, path: AttributePath(schema: urn, attribute: key))
                try applyTarget(op, Target(resolved: resolved, filter: nil, sub: nil, subDefinition: nil, text: urn + ":" + key), value: item)
            }
        }
    }

    // MARK: Mutability

    private func checkPathMutability(_ operation: PatchOperation, _ target: Target, _ definition: AttributeDefinition) throws(SCIMError) {
        if target.resolved.container == .core, ASCII.equalsIgnoringCase(definition.name, "schemas") {
            throw .mutability("\"schemas\" cannot be patched; it follows the attributes present")
        }
        if definition.mutability == .readOnly {
            if target.resolved.container == .core, definition.name == "id", operation.op != .remove,
               target.filter == nil, target.sub == nil, let value = operation.value, value == originalID {
                return
            }
            throw .mutability("\"\(target.resolved.path.dotted)\" is readOnly")
        }
        if let sub = target.subDefinition, sub.mutability == .readOnly {
            throw .mutability("\"\(target.resolved.path.dotted).\(sub.name)\" is readOnly")
        }
    }

    /// The core `password`: reported in the outcome, never stored (see
    /// `ResourceType.isUnstoredPassword`).
    private mutating func applyPassword(_ op: PatchOperation.Kind, _ value: JSONValue?) throws(SCIMError) {
        switch op {
        case .remove: return
        case .add, .replace:
            switch value {
            case .string(let s)?: password = s
            case .null?, nil: return
            case let other?: throw .invalidValue("\"password\": expected a string, got \(other.typeName)")
            }
        }
    }

    // MARK: Applying to an attribute

    private mutating func applyTarget(_ op: PatchOperation.Kind, _ target: Target, value: JSONValue?) throws(SCIMError) {
        // Adding nothing (null, [] or {}) changes nothing (RFC 7643 §2.5: they mean unassigned).
        if op == .add, value?.isUnassigned ?? true { return }
        let definition = target.resolved.definition
        if let definition, members != nil, target.resolved.container == .core, definition.name == "members", definition.multiValued {
            try applyMembers(op, target, definition, value: value)
            return
        }
        let current = get(target.resolved)
        if PatchWorkspace.targetsValues(op, target, current: current, value: value) {
            var elements = current?.arrayValue ?? (current.map { [$0] } ?? [])
            try multiValued(target, definition).apply(op, filter: target.filter, sub: target.sub, to: &elements, value: value)
            set(target.resolved, elements.isEmpty ? nil : .array(elements))
            return
        }
        guard let definition else {
            applyUndeclaredSingle(op, target, current, value: value)
            return
        }
        guard target.filter == nil else {
            throw .invalidPath("\"\(target.resolved.path.dotted)\" is single-valued; value filters select values of multi-valued attributes")
        }
        if definition.type == .complex {
            var object = current?.objectValue ?? [:]
            if let sub = target.subDefinition {
                switch op {
                case .remove:
                    object.removeValue(forAttribute: sub.name)
                case .add, .replace:
                    let normalized = try normalizer.normalize(value ?? .null, sub, path: target.text)
                    object.removeValue(forAttribute: sub.name)
                    if let normalized { object[sub.name] = normalized }
                }
            } else {
                switch op {
                case .remove:
                    object = [:]
                case .add, .replace:
                    guard let value, !value.isNull else {
                        if op == .replace { object = [:] }
                        break
                    }
                    try merge(value, into: &object, definition, path: target.text)
                }
            }
            set(target.resolved, object.isEmpty ? nil : .object(object))
            return
        }
        switch op {
        case .remove:
            set(target.resolved, nil)
        case .add, .replace:
            set(target.resolved, try normalizer.normalize(value ?? .null, definition, path: target.text))
        }
    }

    /// Merges the sub-attributes of `value` (an object, or a bare value meaning
    /// `{"value": …}`) into `object`. Empty strings are kept here (`{"value": ""}` clears
    /// the manager when the result is canonicalised).
    private func merge(_ value: JSONValue, into object: inout [String: JSONValue], _ definition: AttributeDefinition, path: String) throws(SCIMError) {
        let members: [String: JSONValue]
        switch value {
        case .object(let o): members = o
        case .array:
            throw .invalidValue("\"\(path)\" is single-valued; got an array")
        default:
            guard definition.hasValueSubAttribute else {
                throw .invalidValue("\"\(path)\": expected an object, got \(value.typeName)")
            }
            members = ["value": value]
        }
        var seen: Set<String> = []
        for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let sub = definition.subAttribute(named: key) else {
                try refuseUndeclared("\"\(path)\" has no sub-attribute \"\(key)\"")
                continue
            }
            guard seen.insert(sub.name).inserted else {
                throw .invalidSyntax("\"\(path)\": sub-attribute \"\(sub.name)\" appears twice")
            }
            guard sub.mutability != .readOnly else { continue }
            let normalized = try normalizer.normalize(members[key]!, sub, path: path + "." + sub.name)
            object.removeValue(forAttribute: sub.name)
            if let normalized { object[sub.name] = normalized }
        }
    }

    /// Whether the operation is on the values of a multi-valued attribute: one declared
    /// multi-valued, or an undeclared one whose values a filter selects, or whose array
    /// gets an array of values added or removed.
    private static func targetsValues(_ op: PatchOperation.Kind, _ target: Target, current: JSONValue?, value: JSONValue?) -> Bool {
        if let definition = target.resolved.definition { return definition.multiValued }
        if target.filter != nil { return true }
        return op != .replace && target.sub == nil && current?.arrayValue != nil && value?.arrayValue != nil
    }

    private func multiValued(_ target: Target, _ definition: AttributeDefinition?) -> MultiValuedPatch {
        MultiValuedPatch(definition: definition, subDefinition: target.subDefinition, normalizer: normalizer, path: target.text, attributePath: target.resolved.path.dotted)
    }

    // MARK: Members (MemberSet mode)

    /// Applies an operation on `members` to the membership delta: O(1) per listed member
    /// for whole-attribute operations and `value eq` filters; other filters materialise
    /// the membership first.
    private mutating func applyMembers(_ op: PatchOperation.Kind, _ target: Target, _ definition: AttributeDefinition, value: JSONValue?) throws(SCIMError) {
        guard var delta = members else { return }
        defer { members = delta }
        if target.filter == nil, target.sub == nil {
            let listed = try normalizer.normalize(value ?? .null, definition, path: target.text)?.arrayValue ?? []
            switch op {
            case .add:
                for member in listed { delta.add(member) }
            case .replace:
                delta.clear()
                for member in listed { delta.add(member) }
            case .remove:
                if value == nil || value?.isNull == true {
                    delta.clear()
                } else {
                    for member in listed { if let id = member["value"]?.stringValue { delta.remove(id) } }
                }
            }
            return
        }
        if op == .remove, target.sub == nil, let filter = target.filter, let ids = PatchWorkspace.memberIDs(in: filter) {
            for id in ids { delta.remove(id) }
            return
        }
        // Anything else: materialise, apply as a plain multi-valued attribute, store back.
        var elements = delta.currentMembers()
        try multiValued(target, definition).apply(op, filter: target.filter, sub: target.sub, to: &elements, value: value)
        delta.replaceAll(with: elements)
    }

    /// The ids of `value eq "id"` (or an `or` of them).
    private static func memberIDs(in filter: Filter) -> [String]? {
        var ids: [String] = []
        for disjunct in filter.disjuncts {
            guard case .compare(let path, .eq, .string(let id)) = disjunct, path.subAttribute == nil,
                  ASCII.equalsIgnoringCase(path.attribute, "value") else { return nil }
            ids.append(id)
        }
        return ids
    }

    // MARK: Undeclared attributes (extensions the server does not know)

    /// An undeclared attribute that is not treated as multi-valued: set, merged or removed
    /// as sent (its values through a filter are `MultiValuedPatch`'s).
    private mutating func applyUndeclaredSingle(_ op: PatchOperation.Kind, _ target: Target, _ current: JSONValue?, value: JSONValue?) {
        if let sub = target.sub {
            var object = current?.objectValue ?? [:]
            if op == .remove { object.removeValue(forAttribute: sub) } else { object[sub] = value }
            set(target.resolved, object.isEmpty ? nil : .object(object))
            return
        }
        switch op {
        case .remove:
            set(target.resolved, nil)
        case .replace:
            set(target.resolved, value)
        case .add:
            if case .object(var object)? = current, case .object(let members)? = value {
                object.merge(members) { $1 }
                set(target.resolved, .object(object))
            } else {
                set(target.resolved, value)
            }
        }
    }

    // MARK: Document access

    private func get(_ resolved: ResolvedAttribute) -> JSONValue? {
        switch resolved.container {
        case .core:
            return document.value(forAttribute: resolved.path.attribute)
        case .extension(let urn):
            return document.value(forAttribute: urn)?.objectValue?.value(forAttribute: resolved.path.attribute)
        }
    }

    private mutating func set(_ resolved: ResolvedAttribute, _ value: JSONValue?) {
        let value = (value?.isNull ?? true) ? nil : value
        switch resolved.container {
        case .core:
            document.removeValue(forAttribute: resolved.path.attribute)
            if let value { document[resolved.path.attribute] = value }
        case .extension(let urn):
            let key = document.key(matchingAttribute: urn) ?? urn
            var object = document[key]?.objectValue ?? [:]
            object.removeValue(forAttribute: resolved.path.attribute)
            if let value { object[resolved.path.attribute] = value }
            document.removeValue(forAttribute: urn)
            if !object.isEmpty { document[key] = .object(object) }
        }
    }
}
