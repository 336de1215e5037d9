/// A parsed SCIM filter (RFC 7644 §3.4.2.2) as a tree.
///
/// Parsing once into a tree lets the store look at the query before running it — e.g.
/// recognise `userName eq "x"` or `emails[type eq "work"].value eq "x"` and use an index
/// (see `requiredEqualities`) — and lets `FilterMatcher` evaluate it without re-parsing.
/// When parsed for a resource type, attribute paths are canonical (see `AttributePath`)
/// and comparison values are already coerced to the attribute's type (`"True"` becomes
/// `true` for a boolean attribute).
///
/// Inside `.valuePath(path, inner)`, the paths of `inner` name sub-attributes of `path`.
/// Entra's `emails[type eq "work"].value eq "x"` (valuePath followed by a sub-attribute,
/// which the RFC only allows in PATCH paths) parses as
/// `.valuePath(emails, .and(type eq "work", value eq "x"))`: one email must satisfy both.
public indirect enum Filter: Sendable, Hashable, CustomStringConvertible {
    case compare(AttributePath, ComparisonOperator, JSONValue)
    case present(AttributePath)
    case and(Filter, Filter)
    case or(Filter, Filter)
    case not(Filter)
    case valuePath(AttributePath, Filter)

    /// The filter in RFC 7644 syntax, with parentheses only where precedence needs them.
    public var description: String {
        switch self {
        case .compare(let path, let op, let value):
            return "\(path.description) \(op.rawValue) \(value.serializedString(.compact))"
        case .present(let path):
            return "\(path.description) pr"
        case .and(let left, let right):
            // `and`/`or` parse left-associatively: a right operand of the same operator keeps
            // its parentheses, so the printed filter parses back to this very tree.
            return "\(left.parenthesized(ifWeakerThan: 2)) and \(right.parenthesized(ifWeakerThan: 3))"
        case .or(let left, let right):
            return "\(left.parenthesized(ifWeakerThan: 1)) or \(right.parenthesized(ifWeakerThan: 2))"
        case .not(let inner):
            return "not (\(inner.description))"
        case .valuePath(let path, let inner):
            return "\(path.description)[\(inner.description)]"
        }
    }

    private var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        default: return 3
        }
    }

    private func parenthesized(ifWeakerThan level: Int) -> String {
        precedence < level ? "(\(description))" : description
    }
}

/// The comparison operators of RFC 7644 §3.4.2.2, Table 3 (`pr` is `Filter.present`).
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le

    /// Ordering operators, undefined for booleans and binary data.
    public var isOrdering: Bool { self == .gt || self == .ge || self == .lt || self == .le }
    /// Substring operators, defined for strings only.
    public var isSubstring: Bool { self == .co || self == .sw || self == .ew }
}

extension Filter {
    /// The operands of a chain of `and`s (the filter itself if it is not an `and`).
    public var conjuncts: [Filter] {
        if case .and(let left, let right) = self { return left.conjuncts + right.conjuncts }
        return [self]
    }

    /// The operands of a chain of `or`s (the filter itself if it is not an `or`).
    public var disjuncts: [Filter] {
        if case .or(let left, let right) = self { return left.disjuncts + right.disjuncts }
        return [self]
    }
}
