/// An equality every resource matching a filter must satisfy, for index lookups.
///
/// The Directory keeps indexes (userName, externalId, emails, displayName, id); a filter
/// tree is inspected once to find an equality it can look up instead of scanning every
/// resource.
public struct EqualityTerm: Sendable, Hashable {
    /// The canonical dotted path (`userName`, `externalId`, `id`, `displayName`,
    /// `emails.value`, `urn:…:enterprise:2.0:User:employeeNumber`).
    public var path: String
    /// The value compared with (already coerced to the attribute's type).
    public var value: JSONValue
    /// Whether string comparison is case-sensitive for this attribute (from `caseExact`).
    public var caseExact: Bool
}

extension Filter {
    /// Equalities that are necessary for a match: the `eq` comparisons among the top-level
    /// `and` conjuncts, and inside a top-level value path (`emails[type eq "work"].value eq
    /// "x"` yields `emails.type = work` and `emails.value = x`). The store may look any one
    /// of them up in an index to get candidates, then must still run the full filter on
    /// each candidate. Empty when no such shortcut exists (e.g. an `or` at the top).
    /// `caseExact` is only known for filters parsed with a resource type (else false).
    public func requiredEqualities(for type: ResourceType? = nil) -> [EqualityTerm] {
        var terms: [EqualityTerm] = []
        collectEqualities(into: &terms, type: type)
        return terms
    }

    private func collectEqualities(into terms: inout [EqualityTerm], type: ResourceType?) {
        switch self {
        case .and(let left, let right):
            left.collectEqualities(into: &terms, type: type)
            right.collectEqualities(into: &terms, type: type)
        case .compare(let path, .eq, let value) where !value.isNull:
            let definition = type?.resolve(path)?.effectiveDefinition
            terms.append(EqualityTerm(path: path.dotted, value: value, caseExact: definition?.caseExact ?? false))
        case .valuePath(let parent, let inner):
            let parentDefinition = type?.resolve(parent)?.definition
            for conjunct in inner.conjuncts {
                guard case .compare(let sub, .eq, let value) = conjunct, !value.isNull, sub.subAttribute == nil else { continue }
                var full = parent.withoutFilter
                full.subAttribute = sub.attribute
                let caseExact = parentDefinition?.subAttribute(named: sub.attribute)?.caseExact ?? false
                terms.append(EqualityTerm(path: full.dotted, value: value, caseExact: caseExact))
            }
        default:
            break
        }
    }
}
