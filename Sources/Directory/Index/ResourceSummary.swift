import SCIM

/// What the indexes keep of a resource: enough to answer uniqueness checks, the common
/// filters, `User.groups` and member `display` names without reading files. The full
/// resource stays in its file.
struct ResourceSummary: Sendable, Hashable {
    var kind: ResourceKind
    /// userName for a user, displayName for a group: what commits and member lists name it by.
    var name: String
    /// `meta.created` in milliseconds since 1970: creation order, the order pages come in.
    var created: Int64
    /// Indexed attribute values, normalised: one list per path of `indexedPaths[kind]`, in
    /// that order (positional rather than a dictionary: this is kept for every resource).
    var keys: [[String]]

    init(kind: ResourceKind, name: String, created: Int64, keys: [[String]]) {
        self.kind = kind
        self.name = name
        self.created = created
        self.keys = keys
    }

    /// Extracts the summary of a stored resource document.
    init(kind: ResourceKind, document: [String: JSONValue]) {
        self.kind = kind
        name = kind.name(in: document)
        created = document["meta"]?["created"]?.stringValue.flatMap(SCIMDateTime.init(parsing:))
            .map { $0.secondsSince1970 * 1000 + Int64($0.nanoseconds / 1_000_000) } ?? 0
        keys = kind.indexedPaths.map { path, caseExact in
            ResourceSummary.values(at: path, in: document).map { ResourceSummary.key($0, caseExact: caseExact) }
        }
    }

    /// Each indexed path with its keys.
    var pathKeys: Zip2Sequence<[String], [[String]]> {
        zip(kind.indexedPaths.map(\.path), keys)
    }

    /// The index key of a value: its text, lowercased unless the attribute is caseExact.
    static func key(_ value: JSONValue, caseExact: Bool) -> String {
        let text: String
        switch value {
        case let .string(string): text = string
        case let .bool(bool): text = bool ? "true" : "false"
        case let .int(int): text = String(int)
        default: text = value.serializedString(.compact)
        }
        return caseExact ? text : text.lowercased()
    }

    private static func values(at path: String, in document: [String: JSONValue]) -> [JSONValue] {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard let top = document[parts[0]] else { return [] }
        if parts.count == 1 { return top.isNull ? [] : [top] }
        switch top {
        case let .array(elements): return elements.compactMap { $0[parts[1]] }
        case .object: return top[parts[1]].map { [$0] } ?? []
        default: return []
        }
    }
}
