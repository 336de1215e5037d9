/// The `sortBy`/`sortOrder` of a query (RFC 7644 §3.4.2.3), with the comparison to sort
/// resources by.
///
/// RFC semantics: a multi-valued attribute sorts by its `primary` value, else its first;
/// a complex attribute named without a sub-attribute sorts by its `value`; strings
/// compare case-insensitively unless `caseExact` (by code point of the lowercased text),
/// dateTimes as instants, numbers numerically, `false` before `true`. Resources with no
/// value "are ordered last if ascending and first if descending" (RFC 7644 §3.4.2.3) —
/// i.e. the missing ones sit at the same end of the key order, which descending order
/// reverses. Ties compare equal: keep the store's order for a stable result (`sorted`
/// does).
public struct SortSpec: Sendable, Hashable {
    public enum Order: String, Sendable, Hashable {
        case ascending, descending
    }

    /// The attribute sorted by (canonical when parsed for a type).
    public var path: AttributePath
    public var order: Order
    private var container: String?
    private var caseExact: Bool
    private var attributeType: AttributeType?
    private var useValueSub: Bool

    /// Sorts by `path` (resolved against `type` when given, for case and types).
    public init(path: AttributePath, order: Order = .ascending, for type: ResourceType? = nil) {
        self.path = path
        self.order = order
        self.container = path.schema
        self.caseExact = false
        self.attributeType = nil
        self.useValueSub = false
        if let type, let resolved = type.resolve(path) {
            self.path = resolved.path
            container = resolved.extensionURN
            if let definition = resolved.effectiveDefinition {
                if definition.type == .complex, let value = definition.subAttribute(named: "value") {
                    useValueSub = true
                    caseExact = value.caseExact
                    attributeType = value.type
                } else {
                    caseExact = definition.caseExact
                    attributeType = definition.type
                }
            }
        } else if let schema = path.schema, ASCII.hasPrefixIgnoringCase(schema, "urn:ietf:params:scim:schemas:core:") {
            container = nil
        }
    }

    /// Parses the query parameters. `sortOrder` is `ascending` (default) or `descending`,
    /// any case. Errors are `400 invalidValue`: a malformed name, with a type an attribute
    /// it does not define, a complex attribute without a `value` to sort by, or one that is
    /// never returned (writeOnly, `returned: never`).
    public init(sortBy: String, sortOrder: String? = nil, for type: ResourceType?) throws(SCIMError) {
        let name = sortBy.trimmingWhitespace
        guard let notation = AttributePath.parseNotation(name) else {
            throw .invalidValue("sortBy: \"\(sortBy)\" is not a valid attribute name")
        }
        var order = Order.ascending
        if let sortOrder, !sortOrder.trimmingWhitespace.isEmpty {
            guard let parsed = [Order.ascending, .descending].first(where: { ASCII.equalsIgnoringCase($0.rawValue, sortOrder.trimmingWhitespace) }) else {
                throw .invalidValue("sortOrder must be \"ascending\" or \"descending\", not \"\(sortOrder)\"")
            }
            order = parsed
        }
        if let type {
            switch type.resolution(of: notation) {
            case .attribute(let resolved):
                // The order of resources would reveal values that are never returned.
                if resolved.definition?.isNeverReturned == true || resolved.subDefinition?.isNeverReturned == true {
                    throw .invalidValue("sortBy: \"\(name)\" is never returned, so it cannot be sorted by")
                }
                if let definition = resolved.effectiveDefinition, definition.type == .complex, !definition.hasValueSubAttribute {
                    throw .invalidValue("sortBy: \"\(name)\" is complex; name one of its sub-attributes (e.g. \(definition.name).\(definition.subAttributes.first?.name ?? "value"))")
                }
            case .wholeExtension(let urn, _):
                throw .invalidValue("sortBy: \"\(urn)\" is a schema, not an attribute")
            case .unknown(let reason):
                throw .invalidValue("sortBy: \(reason)")
            }
        }
        self.init(path: notation, order: order, for: type)
    }

    // MARK: Keys

    /// A resource's sort key, computed once per resource.
    public func key(for resource: JSONValue) -> SortKey {
        guard case .object(let object) = resource else { return SortKey(.missing) }
        var holder = object
        if let container {
            guard case .object(let inner)? = object.value(forAttribute: container) else { return SortKey(.missing) }
            holder = inner
        }
        guard var value = holder.value(forAttribute: path.attribute) else { return SortKey(.missing) }
        if case .array(let elements) = value {
            guard let chosen = elements.first(where: { $0.value(forAttribute: "primary").flatMap(Coercion.boolean) == true }) ?? elements.first else {
                return SortKey(.missing)
            }
            value = chosen
        }
        if let sub = path.subAttribute ?? (useValueSub || value.objectValue != nil ? "value" : nil) {
            guard let inner = value.value(forAttribute: sub) else { return SortKey(.missing) }
            value = inner
        }
        switch value {
        case .null: return SortKey(.missing)
        case .bool(let b): return SortKey(.bool(b))
        case .int(let i): return SortKey(.number(Double(i)))
        case .decimal(let d): return SortKey(.number(d))
        case .string(let s):
            if attributeType == .dateTime || attributeType == nil, let instant = SCIMDateTime(parsing: s) {
                return SortKey(.instant(instant))
            }
            if s.isEmpty { return SortKey(.missing) }
            return SortKey(.string(StringMatch.folded(s, caseExact: caseExact)))
        case .array, .object: return SortKey(.missing)
        }
    }

    /// -1, 0 or 1: the order of two keys in this spec's direction (missing values last
    /// when ascending, first when descending).
    public func compare(_ a: SortKey, _ b: SortKey) -> Int {
        let ascending = SortKey.ascendingOrder(a, b)
        return order == .ascending ? ascending : -ascending
    }

    /// The order of two resources (computes their keys; for many resources, compute the
    /// keys once with `key(for:)`).
    public func compare(_ a: JSONValue, _ b: JSONValue) -> Int {
        compare(key(for: a), key(for: b))
    }

    /// The resources sorted, stably (ties keep their input order).
    public func sorted(_ resources: [JSONValue]) -> [JSONValue] {
        let keys = resources.map(key(for:))
        let order = resources.indices.sorted { i, j in
            let c = compare(keys[i], keys[j])
            return c != 0 ? c < 0 : i < j
        }
        return order.map { resources[$0] }
    }
}

/// A precomputed sort key (see `SortSpec.key(for:)`).
public struct SortKey: Sendable, Hashable {
    enum Storage: Sendable, Hashable {
        case missing
        case bool(Bool)
        case number(Double)
        case instant(SCIMDateTime)
        case string([UInt8])
    }

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    /// True when the resource has no value to sort by.
    public var isMissing: Bool { storage == .missing }

    private var rank: Int {
        switch storage {
        case .bool: return 0
        case .number: return 1
        case .instant: return 2
        case .string: return 3
        case .missing: return 4
        }
    }

    /// Ascending order; values of different kinds (only possible untyped) by kind; missing last.
    static func ascendingOrder(_ a: SortKey, _ b: SortKey) -> Int {
        switch (a.storage, b.storage) {
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.number(let x), .number(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.instant(let x), .instant(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in StringMatch.order(px, py) } }
        default:
            return a.rank < b.rank ? -1 : (a.rank == b.rank ? 0 : 1)
        }
    }
}
