/// A JSON document as a value, the currency of the whole SCIM module.
///
/// SCIM resources are schema-driven but open-ended (extensions, unknown URNs kept as sent),
/// so the module works on a generic JSON tree rather than on typed structs. Integers and
/// decimals are kept apart (`int` vs `decimal`) so that what a client sent, and what is
/// stored in git, round-trips exactly: `1` stays `1`, `1.0` stays `1.0`. Integers that do
/// not fit in `Int64` become `.decimal`.
///
/// Object keys are stored exactly as written. SCIM attribute names are case-insensitive
/// (RFC 7643 §2.1); use `value(forAttribute:)` / `key(matchingAttribute:)` for lookups that
/// must honour that, and the schema-aware code (validator, PATCH) writes keys back in the
/// schema's canonical case.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case decimal(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

// MARK: - Accessors

extension JSONValue {
    /// The member `key` (exact spelling) of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            guard case .object(var object) = self else { return }
            self = .null  // release the payload so the dictionary stays uniquely referenced
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var intValue: Int64? { if case .int(let i) = self { return i } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }

    /// The numeric value of an `int` or `decimal`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .decimal: return "decimal"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The key of this object that names `attribute`, compared case-insensitively
    /// (RFC 7643 §2.1). The exact spelling is tried first, so canonical documents pay one
    /// hash lookup.
    public func key(matchingAttribute attribute: String) -> String? {
        guard case .object(let object) = self else { return nil }
        return object.key(matchingAttribute: attribute)
    }

    /// The value of the member named `attribute`, compared case-insensitively.
    public func value(forAttribute attribute: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object.value(forAttribute: attribute)
    }

    /// True for the values RFC 7643 §2.5 treats as "unassigned": null, an empty array, an
    /// empty object, or a missing value.
    public var isUnassigned: Bool {
        switch self {
        case .null: return true
        case .array(let a): return a.isEmpty
        case .object(let o): return o.values.allSatisfy(\.isUnassigned)
        default: return false
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The key naming `attribute`, compared ASCII-case-insensitively; exact spelling first.
    public func key(matchingAttribute attribute: String) -> String? {
        if self[attribute] != nil { return attribute }
        for key in keys where ASCII.equalsIgnoringCase(key, attribute) { return key }
        return nil
    }

    /// The value of the member naming `attribute`, compared case-insensitively.
    public func value(forAttribute attribute: String) -> JSONValue? {
        if let value = self[attribute] { return value }
        for (key, value) in self where ASCII.equalsIgnoringCase(key, attribute) { return value }
        return nil
    }

    /// Removes every member naming `attribute` (any case) and returns the removed value.
    @discardableResult
    public mutating func removeValue(forAttribute attribute: String) -> JSONValue? {
        var removed: JSONValue?
        if let value = removeValue(forKey: attribute) { removed = value }
        let others = keys.filter { ASCII.equalsIgnoringCase($0, attribute) }
        for key in others {
            let value = removeValue(forKey: key)
            if removed == nil { removed = value }
        }
        return removed
    }
}

// MARK: - Literals (handy in tests and for building documents in code)

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .decimal(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object: [String: JSONValue] = [:]
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact serialisation, keys sorted.
    public var description: String { serializedString(.compact) }
}
