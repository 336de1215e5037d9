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
    /// Indexed attribute values, normalised: one run per path of `indexedPaths[kind]`, in
    /// that order (positional rather than a dictionary: this is kept for every resource).
    var keys: IndexKeys

    init(kind: ResourceKind, name: String, created: Int64, keys: [[String]]) {
        self.kind = kind
        self.name = name
        self.created = created
        self.keys = IndexKeys(ResourceSummary.sharingStorage(keys, with: name))
    }

    /// A summary whose keys already share storage with its name (read from the snapshot).
    init(kind: ResourceKind, name: String, created: Int64, sharedKeys: [[String]]) {
        self.kind = kind
        self.name = name
        self.created = created
        self.keys = IndexKeys(sharedKeys)
    }

    /// Extracts the summary of a stored resource document.
    init(kind: ResourceKind, document: [String: JSONValue]) {
        self.kind = kind
        name = kind.name(in: document)
        created = document["meta"]?["created"]?.stringValue.flatMap(SCIMDateTime.init(parsing:))
            .map { $0.secondsSince1970 * 1000 + Int64($0.nanoseconds / 1_000_000) } ?? 0
        keys = IndexKeys(ResourceSummary.sharingStorage(kind.indexedPaths.map { path, caseExact in
            ResourceSummary.values(at: path, in: document).map { ResourceSummary.key($0, caseExact: caseExact) }
        }, with: name))
    }

    /// Each indexed path with its keys.
    var pathKeys: Zip2Sequence<[String], [ArraySlice<String>]> {
        zip(kind.indexedPaths.map(\.path), keys.runs)
    }

    /// The keys, each equal one made the same text as the name or an earlier key: a
    /// user's userName key is usually its name, its email the same again, and a string of
    /// more than 15 bytes is a heap object of its own (a hundred megabytes at a million).
    private static func sharingStorage(_ runs: [[String]], with name: String) -> [[String]] {
        var seen = [name]
        return runs.map { run in
            run.map { key in
                if let same = seen.first(where: { $0 == key }) { return same }
                seen.append(key)
                return key
            }
        }
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
