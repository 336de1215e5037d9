/// Applies PATCH requests (RFC 7644 §3.5.2) to resources, atomically.
///
/// The operations run in order on a copy of the resource; the first failure throws and
/// nothing is applied. The result is re-validated (required attributes, types, one
/// `primary`, immutables) and diffed against the original.
///
/// Semantics, RFC first, then what IdPs need (docs/idp-clients.md), all on by default:
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
/// - Mutability: a path naming a readOnly attribute or sub-attribute (`id` with another
///   value, `meta`, `groups`, `schemas`, `manager.displayName`) is `mutability`; so is
///   changing an immutable attribute that is set, or leaving a required attribute
///   unassigned (RFC 7644 §3.5.2).
/// - Booleans may be strings (`"False"`), `manager` a bare id, `$ref` null.
/// - `password` (writeOnly) is reported in `PatchOutcome.password`, never stored.
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
    private let normalizer = ValueNormalizer(mode: .input)
    private let registry: SchemaRegistry

    init(document: [String: JSONValue], type: ResourceType, members: MemberDelta?, registry: SchemaRegistry) {
        self.document = document
        self.type = type
        self.members = members
        self.originalID = document["id"]
        self.registry = registry
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
        case .attribute(let resolved) where resolved.definition == nil && path.subAttribute == nil && path.valueFilter == nil
            && (document.key(matchingAttribute: attributePath.dotted) != nil || operation.value?.objectValue != nil):
            // The path is a whole extension the server does not know (`urn:acme:…:User`).
            try applyExtensionObject(operation.op, urn: document.key(matchingAttribute: attributePath.dotted) ?? attributePath.dotted, schema: nil, value: operation.value)
        case .attribute(let resolved):
            var target = Target(resolved: resolved, filter: path.valueFilter, sub: path.subAttribute, subDefinition: nil, text: pathText)
            if let definition = resolved.definition {
                if let sub = path.subAttribute { target.subDefinition = definition.subAttribute(named: sub) }
                try checkPathMutability(operation, target, definition)
                if definition.mutability == .readOnly { return }  // `id` set to its own value
                if definition.mutability == .writeOnly {
                    try applyWriteOnly(operation.op, definition, operation.value)
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
            guard let notation = AttributePath.parseNotation(key) else {
                // A key with a value filter (`emails[type eq "work"].value`) is applied as
                // that path; anything else that is not an attribute name is ignored.
                if key.utf8.contains(UInt8(ascii: "[")), (try? AttributePath.parse(key)) != nil {
                    try apply(PatchOperation(op: op, path: key, value: item))
                }
                continue
            }
            switch type.resolution(of: notation) {
            case .wholeExtension(let urn, let schema):
                try applyExtensionObject(op, urn: urn, schema: schema, value: item)
            case .unknown:
                // An extension the server does not know, given as an object: kept as sent.
                if key.utf8.contains(UInt8(ascii: ":")), case .object = item {
                    try applyExtensionObject(op, urn: key, schema: nil, value: item)
                }
            case .attribute(let resolved) where resolved.definition == nil && resolved.path.subAttribute == nil && item.objectValue != nil:
                // `"urn:acme:…:User": {…}`: a whole extension the server does not know.
                try applyExtensionObject(op, urn: key, schema: nil, value: item)
            case .attribute(let resolved):
                var attributeLevel = resolved
                attributeLevel.path.subAttribute = nil
                let target = Target(resolved: attributeLevel, filter: nil, sub: resolved.path.subAttribute, subDefinition: resolved.subDefinition, text: key)
                if let definition = resolved.definition {
                    if definition.mutability == .readOnly || resolved.subDefinition?.mutability == .readOnly { continue }
                    if ASCII.equalsIgnoringCase(definition.name, "schemas") { continue }
                    if definition.mutability == .writeOnly {
                        try applyWriteOnly(op, definition, item)
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
                      let definition = schema.attribute(named: notation.attribute) else { continue }  // unknown: ignored
                if definition.mutability == .readOnly { continue }
                var subDefinition: AttributeDefinition?
                if let sub = notation.subAttribute {
                    guard let found = definition.subAttribute(named: sub) else { continue }
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

    private mutating func applyWriteOnly(_ op: PatchOperation.Kind, _ definition: AttributeDefinition, _ value: JSONValue?) throws(SCIMError) {
        guard definition.name == "password" else { return }
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
        guard let definition = target.resolved.definition else {
            try applyUntyped(op, target, value: value)
            return
        }
        if members != nil, target.resolved.container == .core, definition.name == "members", definition.multiValued {
            try applyMembers(op, target, definition, value: value)
            return
        }
        let current = get(target.resolved)
        if definition.multiValued {
            var elements = current?.arrayValue ?? (current.map { [$0] } ?? [])
            try applyMultiValued(op, target, definition, &elements, value: value)
            set(target.resolved, elements.isEmpty ? nil : .array(elements))
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
            guard let sub = definition.subAttribute(named: key) else { continue }
            guard seen.insert(sub.name).inserted else {
                throw .invalidSyntax("\"\(path)\": sub-attribute \"\(sub.name)\" appears twice")
            }
            guard sub.mutability != .readOnly, sub.mutability != .writeOnly else { continue }
            let normalized = try normalizer.normalize(members[key]!, sub, path: path + "." + sub.name)
            object.removeValue(forAttribute: sub.name)
            if let normalized { object[sub.name] = normalized }
        }
    }

    private func applyMultiValued(_ op: PatchOperation.Kind, _ target: Target, _ definition: AttributeDefinition, _ elements: inout [JSONValue], value: JSONValue?) throws(SCIMError) {
        let path = target.text
        if let filter = target.filter {
            let matcher = FilterMatcher(elementFilter: filter, of: definition)
            let matched = elements.indices.filter { elements[$0].objectValue.map(matcher.matches) ?? false }
            switch op {
            case .remove:
                if let sub = target.sub {
                    for index in matched { elements[index] = removing(sub, from: elements[index]) }
                } else {
                    for index in matched.reversed() { elements.remove(at: index) }
                }
            case .add, .replace:
                guard let value else { return }
                var touched: [Int] = []
                if matched.isEmpty {
                    // Entra: a filter that matches nothing creates the value it describes.
                    guard var seed = PatchWorkspace.seed(from: filter) else {
                        throw .noTarget("no value of \"\(target.resolved.path.dotted)\" matches [\(filter)], and the filter does not describe a value to create")
                    }
                    if let sub = target.sub {
                        seed[sub] = value
                    } else {
                        try mergeRaw(value, into: &seed, definition, path: path)
                    }
                    guard let element = try normalizer.element(.object(seed), definition, path: path) else { return }
                    elements.append(element)
                    touched.append(elements.count - 1)
                } else {
                    for index in matched {
                        if let sub = target.subDefinition {
                            var object = elements[index].objectValue ?? [:]
                            object.removeValue(forAttribute: sub.name)
                            if let normalized = try normalizer.normalize(value, sub, path: path) { object[sub.name] = normalized }
                            elements[index] = .object(object)
                        } else if op == .add {
                            var object = elements[index].objectValue ?? [:]
                            try mergeRaw(value, into: &object, definition, path: path)
                            elements[index] = try normalizer.element(.object(object), definition, path: path) ?? .object([:])
                        } else {
                            elements[index] = try normalizer.element(value, definition, path: path) ?? .object([:])
                        }
                        touched.append(index)
                    }
                }
                PatchWorkspace.resolvePrimary(&elements, keeping: touched)
                elements.removeAll { $0.isUnassigned }
            }
            return
        }
        if let sub = target.sub {
            switch op {
            case .remove:
                elements = elements.map { removing(sub, from: $0) }.filter { !$0.isUnassigned }
            case .add, .replace:
                guard let value, let subDefinition = target.subDefinition else { return }
                let normalized = try normalizer.normalize(value, subDefinition, path: path)
                if elements.isEmpty, let normalized {
                    elements = [.object([subDefinition.name: normalized])]
                } else {
                    elements = elements.map { element in
                        var object = element.objectValue ?? [:]
                        object.removeValue(forAttribute: subDefinition.name)
                        if let normalized { object[subDefinition.name] = normalized }
                        return .object(object)
                    }
                }
            }
            return
        }
        switch op {
        case .remove:
            guard let value, !value.isNull else {
                elements = []
                return
            }
            // Only the listed values (Entra removes members this way).
            guard case .array(let listed)? = try normalizer.normalize(value, definition, path: path) else { return }
            elements.removeAll { element in listed.contains { PatchWorkspace.sameElement($0, element, definition) } }
        case .replace:
            let normalized = try normalizer.normalize(value ?? .null, definition, path: path)
            elements = normalized?.arrayValue ?? []
        case .add:
            guard case .array(let additions)? = try normalizer.normalize(value ?? .null, definition, path: path) else { return }
            var touched: [Int] = []
            for addition in additions {
                guard let index = elements.firstIndex(where: { PatchWorkspace.sameElement($0, addition, definition) }) else {
                    elements.append(addition)
                    touched.append(elements.count - 1)
                    continue
                }
                // Already there: no change for members-like values; otherwise what was
                // sent updates the existing value (e.g. its `primary` or `display`).
                if definition.identifiesElementsByValue || elements[index] == addition { continue }
                if case .object(var merged) = elements[index], case .object(let sent) = addition {
                    merged.merge(sent) { $1 }
                    elements[index] = .object(merged)
                    touched.append(index)
                }
            }
            PatchWorkspace.resolvePrimary(&elements, keeping: touched)
        }
    }

    /// Merges `value` (object or bare value) into a raw element without normalising.
    private func mergeRaw(_ value: JSONValue, into object: inout [String: JSONValue], _ definition: AttributeDefinition, path: String) throws(SCIMError) {
        switch value {
        case .object(let members):
            for (key, item) in members {
                let canonical = definition.subAttribute(named: key)?.name ?? key
                object.removeValue(forAttribute: canonical)
                object[canonical] = item
            }
        case .null:
            break
        default:
            guard definition.hasValueSubAttribute else {
                throw .invalidValue("\"\(path)\": expected an object, got \(value.typeName)")
            }
            object.removeValue(forAttribute: "value")
            object["value"] = value
        }
    }

    private func removing(_ sub: String, from element: JSONValue) -> JSONValue {
        guard case .object(var object) = element else { return element }
        object.removeValue(forAttribute: sub)
        return .object(object)
    }

    /// Two values of a multi-valued attribute are the same when equal, or — for
    /// `members`-like attributes and for removal by value — when their `value`s are.
    static func sameElement(_ a: JSONValue, _ b: JSONValue, _ definition: AttributeDefinition) -> Bool {
        if a == b { return true }
        guard definition.type == .complex else {
            if case .string(let x) = a, case .string(let y) = b, !definition.caseExact { return x.lowercased() == y.lowercased() }
            return false
        }
        guard let x = ValueNormalizer.identity(of: a, definition), let y = ValueNormalizer.identity(of: b, definition) else { return false }
        if definition.identifiesElementsByValue { return x == y }
        // Other attributes: same value and, when both give one, same type.
        let typeA = a["type"]?.stringValue.map { $0.lowercased() }, typeB = b["type"]?.stringValue.map { $0.lowercased() }
        return x == y && (typeA == nil || typeB == nil || typeA == typeB)
    }

    /// The value a filter describes, when it is a conjunction of `sub eq literal`.
    static func seed(from filter: Filter) -> [String: JSONValue]? {
        var seed: [String: JSONValue] = [:]
        for conjunct in filter.conjuncts {
            guard case .compare(let path, .eq, let value) = conjunct, path.schema == nil, path.subAttribute == nil, !value.isNull,
                  seed[path.attribute] == nil else { return nil }
            seed[path.attribute] = value
        }
        return seed
    }

    /// RFC 7644 §3.5.2: setting `primary` on a value clears it on the others.
    static func resolvePrimary(_ elements: inout [JSONValue], keeping touched: [Int]) {
        guard touched.contains(where: { elements.indices.contains($0) && elements[$0]["primary"] == .bool(true) }) else { return }
        let keep = Set(touched)
        for index in elements.indices where !keep.contains(index) && elements[index]["primary"] == .bool(true) {
            elements[index]["primary"] = .bool(false)
        }
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
        try applyMultiValued(op, target, definition, &elements, value: value)
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

    // MARK: Untyped attributes (extensions the server does not know)

    private mutating func applyUntyped(_ op: PatchOperation.Kind, _ target: Target, value: JSONValue?) throws(SCIMError) {
        let current = get(target.resolved)
        if let filter = target.filter {
            var elements = current?.arrayValue ?? (current.map { [$0] } ?? [])
            let matcher = FilterMatcher(elementFilter: filter, of: nil)
            let matched = elements.indices.filter { elements[$0].objectValue.map(matcher.matches) ?? false }
            switch op {
            case .remove:
                if let sub = target.sub {
                    for index in matched { elements[index] = removing(sub, from: elements[index]) }
                } else {
                    for index in matched.reversed() { elements.remove(at: index) }
                }
            case .add, .replace:
                guard let value else { return }
                if matched.isEmpty {
                    guard var seed = PatchWorkspace.seed(from: filter) else {
                        throw .noTarget("no value of \"\(target.resolved.path.dotted)\" matches [\(filter)]")
                    }
                    if let sub = target.sub { seed[sub] = value } else if case .object(let o) = value { seed.merge(o) { $1 } }
                    elements.append(.object(seed))
                } else {
                    for index in matched {
                        if let sub = target.sub {
                            elements[index][sub] = value
                        } else if op == .add, case .object(var object) = elements[index], case .object(let o) = value {
                            object.merge(o) { $1 }
                            elements[index] = .object(object)
                        } else {
                            elements[index] = value
                        }
                    }
                }
            }
            set(target.resolved, elements.isEmpty ? nil : .array(elements))
            return
        }
        if let sub = target.sub {
            var object = current?.objectValue ?? [:]
            if op == .remove { object.removeValue(forAttribute: sub) } else { object[sub] = value }
            set(target.resolved, object.isEmpty ? nil : .object(object))
            return
        }
        switch op {
        case .remove:
            if case .array(let listed)? = value, case .array(var elements)? = current {
                elements.removeAll { listed.contains($0) }
                set(target.resolved, elements.isEmpty ? nil : .array(elements))
            } else {
                set(target.resolved, nil)
            }
        case .replace:
            set(target.resolved, value)
        case .add:
            switch (current, value) {
            case (.array(var elements)?, .array(let additions)?):
                for addition in additions where !elements.contains(addition) { elements.append(addition) }
                set(target.resolved, .array(elements))
            case (.object(var object)?, .object(let members)?):
                object.merge(members) { $1 }
                set(target.resolved, .object(object))
            default:
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
