/// Checks one attribute value against its definition and returns its canonical form.
///
/// Shared by resource validation (POST/PUT bodies) and PATCH (operation values and the
/// patched result), so that both accept exactly the same inputs: canonical sub-attribute
/// case, Entra's `"True"`/`"False"` booleans, a bare value for a complex attribute with a
/// `value` sub-attribute (Entra's bare-string `manager`), a single value where an array is
/// expected, and RFC 7643 §2.5's "null, [] and {} mean unassigned".
///
/// Every characteristic a value carries is checked here, once for all three write paths:
/// the type (string, boolean, decimal, integer, `xsd:dateTime`, a plausible URI for a
/// reference, base64 for binary, an object for complex), enforced canonical values, the
/// required sub-attributes, one `primary`, and no duplicate values (RFC 7643 §2.4).
struct ValueNormalizer {
    enum Mode {
        /// Client input: readOnly sub-attributes are ignored (RFC 7644 §3.3).
        case input
        /// A stored resource being re-canonicalised: everything defined is kept.
        case stored
    }

    let mode: Mode
    /// True when an unknown sub-attribute is refused rather than ignored: client input
    /// under `UndeclaredAttributePolicy.refuse` (a stored resource is never refused).
    let refusesUndeclared: Bool

    init(mode: Mode, undeclared: UndeclaredAttributePolicy = .keep) {
        self.mode = mode
        self.refusesUndeclared = mode == .input && undeclared == .refuse
    }

    /// Multi-valued attributes with more values than this find duplicates through a hash
    /// table; below it, by comparing in place (no allocation for the usual one to three
    /// emails).
    private static let linearDuplicateSearchLimit = 16

    /// The canonical value of `definition`, or nil when the value is unassigned.
    /// `path` names the attribute in error messages.
    func normalize(_ value: JSONValue, _ definition: AttributeDefinition, path: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        guard definition.multiValued else {
            if case .array(let items) = value {
                // A one-element array for a single-valued attribute is unwrapped; more is an error.
                guard items.count <= 1 else {
                    throw .invalidValue("\"\(path)\" is single-valued; got an array of \(items.count) values")
                }
                guard let only = items.first else { return nil }
                return try element(only, definition, path: path)
            }
            return try element(value, definition, path: path)
        }
        let items: [JSONValue]
        if case .array(let array) = value { items = array } else { items = [value] }
        var result: [JSONValue] = []
        result.reserveCapacity(items.count)
        var seenValues: Set<String> = []
        var positions: [[UInt8]: Int] = [:]
        let hashed = items.count > ValueNormalizer.linearDuplicateSearchLimit
        for item in items {
            guard let normalized = try element(item, definition, path: path) else { continue }
            if definition.identifiesElementsByValue {
                // Members: one per `value`, the first as sent.
                if let key = ValueNormalizer.identity(of: normalized, definition) {
                    guard seenValues.insert(key).inserted else { continue }
                }
                result.append(normalized)
                continue
            }
            // RFC 7643 §2.4: no (type, value) pair twice. The first is kept, with
            // `primary` if any copy had it and the first `display` given.
            let earlier: Int?
            if hashed {
                let key = ValueNormalizer.duplicateKey(of: normalized, definition)
                earlier = positions[key]
                if earlier == nil { positions[key] = result.count }
            } else {
                earlier = result.firstIndex { ValueNormalizer.isDuplicate($0, normalized, definition) }
            }
            if let earlier {
                result[earlier] = ValueNormalizer.merging(normalized, into: result[earlier])
            } else {
                result.append(normalized)
            }
        }
        if definition.type == .complex, result.count > 1 {
            var primaries = 0
            for element in result where element["primary"] == .bool(true) {
                primaries += 1
                if primaries > 1 {
                    throw .invalidValue("\"\(path)\": at most one value may have \"primary\": true")
                }
            }
        }
        return result.isEmpty ? nil : .array(result)
    }

    // MARK: Duplicates

    /// Whether two canonical values of a multi-valued attribute are one value: the same
    /// `value` (compared as its `caseExact` says) and the same `type` (both absent, or equal
    /// as its `caseExact` says); complex values without a `value` when equal; simple values
    /// when equal as the attribute's `caseExact` says.
    static func isDuplicate(_ a: JSONValue, _ b: JSONValue, _ definition: AttributeDefinition) -> Bool {
        guard definition.type == .complex else {
            return same(a, b, caseExact: definition.caseExact)
        }
        guard let valueSub = definition.subAttribute(named: "value"),
              let valueA = a["value"], let valueB = b["value"] else { return a == b }
        guard same(valueA, valueB, caseExact: valueSub.caseExact) else { return false }
        switch (a["type"], b["type"]) {
        case (nil, nil): return true
        case (let typeA?, let typeB?): return same(typeA, typeB, caseExact: definition.subAttribute(named: "type")?.caseExact ?? false)
        default: return false
        }
    }

    private static func same(_ a: JSONValue, _ b: JSONValue, caseExact: Bool) -> Bool {
        if case .string(let x) = a, case .string(let y) = b { return StringMatch.equal(x, y, caseExact: caseExact) }
        return a == b
    }

    /// A hash key equal for two values exactly when `isDuplicate` holds.
    static func duplicateKey(of element: JSONValue, _ definition: AttributeDefinition) -> [UInt8] {
        func key(_ value: JSONValue, caseExact: Bool) -> [UInt8] {
            if case .string(let text) = value { return [0x73] + StringMatch.folded(text, caseExact: caseExact) }
            return [0x6A] + value.serialized(.compact)
        }
        guard definition.type == .complex else { return key(element, caseExact: definition.caseExact) }
        guard let valueSub = definition.subAttribute(named: "value"), let value = element["value"] else {
            return [0x77] + element.serialized(.compact)
        }
        var result = [0x76] + key(value, caseExact: valueSub.caseExact)
        if let type = element["type"] {
            result.append(0)
            result += key(type, caseExact: definition.subAttribute(named: "type")?.caseExact ?? false)
        }
        return result
    }

    /// `kept` with what a later copy of it adds: `primary: true`, and a `display` when
    /// `kept` has none.
    private static func merging(_ duplicate: JSONValue, into kept: JSONValue) -> JSONValue {
        guard case .object(var object) = kept, case .object(let other) = duplicate else { return kept }
        if other["primary"] == .bool(true) { object["primary"] = .bool(true) }
        if object["display"] == nil, let display = other["display"] { object["display"] = display }
        return .object(object)
    }

    /// The identity of an element of a `members`-like attribute: its `value`, folded unless
    /// the `value` sub-attribute is case-exact.
    static func identity(of element: JSONValue, _ definition: AttributeDefinition) -> String? {
        guard let value = element["value"]?.stringValue else { return nil }
        let caseExact = definition.subAttribute(named: "value")?.caseExact ?? false
        return caseExact ? value : value.lowercased()
    }

    /// One (non-array) value of `definition`.
    func element(_ value: JSONValue, _ definition: AttributeDefinition, path: String) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        if definition.type == .complex {
            switch value {
            case .object(let object):
                return try complex(object, definition, path: path)
            case .array:
                throw .invalidValue("\"\(path)\": expected an object, got an array")
            default:
                // `"manager": "id"` means `{"value": "id"}`.
                guard definition.hasValueSubAttribute else {
                    throw .invalidValue("\"\(path)\": expected an object, got \(value.typeName)")
                }
                return try complex(["value": value], definition, path: path)
            }
        }
        return try scalar(value, definition, path: path)
    }

    private func complex(_ object: [String: JSONValue], _ definition: AttributeDefinition, path: String) throws(SCIMError) -> JSONValue? {
        var result: [String: JSONValue] = [:]
        var sources: [String: String] = [:]
        for key in object.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let sub = definition.subAttribute(named: key) else {
                if refusesUndeclared {
                    throw .invalidSyntax("\"\(path)\" has no sub-attribute \"\(key)\" (undeclared attributes are refused)")
                }
                continue  // unknown sub-attribute: ignored
            }
            if let earlier = sources[sub.name] {
                throw .invalidSyntax("\"\(path)\": sub-attribute \"\(sub.name)\" appears twice (\"\(earlier)\" and \"\(key)\")")
            }
            sources[sub.name] = key
            // writeOnly sub-attributes are stored (never returned: see `Projection`).
            if mode == .input, sub.mutability == .readOnly { continue }
            // `"$ref": null` (Entra) is simply unassigned; references of members-like
            // attributes are derived from `value` by the server, never stored.
            if sub.name == "$ref", definition.identifiesElementsByValue { continue }
            guard let normalized = try normalize(object[key]!, sub, path: path + "." + sub.name) else { continue }
            result[sub.name] = normalized
        }
        // A complex value with nothing but empty strings is unassigned (Entra clears the
        // manager with `{"value": ""}`).
        if result.values.allSatisfy({ $0.stringValue == "" || $0.isUnassigned }) { return nil }
        for sub in definition.subAttributes where sub.required && result[sub.name] == nil {
            throw .invalidValue("\"\(path)\": sub-attribute \"\(sub.name)\" is required")
        }
        if definition.identifiesElementsByValue, result["value"] == nil {
            throw .invalidValue("\"\(path)\": each value needs a \"value\"")
        }
        return .object(result)
    }

    private func scalar(_ value: JSONValue, _ definition: AttributeDefinition, path: String) throws(SCIMError) -> JSONValue {
        switch definition.type {
        case .string, .reference:
            guard case .string(let text) = value else {
                throw .invalidValue("\"\(path)\": expected a string, got \(value.typeName)")
            }
            if definition.type == .reference, !URIReference.isPlausible(text) {
                throw .invalidValue("\"\(path)\": expected a URI reference, got \(value)")
            }
            // An empty string is no value (a complex value of empty strings is unassigned).
            if definition.enforcesCanonicalValues, !definition.canonicalValues.isEmpty, !text.isEmpty {
                guard let canonical = definition.canonicalValue(matching: text) else {
                    let allowed = definition.canonicalValues.map { JSONValue.string($0).description }.joined(separator: ", ")
                    throw .invalidValue("\"\(path)\": \(value) is not one of the allowed values \(allowed)")
                }
                return .string(canonical)
            }
            return value
        case .binary:
            guard case .string(let text) = value else {
                throw .invalidValue("\"\(path)\": expected a base64 string, got \(value.typeName)")
            }
            guard Base64Text.isValid(text) else {
                throw .invalidValue("\"\(path)\": expected base64 (RFC 4648), got a string that is not")
            }
            return value
        case .boolean:
            guard let bool = Coercion.boolean(value) else {
                throw .invalidValue("\"\(path)\": expected a boolean, got \(value.typeName) \(value)")
            }
            return .bool(bool)
        case .integer:
            guard let integer = Coercion.integer(value) else {
                throw .invalidValue("\"\(path)\": expected an integer, got \(value.typeName) \(value)")
            }
            return .int(integer)
        case .decimal:
            guard let double = value.doubleValue else {
                throw .invalidValue("\"\(path)\": expected a decimal, got \(value.typeName)")
            }
            return .decimal(double)
        case .dateTime:
            guard case .string(let text) = value, SCIMDateTime(parsing: text) != nil else {
                throw .invalidValue("\"\(path)\": expected an xsd:dateTime such as \"2015-09-25T12:00:00Z\", got \(value)")
            }
            return value
        case .complex:
            throw .invalidValue("\"\(path)\": unexpected complex value")
        }
    }
}
