/// Evaluates a `Filter` against resources, compiled once per query.
///
/// The Directory may run a filter over 100,000 resources, so everything that depends only
/// on the filter — attribute lookups, case folding of the literal, dateTime parsing,
/// which comparison applies — is done once in `init`, and matching works on UTF-8 bytes
/// without allocating for ASCII data.
///
/// Semantics (RFC 7644 §3.4.2.2, with the choices the RFC leaves open):
/// - A multi-valued attribute matches if any of its values matches; a complex attribute
///   compared without a sub-attribute compares its `value` sub-attribute
///   (`emails co "example.com"`).
/// - Strings compare case-insensitively unless the attribute is `caseExact`; ordering is
///   by Unicode code point (of the lowercased text when case-insensitive).
/// - dateTime attributes compare as instants; integers and decimals numerically.
/// - `ne` is the negation of `eq` (it matches resources without the attribute);
///   `eq null` matches when the attribute is unassigned and `ne null` when it is present.
/// - `pr` needs a non-empty value: not null, not `""`, not `[]`, not an empty object.
/// - A value of the wrong type in the resource never matches (no error).
public struct FilterMatcher: Sendable {
    private let root: Node

    /// Compiles `filter`. Pass the resource type the filter was parsed for, so that
    /// `caseExact` and attribute types are honoured (without one, strings compare
    /// case-insensitively and types are taken from the literals).
    public init(_ filter: Filter, for type: ResourceType?) {
        root = Node.compile(filter, type: type, parent: nil)
    }

    /// Compiles the value filter of a PATCH path (`emails[type eq "work"]`): its paths name
    /// sub-attributes of `attribute` (nil when untyped), and it is matched against one
    /// element of that attribute at a time.
    init(elementFilter filter: Filter, of attribute: AttributeDefinition?) {
        root = Node.compile(filter, type: nil, parent: .some(attribute))
    }

    /// True when `resource` (a JSON object) satisfies the filter.
    public func matches(_ resource: JSONValue) -> Bool {
        guard case .object(let object) = resource else { return false }
        var uncounted = UncountedWork()
        return root.evaluate(object, &uncounted)
    }

    /// True when the object satisfies the filter (avoids re-wrapping a dictionary).
    public func matches(_ object: [String: JSONValue]) -> Bool {
        var uncounted = UncountedWork()
        return root.evaluate(object, &uncounted)
    }

    /// `matches`, counting into `work` each value compared with a literal.
    func matches(_ object: [String: JSONValue], counting work: inout some WorkCounter) -> Bool {
        root.evaluate(object, &work)
    }
}

extension Filter {
    /// Evaluates the filter against one resource. For many resources, build a
    /// `FilterMatcher` once instead.
    public func matches(_ resource: JSONValue, as type: ResourceType?) -> Bool {
        FilterMatcher(self, for: type).matches(resource)
    }
}

// MARK: - Compiled form

private struct Accessor: Sendable {
    var container: String?
    var attribute: String
    var sub: String?

    /// Calls `visit` with each value the path reaches; stops and returns true as soon as
    /// `visit` does.
    func anyValue(in object: [String: JSONValue], _ visit: (JSONValue) -> Bool) -> Bool {
        let holder: [String: JSONValue]
        if let container {
            guard case .object(let inner)? = object.value(forAttribute: container) else { return false }
            holder = inner
        } else {
            holder = object
        }
        guard let value = holder.value(forAttribute: attribute) else { return false }
        if let sub {
            switch value {
            case .array(let elements):
                for element in elements {
                    if case .object(let e) = element, let v = e.value(forAttribute: sub), Accessor.visitFlat(v, visit) { return true }
                }
                return false
            case .object(let e):
                guard let v = e.value(forAttribute: sub) else { return false }
                return Accessor.visitFlat(v, visit)
            default:
                return false
            }
        }
        return Accessor.visitFlat(value, visit)
    }

    private static func visitFlat(_ value: JSONValue, _ visit: (JSONValue) -> Bool) -> Bool {
        if case .array(let elements) = value {
            for element in elements where visit(element) { return true }
            return false
        }
        return visit(value)
    }
}

private enum Operand: Sendable {
    case null
    case bool(Bool)
    case number(JSONValue)
    /// `pattern` is lowercased when `caseExact` is false. `instant` is set for dateTime
    /// attributes, and for untyped literals that look like a dateTime.
    case string(pattern: [UInt8], caseExact: Bool, instant: SCIMDateTime?, isDateTime: Bool)
}

private indirect enum Node: Sendable {
    case compare(Accessor, ComparisonOperator, Operand)
    case present(Accessor)
    case and(Node, Node)
    case or(Node, Node)
    case not(Node)
    case valuePath(Accessor, Node)

    static func compile(_ filter: Filter, type: ResourceType?, parent: AttributeDefinition??) -> Node {
        switch filter {
        case .and(let l, let r): return .and(compile(l, type: type, parent: parent), compile(r, type: type, parent: parent))
        case .or(let l, let r): return .or(compile(l, type: type, parent: parent), compile(r, type: type, parent: parent))
        case .not(let inner): return .not(compile(inner, type: type, parent: parent))
        case .present(let path):
            let (accessor, _) = access(path, type: type, parent: parent, comparing: false)
            return .present(accessor)
        case .compare(let path, let op, let value):
            let (accessor, definition) = access(path, type: type, parent: parent, comparing: true)
            return .compare(accessor, op, operand(value, definition: definition))
        case .valuePath(let path, let inner):
            let (accessor, _) = access(path.withoutFilter, type: type, parent: parent, comparing: false)
            let definition: AttributeDefinition?? = .some(type?.resolve(path.withoutFilter)?.definition)
            return .valuePath(accessor, compile(inner, type: type, parent: definition))
        }
    }

    /// How to reach the values of `path`, and the definition that types them.
    /// `parent` is non-nil inside a value path (its wrapped value is the filtered
    /// attribute's definition, nil if untyped).
    private static func access(_ path: AttributePath, type: ResourceType?, parent: AttributeDefinition??, comparing: Bool) -> (Accessor, AttributeDefinition?) {
        if let parent {
            var definition = parent?.subAttribute(named: path.attribute)
            var sub = path.subAttribute
            if comparing, sub == nil, definition?.type == .complex, definition?.hasValueSubAttribute == true {
                sub = "value"
                definition = definition?.subAttribute(named: "value")
            }
            return (Accessor(container: nil, attribute: definition?.name ?? path.attribute, sub: sub), definition)
        }
        if let type, let resolved = type.resolve(path) {
            var accessor = Accessor(container: resolved.extensionURN, attribute: resolved.path.attribute, sub: resolved.path.subAttribute)
            var definition = resolved.effectiveDefinition
            if comparing, accessor.sub == nil, let d = definition, d.type == .complex {
                accessor.sub = "value"
                definition = d.subAttribute(named: "value")
            } else if comparing, accessor.sub == nil, resolved.definition == nil {
                definition = nil
            }
            return (accessor, definition)
        }
        // Untyped: URN-qualified core attributes live at the top level.
        var container = path.schema
        if let schema = container, ASCII.hasPrefixIgnoringCase(schema, "urn:ietf:params:scim:schemas:core:") { container = nil }
        return (Accessor(container: container, attribute: path.attribute, sub: path.subAttribute), nil)
    }

    private static func operand(_ value: JSONValue, definition: AttributeDefinition?) -> Operand {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int, .decimal: return .number(value)
        case .string(let s):
            let caseExact = definition?.caseExact ?? false
            let isDateTime = definition?.type == .dateTime
            let instant = (definition == nil || isDateTime) ? SCIMDateTime(parsing: s) : nil
            let pattern = StringMatch.folded(s, caseExact: caseExact)
            return .string(pattern: pattern, caseExact: caseExact, instant: instant, isDateTime: isDateTime)
        case .array, .object:
            return .null
        }
    }

    func evaluate<Work: WorkCounter>(_ object: [String: JSONValue], _ work: inout Work) -> Bool {
        switch self {
        case .and(let l, let r): return l.evaluate(object, &work) && r.evaluate(object, &work)
        case .or(let l, let r): return l.evaluate(object, &work) || r.evaluate(object, &work)
        case .not(let inner): return !inner.evaluate(object, &work)
        case .present(let accessor):
            return accessor.anyValue(in: object) { Node.isPresent($0) }
        case .compare(let accessor, let op, let operand):
            switch (op, operand) {
            case (.eq, .null): return !accessor.anyValue(in: object) { Node.isPresent($0) }
            case (.ne, .null): return accessor.anyValue(in: object) { Node.isPresent($0) }
            case (.ne, _): return !accessor.anyValue(in: object) { Node.compare($0, .eq, operand, &work) }
            default: return accessor.anyValue(in: object) { Node.compare($0, op, operand, &work) }
            }
        case .valuePath(let accessor, let inner):
            return accessor.anyValue(in: object) { element in
                guard case .object(let e) = element else { return false }
                return inner.evaluate(e, &work)
            }
        }
    }

    private static func isPresent(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .string(let s): return !s.isEmpty
        case .array(let a): return a.contains(where: isPresent)
        case .object(let o): return o.values.contains(where: isPresent)
        default: return true
        }
    }

    private static func compare<Work: WorkCounter>(_ value: JSONValue, _ op: ComparisonOperator, _ operand: Operand, _ work: inout Work) -> Bool {
        // Untyped complex values compare by their `value` (`emails co "x"` without a schema).
        if case .object(let object) = value {
            guard let inner = object.value(forAttribute: "value"), inner.objectValue == nil else { return false }
            return compare(inner, op, operand, &work)
        }
        work.add()
        switch operand {
        case .null:
            return false
        case .bool(let expected):
            guard case .bool(let actual) = value else { return false }
            return op == .eq ? actual == expected : false
        case .number(let expected):
            let order: Int
            switch (value, expected) {
            case (.int(let a), .int(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
            default:
                guard let a = value.doubleValue, let b = expected.doubleValue else { return false }
                order = a < b ? -1 : (a == b ? 0 : 1)
            }
            return Node.satisfies(order, op)
        case .string(let pattern, let caseExact, let instant, let isDateTime):
            guard case .string(let actual) = value else { return false }
            if let instant, !op.isSubstring, let other = SCIMDateTime(parsing: actual) {
                return Node.satisfies(other < instant ? -1 : (other == instant ? 0 : 1), op)
            }
            if isDateTime, op.isOrdering { return false }
            return StringMatch.compare(actual, pattern, caseExact: caseExact, op)
        }
    }

    private static func satisfies(_ order: Int, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .eq: return order == 0
        case .ne: return order != 0
        case .gt: return order > 0
        case .ge: return order >= 0
        case .lt: return order < 0
        case .le: return order <= 0
        case .co, .sw, .ew: return false
        }
    }
}
