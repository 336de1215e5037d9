/// Checks one attribute value against its definition and returns its canonical form.
///
/// Shared by resource validation (POST/PUT bodies) and PATCH (operation values and the
/// patched result), so that both accept exactly the same inputs: canonical sub-attribute
/// case, Entra's `"True"`/`"False"` booleans, a bare value for a complex attribute with a
/// `value` sub-attribute (Entra's bare-string `manager`), a single value where an array is
/// expected, and RFC 7643 §2.5's "null, [] and {} mean unassigned".
struct ValueNormalizer {
    enum Mode {
        /// Client input: readOnly sub-attributes are ignored (RFC 7644 §3.3).
        case input
        /// A stored resource being re-canonicalised: everything defined is kept.
        case stored
    }

    let mode: Mode

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
        var primaries = 0
        for item in items {
            guard let normalized = try element(item, definition, path: path) else { continue }
            if definition.type == .complex, case .bool(true)? = normalized["primary"] {
                primaries += 1
                if primaries > 1 {
                    throw .invalidValue("\"\(path)\": at most one value may have \"primary\": true")
                }
            }
            if definition.identifiesElementsByValue, let key = ValueNormalizer.identity(of: normalized, definition) {
                guard seenValues.insert(key).inserted else { continue }
            }
            result.append(normalized)
        }
        return result.isEmpty ? nil : .array(result)
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
        var droppedReadOnly = false
        for key in object.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let sub = definition.subAttribute(named: key) else { continue }  // unknown sub-attribute: ignored
            if let earlier = sources[sub.name] {
                throw .invalidSyntax("\"\(path)\": sub-attribute \"\(sub.name)\" appears twice (\"\(earlier)\" and \"\(key)\")")
            }
            sources[sub.name] = key
            if sub.mutability == .writeOnly { continue }
            if mode == .input, sub.mutability == .readOnly {
                if let given = object[key], !given.isNull, given.stringValue != "" { droppedReadOnly = true }
                continue
            }
            // `"$ref": null` (Entra) is simply unassigned; references of members-like
            // attributes are derived from `value` by the server, never stored.
            if sub.name == "$ref", definition.identifiesElementsByValue { continue }
            guard let normalized = try normalize(object[key]!, sub, path: path + "." + sub.name) else { continue }
            result[sub.name] = normalized
        }
        // A member given by its readOnly `display` alone names no member: refused, rather
        // than read as an empty value and silently left out.
        if definition.identifiesElementsByValue, droppedReadOnly, result["value"] == nil {
            throw .invalidValue("\"\(path)\": each value needs a \"value\"")
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
        case .string, .reference, .binary:
            guard case .string = value else {
                throw .invalidValue("\"\(path)\": expected a string, got \(value.typeName)")
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
