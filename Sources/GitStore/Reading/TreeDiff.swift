import CLibgit2

/// One path whose blob differs between two trees.
public struct PathChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case added, deleted, modified }
    public var path: String
    public var oldBlob: ObjectID?
    public var newBlob: ObjectID?

    public var kind: Kind {
        switch (oldBlob, newBlob) {
        case (nil, _): return .added
        case (_, nil): return .deleted
        default: return .modified
        }
    }

    public init(path: String, oldBlob: ObjectID?, newBlob: ObjectID?) {
        self.path = path
        self.oldBlob = oldBlob
        self.newBlob = newBlob
    }
}

/// Tree-to-tree diff that skips every subtree whose id is equal on both sides. libgit2
/// 1.5's `git_diff_tree_to_tree` walks both trees whole (60–90 ms at 100k files even for a
/// one-file change); this costs in proportion to what changed.
enum TreeDiff {
    static func changes(
        in repository: Repository, from old: ObjectID?, to new: ObjectID?, under prefix: String? = nil
    ) throws -> [PathChange] {
        var out: [PathChange] = []
        var oldRoot = old, newRoot = new
        var base = ""
        if let prefix, !prefix.isEmpty {
            oldRoot = try old.flatMap { try repository.entry(at: prefix, inTree: $0) }.flatMap { $0.isTree ? $0.id : nil }
            newRoot = try new.flatMap { try repository.entry(at: prefix, inTree: $0) }.flatMap { $0.isTree ? $0.id : nil }
            base = prefix
        }
        try walk(repository, oldRoot, newRoot, base, &out)
        return out
    }

    private struct Entry {
        var id: ObjectID
        var isTree: Bool
    }

    private static func entries(_ repository: Repository, _ tree: ObjectID?) throws -> [String: Entry] {
        guard let tree else { return [:] }
        return try repository.withTree(tree) { pointer in
            let count = git_tree_entrycount(pointer)
            var result = [String: Entry](minimumCapacity: count)
            for position in 0..<count {
                let entry = git_tree_entry_byindex(pointer, position)
                let name = String(cString: git_tree_entry_name(entry))
                result[name] = Entry(id: ObjectID(git_tree_entry_id(entry)), isTree: git_tree_entry_type(entry) == GIT_OBJECT_TREE)
            }
            return result
        }
    }

    private static func walk(
        _ repository: Repository, _ old: ObjectID?, _ new: ObjectID?, _ base: String, _ out: inout [PathChange]
    ) throws {
        if old == new { return }
        let oldEntries = try entries(repository, old)
        let newEntries = try entries(repository, new)
        for name in Set(oldEntries.keys).union(newEntries.keys).sorted() {
            let path = base.isEmpty ? name : base + "/" + name
            let before = oldEntries[name], after = newEntries[name]
            if before?.id == after?.id && before?.isTree == after?.isTree { continue }
            let oldTree = before?.isTree == true ? before?.id : nil
            let newTree = after?.isTree == true ? after?.id : nil
            let oldBlob = before?.isTree == false ? before?.id : nil
            let newBlob = after?.isTree == false ? after?.id : nil
            if oldTree != nil || newTree != nil {
                try walk(repository, oldTree, newTree, path, &out)
            }
            if oldBlob != nil || newBlob != nil, oldBlob != newBlob {
                out.append(PathChange(path: path, oldBlob: oldBlob, newBlob: newBlob))
            }
        }
    }

    /// Every file under `prefix` in a tree (a recursive listing), as path → blob.
    static func files(in repository: Repository, tree: ObjectID, under prefix: String?) throws -> [(path: String, blob: ObjectID)] {
        var out: [(String, ObjectID)] = []
        var start: ObjectID? = tree
        var base = ""
        if let prefix, !prefix.isEmpty {
            guard let entry = try repository.entry(at: prefix, inTree: tree) else { return [] }
            if !entry.isTree { return [(prefix, entry.id)] }
            start = entry.id
            base = prefix
        }
        try list(repository, start, base, &out)
        return out
    }

    private static func list(_ repository: Repository, _ tree: ObjectID?, _ base: String, _ out: inout [(String, ObjectID)]) throws {
        for (name, entry) in try entries(repository, tree).sorted(by: { $0.key < $1.key }) {
            let path = base.isEmpty ? name : base + "/" + name
            if entry.isTree { try list(repository, entry.id, path, &out) } else { out.append((path, entry.id)) }
        }
    }
}
