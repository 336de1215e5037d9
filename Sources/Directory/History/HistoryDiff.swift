import GitStore
import SCIM

/// Turns the tree diff between two commits into SCIM changes: users and groups added,
/// removed, or modified attribute by attribute, memberships added and removed, and schema
/// declarations changed.
/// Costs in proportion to what changed (unchanged subtrees are skipped), not to the size
/// of the store.
public struct HistoryDiff: Sendable {
    let store: GitStore
    let registry: SchemaRegistry

    public init(store: GitStore, registry: SchemaRegistry = .standard) {
        self.store = store
        self.registry = registry
    }

    /// With `limit`, at most that many resources are read and compared (the first by kind
    /// and id), and `omitted` says how many more changed: a page of a 30,000-write sync
    /// costs what the page shows.
    public func diff(from old: ObjectID?, to new: ObjectID, limit: Int? = nil) throws -> StoreDiff {
        var resources: [String: (kind: ResourceKind, old: ObjectID?, new: ObjectID?)] = [:]
        var added: [String: [String]] = [:]
        var removed: [String: [String]] = [:]
        // Beyond `limit` resources nothing is read: at most a few paths per resource are walked.
        let pathLimit = limit.map { $0 * 4 } ?? .max
        var truncated = false
        for folder in StoreLayout.ownedFolders {
            let folderChanges = try store.diff(from: old, to: new, under: folder, limit: pathLimit)
            if folderChanges.count >= pathLimit { truncated = true }
            for change in folderChanges {
                switch StoreLayout.entry(at: change.path) {
                case let .resource(kind, id): resources[id] = (kind, change.oldBlob, change.newBlob)
                case let .membership(group, member):
                    if change.newBlob != nil && change.oldBlob == nil { added[group, default: []].append(member) }
                    if change.newBlob == nil && change.oldBlob != nil { removed[group, default: []].append(member) }
                    if resources[group] == nil { resources[group] = (.group, nil, nil) }
                case nil: continue
                }
            }
        }
        var changes: [ResourceChange] = []
        var names: [String: String] = [:]
        var chosen = Array(resources)
        var omitted = 0
        if let limit, chosen.count > limit {
            let order = Dictionary(uniqueKeysWithValues: ResourceKind.all.enumerated().map { ($1, $0) })
            chosen.sort { ($0.value.kind == $1.value.kind) ? $0.key < $1.key : order[$0.value.kind, default: 0] < order[$1.value.kind, default: 0] }
            omitted = chosen.count - limit
            chosen = Array(chosen.prefix(limit))
        }
        // Each resource read and compared on every core: a diff across a big sync reads
        // two versions of tens of thousands of files.
        let (membersAdded, membersRemoved, compare) = (added, removed, chosen)
        let compared = parallelMap(compare.count) { position in
            Result { try self.change(compare[position].key, compare[position].value, from: old, to: new, added: membersAdded, removed: membersRemoved) }
        }
        for result in compared {
            let (id, name, change) = try result.get()
            names[id] = name
            if let change { changes.append(change) }
        }
        let order = Dictionary(uniqueKeysWithValues: ResourceKind.all.enumerated().map { ($1, $0) })
        changes.sort { a, b in
            a.kind != b.kind ? order[a.kind, default: 0] < order[b.kind, default: 0] : (a.name.lowercased(), a.id) < (b.name.lowercased(), b.id)
        }
        for change in changes {
            for member in change.membersAdded + change.membersRemoved where names[member] == nil {
                names[member] = try memberName(member, at: new) ?? old.flatMap { try memberName(member, at: $0) }
            }
        }
        var diff = StoreDiff(from: old, to: new, changes: changes, memberNames: names, schemas: try SchemaChange.changes(in: store, from: old, to: new))
        diff.omitted = omitted
        diff.isTruncated = truncated
        return diff
    }

    /// One resource's change between the two commits (nil when only `meta` changed), and
    /// its name.
    private func change(
        _ id: String, _ entry: (kind: ResourceKind, old: ObjectID?, new: ObjectID?), from old: ObjectID?, to new: ObjectID,
        added: [String: [String]], removed: [String: [String]]
    ) throws -> (String, String, ResourceChange?) {
        let type = entry.kind.resourceType(in: registry)
        let path = entry.kind.path(of: id)
        var before = Version(try entry.old.map { try store.readBlob($0) })
        var after = Version(try entry.new.map { try store.readBlob($0) })
        if entry.old == nil && entry.new == nil {
            // Only memberships changed: the resource itself is the same at both ends.
            before = Version(try old.flatMap { try store.read(path, at: $0) })
            after = Version(try store.read(path, at: new))
        }
        var problems: [String] = []
        if before.isBroken { problems.append("\(path) at \(old?.short ?? "the start") is not a valid resource (edited by hand?)") }
        if after.isBroken { problems.append("\(path) at \(new.short) is not a valid resource (edited by hand?)") }
        let name = (after.document ?? before.document)?[entry.kind.nameAttribute]?.stringValue ?? id
        let kind: ResourceChange.Kind = before.isAbsent ? .added : after.isAbsent ? .removed : .modified
        let attributes = problems.isEmpty
            ? AttributeDiff.changes(from: before.document.map(withoutMeta), to: after.document.map(withoutMeta), as: type) : []
        let membersAdded = (added[id] ?? []).sorted()
        let membersRemoved = (removed[id] ?? []).sorted()
        if kind == .modified && attributes.isEmpty && membersAdded.isEmpty && membersRemoved.isEmpty && problems.isEmpty { return (id, name, nil) }
        return (id, name, ResourceChange(
            kind: entry.kind, id: id, name: name, change: kind, attributes: attributes,
            membersAdded: membersAdded, membersRemoved: membersRemoved,
            problem: problems.isEmpty ? nil : problems.joined(separator: "; ")
        ))
    }

    private func memberName(_ id: String, at commit: ObjectID) throws -> String? {
        for kind in ResourceKind.all {
            if let bytes = try store.read(kind.path(of: id), at: commit) {
                return (try? JSONValue.parse(bytes))?[kind.nameAttribute]?.stringValue
            }
        }
        return nil
    }

    /// One side of a resource's change: nothing there, a file that is not a resource, or
    /// the resource (broken files are reported, never read as empty resources).
    private enum Version {
        case absent, broken, document(JSONValue)

        init(_ bytes: [UInt8]?) {
            guard let bytes else { self = .absent; return }
            guard let parsed = try? JSONValue.parse(bytes), case .object = parsed else { self = .broken; return }
            self = .document(parsed)
        }

        var document: JSONValue? {
            if case let .document(value) = self { return value }
            return nil
        }

        var isAbsent: Bool {
            if case .absent = self { return true }
            return false
        }

        var isBroken: Bool {
            if case .broken = self { return true }
            return false
        }
    }

    private func withoutMeta(_ document: JSONValue) -> JSONValue {
        guard case var .object(object) = document else { return document }
        object["meta"] = nil
        return .object(object)
    }
}
