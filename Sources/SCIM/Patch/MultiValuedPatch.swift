/// One PATCH operation on the values of a multi-valued attribute (RFC 7644 §3.5.2): the
/// value filter × sub-attribute × op matrix, written once for attributes a schema declares
/// (typed) and for those none does (an undeclared extension, kept verbatim).
///
/// The two kinds used to have a copy of the matrix each, and fixes landed in one of them.
/// What differs is confined to the "Element rules" below, each decided by `definition`:
/// declared values are matched with their sub-attributes' `caseExact`, coerced and
/// normalised, compared by `value` (and `type`), and keep one `primary`; undeclared values
/// are matched untyped, stored as sent, and compared by equality.
struct MultiValuedPatch {
    /// The attribute's definition; nil when no schema declares it.
    let definition: AttributeDefinition?
    /// The definition of the sub-attribute the path names (nil without one, or untyped).
    let subDefinition: AttributeDefinition?
    let normalizer: ValueNormalizer
    /// The path as written, for errors.
    let path: String
    /// The attribute's canonical path, for errors.
    let attributePath: String

    func apply(_ op: PatchOperation.Kind, filter: Filter?, sub: String?, to elements: inout [JSONValue], value: JSONValue?) throws(SCIMError) {
        if let filter {
            try applyFiltered(op, filter: filter, sub: sub, to: &elements, value: value)
        } else if let sub {
            try applyToEvery(op, sub: sub, of: &elements, value: value)
        } else {
            try applyWhole(op, to: &elements, value: value)
        }
    }

    /// `attr[filter]` and `attr[filter].sub`: the matching values, or the value the filter
    /// describes when none matches (Entra).
    private func applyFiltered(_ op: PatchOperation.Kind, filter: Filter, sub: String?, to elements: inout [JSONValue], value: JSONValue?) throws(SCIMError) {
        let matcher = FilterMatcher(elementFilter: filter, of: definition)
        let matched = elements.indices.filter { elements[$0].objectValue.map(matcher.matches) ?? false }
        switch op {
        case .remove:
            if let sub {
                for index in matched { elements[index] = MultiValuedPatch.removing(sub, from: elements[index]) }
            } else {
                for index in matched.reversed() { elements.remove(at: index) }
            }
        case .add, .replace:
            guard let value else { return }
            var touched: [Int] = []
            if matched.isEmpty {
                // Entra: a filter that matches nothing creates the value it describes.
                guard var seed = MultiValuedPatch.seed(from: filter) else {
                    throw .noTarget("no value of \"\(attributePath)\" matches [\(filter)], and the filter does not describe a value to create")
                }
                if let sub {
                    seed[sub] = value
                } else {
                    try merge(value, into: &seed)
                }
                guard let created = try element(.object(seed)) else { return }
                elements.append(created)
                touched.append(elements.count - 1)
            } else {
                let subValue = sub == nil ? nil : try self.subValue(value)
                for index in matched {
                    if let sub {
                        elements[index] = setting(sub, to: subValue, in: elements[index])
                    } else if op == .add {
                        elements[index] = try adding(value, to: elements[index])
                    } else {
                        elements[index] = try replacement(value)
                    }
                    touched.append(index)
                }
            }
            settle(&elements, touched: touched)
        }
    }

    /// `attr.sub` without a filter: that sub-attribute of every value.
    private func applyToEvery(_ op: PatchOperation.Kind, sub: String, of elements: inout [JSONValue], value: JSONValue?) throws(SCIMError) {
        switch op {
        case .remove:
            elements = elements.map { MultiValuedPatch.removing(sub, from: $0) }.filter { !$0.isUnassigned }
        case .add, .replace:
            guard let value else { return }
            let subValue = try subValue(value)
            if elements.isEmpty {
                if subValue != nil { elements = [setting(sub, to: subValue, in: .object([:]))] }
            } else {
                elements = elements.map { setting(sub, to: subValue, in: $0) }
            }
        }
    }

    /// `attr`: remove all or the listed values, replace all, or add what is not there yet.
    private func applyWhole(_ op: PatchOperation.Kind, to elements: inout [JSONValue], value: JSONValue?) throws(SCIMError) {
        switch op {
        case .remove:
            guard let value, !value.isNull else {
                elements = []
                return
            }
            // Only the listed values (Entra removes members this way).
            guard let listed = try self.elements(of: value) else { return }
            elements.removeAll { element in listed.contains { same($0, element) } }
        case .replace:
            elements = try self.elements(of: value ?? .null) ?? []
        case .add:
            guard let additions = try self.elements(of: value ?? .null) else { return }
            var touched: [Int] = []
            for addition in additions {
                guard let index = elements.firstIndex(where: { same($0, addition) }) else {
                    elements.append(addition)
                    touched.append(elements.count - 1)
                    continue
                }
                // Already there: no change for members-like values; otherwise what was
                // sent updates the existing value (e.g. its `primary` or `display`).
                if definition?.identifiesElementsByValue == true || elements[index] == addition { continue }
                if case .object(var merged) = elements[index], case .object(let sent) = addition {
                    merged.merge(sent) { $1 }
                    elements[index] = .object(merged)
                    touched.append(index)
                }
            }
            resolvePrimary(&elements, keeping: touched)
        }
    }

    // MARK: Element rules: what differs between declared and undeclared values

    /// The values a whole-attribute `value` stands for; nil when it stands for none.
    private func elements(of value: JSONValue) throws(SCIMError) -> [JSONValue]? {
        guard let definition else { return value.arrayValue }
        return try normalizer.normalize(value, definition, path: path)?.arrayValue
    }

    /// A new or replaced value, complete; nil when it normalises to nothing.
    private func element(_ value: JSONValue) throws(SCIMError) -> JSONValue? {
        guard let definition else { return value }
        return try normalizer.element(value, definition, path: path)
    }

    /// What replaces a matched value.
    private func replacement(_ value: JSONValue) throws(SCIMError) -> JSONValue {
        try element(value) ?? .object([:])
    }

    /// A matched value with `value` added to it (no sub-attribute named).
    private func adding(_ value: JSONValue, to element: JSONValue) throws(SCIMError) -> JSONValue {
        guard definition != nil else {
            guard case .object(var object) = element, case .object(let sent) = value else { return value }
            object.merge(sent) { $1 }
            return .object(object)
        }
        var object = element.objectValue ?? [:]
        try merge(value, into: &object)
        return try self.element(.object(object)) ?? .object([:])
    }

    /// Merges `value` (an object, or a bare value meaning `{"value": …}`) into a value not
    /// yet normalised. Undeclared values take objects only, member by member as sent.
    private func merge(_ value: JSONValue, into object: inout [String: JSONValue]) throws(SCIMError) {
        guard let definition else {
            if case .object(let sent) = value { object.merge(sent) { $1 } }
            return
        }
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

    /// What a sub-attribute is set to (nil: removed).
    private func subValue(_ value: JSONValue) throws(SCIMError) -> JSONValue? {
        guard let subDefinition else { return value }
        return try normalizer.normalize(value, subDefinition, path: path)
    }

    private func setting(_ sub: String, to subValue: JSONValue?, in element: JSONValue) -> JSONValue {
        guard definition != nil else {
            var element = element
            element[sub] = subValue
            return element
        }
        var object = element.objectValue ?? [:]
        object.removeValue(forAttribute: sub)
        if let subValue { object[sub] = subValue }
        return .object(object)
    }

    private func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let definition else { return a == b }
        return MultiValuedPatch.sameElement(a, b, definition)
    }

    /// After values were added or replaced through a filter: one `primary`, no empty values.
    private func settle(_ elements: inout [JSONValue], touched: [Int]) {
        guard definition != nil else { return }
        resolvePrimary(&elements, keeping: touched)
        elements.removeAll { $0.isUnassigned }
    }

    /// RFC 7644 §3.5.2: setting `primary` on a value clears it on the others (declared
    /// attributes only: an undeclared `primary` means nothing to the server).
    private func resolvePrimary(_ elements: inout [JSONValue], keeping touched: [Int]) {
        guard definition != nil,
              touched.contains(where: { elements.indices.contains($0) && elements[$0]["primary"] == .bool(true) }) else { return }
        let keep = Set(touched)
        for index in elements.indices where !keep.contains(index) && elements[index]["primary"] == .bool(true) {
            elements[index]["primary"] = .bool(false)
        }
    }

    // MARK: Shared by both kinds

    private static func removing(_ sub: String, from element: JSONValue) -> JSONValue {
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
}
