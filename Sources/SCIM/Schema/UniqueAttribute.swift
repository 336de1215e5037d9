/// An attribute whose values must be unique across the resources of a type (RFC 7643 §7
/// `uniqueness`), as the store needs it to keep an index: the canonical path, and how
/// values compare.
///
/// The protocol module cannot enforce uniqueness (it sees one resource at a time); it
/// says once, per resource type, which attributes need it and what "the same value" means
/// for each, so the store's index and the filters that find a holder agree (`caseExact`
/// decides both; text is compared in NFC, as filters compare).
public struct UniqueAttribute: Sendable, Hashable {
    /// The canonical path: `userName`, `urn:…:acme:2.0:User:employeeCode`, or with a
    /// sub-attribute, `urn:…:User:badge.code`. Resolving `path.dotted` against the type
    /// gives this path back, so it can be used as a filter (`<dotted> eq "…"`).
    public var path: AttributePath
    public var uniqueness: Uniqueness
    public var type: AttributeType
    /// Whether `Ab` and `ab` are two values (true) or one (false).
    public var caseExact: Bool
    /// True when one resource may hold several values (the attribute or its parent is
    /// multi-valued): each must be unique.
    public var multiValued: Bool

    public init(path: AttributePath, uniqueness: Uniqueness, type: AttributeType, caseExact: Bool, multiValued: Bool) {
        self.path = path
        self.uniqueness = uniqueness
        self.type = type
        self.caseExact = caseExact
        self.multiValued = multiValued
    }

    /// The dotted path, as index keys and `AttributeChange.path` name attributes.
    public var dotted: String { path.dotted }

    /// The values `resource` (a stored, canonical resource) holds for this attribute, as
    /// index keys: strings lowercased unless `caseExact`, in NFC; numbers and booleans as
    /// their JSON text. Empty strings and nulls are no value. Two resources clash when
    /// they share a key.
    public func keys(in resource: JSONValue) -> [String] {
        guard case .object(let object) = resource else { return [] }
        var holder = object
        if let urn = path.schema {
            guard case .object(let inner)? = object.value(forAttribute: urn) else { return [] }
            holder = inner
        }
        guard let value = holder.value(forAttribute: path.attribute) else { return [] }
        var keys: [String] = []
        func add(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(add)
            case .string(let text) where !text.isEmpty:
                keys.append(String(decoding: StringMatch.folded(text, caseExact: caseExact), as: UTF8.self))
            case .int, .decimal, .bool: keys.append(value.serializedString(.compact))
            default: break
            }
        }
        if let sub = path.subAttribute {
            for element in value.arrayValue ?? [value] {
                if let inner = element.value(forAttribute: sub) { add(inner) }
            }
        } else {
            add(value)
        }
        return keys
    }

    /// Every unique attribute of `type`, core schema first, then each extension in order.
    static func all(in type: ResourceType) -> [UniqueAttribute] {
        var result: [UniqueAttribute] = []
        func collect(_ definitions: [AttributeDefinition], schema: String?) {
            for definition in definitions {
                if definition.type == .complex {
                    for sub in definition.subAttributes where sub.uniqueness != .none {
                        result.append(UniqueAttribute(
                            path: AttributePath(schema: schema, attribute: definition.name, subAttribute: sub.name),
                            uniqueness: sub.uniqueness, type: sub.type, caseExact: sub.caseExact,
                            multiValued: definition.multiValued || sub.multiValued))
                    }
                } else if definition.uniqueness != .none {
                    result.append(UniqueAttribute(
                        path: AttributePath(schema: schema, attribute: definition.name),
                        uniqueness: definition.uniqueness, type: definition.type, caseExact: definition.caseExact,
                        multiValued: definition.multiValued))
                }
            }
        }
        collect(type.schema.attributes, schema: nil)
        for ext in type.extensions { collect(ext.schema.attributes, schema: ext.schema.id) }
        return result
    }
}
