import GitStore
import SCIM

/// Turns the tree diff between two commits into SCIM changes: users and groups added,
/// removed, or modified attribute by attribute, and memberships added and removed.
/// Costs in proportion to what changed (unchanged subtrees are skipped), not to the size
/// of the store.
public struct HistoryDiff {
    let store: GitStore
    let registry: SchemaRegistry

    public init(store: GitStore, registry: SchemaRegistry = .standard) {
        self.store = store
        self.registry = registry
    }

    public func diff(from old: ObjectID?, to new: ObjectID) throws -> StoreDiff {
        var resources: [String: (kind: MemberKind, old: ObjectID?, new: ObjectID?)] = [:]
        var added: [String: [String]] = [:]
        var removed: [String: [String]] = [:]
        for folder in StoreLayout.ownedFolders {
            for change in try store.diff(from: old, to: new, under: folder) {
                switch StoreLayout.entry(at: change.path) {
                case let .user(id): resources[id] = (.user, change.oldBlob, change.newBlob)
                case let .group(id): resources[id] = (.group, change.oldBlob, change.newBlob)
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
        for (id, entry) in resources {
            let type = entry.kind == .user ? registry.user ?? .user : registry.group ?? .group
            var before = try entry.old.map { try document(store.readBlob($0)) }
            var after = try entry.new.map { try document(store.readBlob($0)) }
            if entry.old == nil && entry.new == nil {
                // Only memberships changed: the group itself is the same at both ends.
                let path = StoreLayout.groupPath(id)
                before = try old.flatMap { try store.read(path, at: $0) }.map(document)
                after = try store.read(path, at: new).map(document)
            }
            let nameKey = entry.kind == .user ? "userName" : "displayName"
            let name = (after ?? before)?[nameKey]?.stringValue ?? id
            names[id] = name
            let kind: ResourceChange.Kind = before == nil ? .added : after == nil ? .removed : .modified
            let attributes = AttributeDiff.changes(from: before.map(withoutMeta), to: after.map(withoutMeta), as: type)
            let membersAdded = (added[id] ?? []).sorted()
            let membersRemoved = (removed[id] ?? []).sorted()
            if kind == .modified && attributes.isEmpty && membersAdded.isEmpty && membersRemoved.isEmpty { continue }
            changes.append(ResourceChange(
                kind: entry.kind, id: id, name: name, change: kind, attributes: attributes,
                membersAdded: membersAdded, membersRemoved: membersRemoved
            ))
        }
        changes.sort { a, b in
            a.kind != b.kind ? a.kind == .user : (a.name.lowercased(), a.id) < (b.name.lowercased(), b.id)
        }
        for change in changes {
            for member in change.membersAdded + change.membersRemoved where names[member] == nil {
                names[member] = try memberName(member, at: new) ?? old.flatMap { try memberName(member, at: $0) }
            }
        }
        return StoreDiff(from: old, to: new, changes: changes, memberNames: names)
    }

    private func memberName(_ id: String, at commit: ObjectID) throws -> String? {
        if let user = try store.read(StoreLayout.userPath(id), at: commit) {
            return try document(user)["userName"]?.stringValue
        }
        if let group = try store.read(StoreLayout.groupPath(id), at: commit) {
            return try document(group)["displayName"]?.stringValue
        }
        return nil
    }

    private func document(_ bytes: [UInt8]) throws -> JSONValue {
        (try? JSONValue.parse(bytes)) ?? .object([:])
    }

    private func withoutMeta(_ document: JSONValue) -> JSONValue {
        guard case var .object(object) = document else { return document }
        object["meta"] = nil
        return .object(object)
    }
}
