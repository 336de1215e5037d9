import CLibgit2

/// What a tree entry that is not a folder holds. scimgit itself only ever commits regular
/// files; links and submodules arrive only from commits made elsewhere, and are never
/// followed or written to the working tree (see `WorkingTree`).
public enum EntryKind: String, Sendable, Hashable {
    case file, link, submodule

    init?(mode: git_filemode_t) {
        switch mode {
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: self = .file
        case GIT_FILEMODE_LINK: self = .link
        case GIT_FILEMODE_COMMIT: self = .submodule
        default: return nil
        }
    }
}

/// One path whose blob differs between two trees.
public struct PathChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case added, deleted, modified }
    public var path: String
    public var oldBlob: ObjectID?
    public var newBlob: ObjectID?
    /// What the path held before and holds after the change (nil: nothing).
    public var oldKind: EntryKind?
    public var newKind: EntryKind?

    public var kind: Kind {
        switch (oldBlob, newBlob) {
        case (nil, _): return .added
        case (_, nil): return .deleted
        default: return .modified
        }
    }

    public init(path: String, oldBlob: ObjectID?, newBlob: ObjectID?, oldKind: EntryKind? = nil, newKind: EntryKind? = nil) {
        self.path = path
        self.oldBlob = oldBlob
        self.newBlob = newBlob
        self.oldKind = oldBlob == nil ? nil : oldKind ?? .file
        self.newKind = newBlob == nil ? nil : newKind ?? .file
    }

    /// True when either side is a link or submodule, which scimgit never writes.
    public var involvesNonFile: Bool { (oldKind ?? .file) != .file || (newKind ?? .file) != .file }
}

/// A file (or link, or submodule) of a tree, with its path.
public struct TreeFile: Sendable, Hashable {
    public var path: String
    public var blob: ObjectID
    public var kind: EntryKind
}

/// Tree-to-tree diff that skips every subtree whose id is equal on both sides. libgit2
/// 1.5's `git_diff_tree_to_tree` walks both trees whole (60–90 ms at 100k files even for a
/// one-file change); this costs in proportion to what changed.
enum TreeDiff {
    /// With `limit`, stops after that many changes (in path order).
    static func changes(
        in repository: Repository, from old: ObjectID?, to new: ObjectID?, under prefix: String? = nil, limit: Int = .max
    ) throws -> [PathChange] {
        var out: [PathChange] = []
        var oldRoot = old, newRoot = new
        var base = ""
        if let prefix, !prefix.isEmpty {
            oldRoot = try old.flatMap { try repository.entry(at: prefix, inTree: $0) }.flatMap { $0.kind == nil ? $0.id : nil }
            newRoot = try new.flatMap { try repository.entry(at: prefix, inTree: $0) }.flatMap { $0.kind == nil ? $0.id : nil }
            base = prefix
        }
        try walk(repository, oldRoot, newRoot, base, limit, &out)
        return out
    }

    private struct Entry {
        var id: ObjectID
        /// nil for a folder.
        var kind: EntryKind?
        var isTree: Bool { kind == nil }
    }

    private static func entries(_ repository: Repository, _ tree: ObjectID?) throws -> [String: Entry] {
        guard let tree else { return [:] }
        return try repository.withTree(tree) { pointer in
            let count = git_tree_entrycount(pointer)
            var result = [String: Entry](minimumCapacity: count)
            for position in 0..<count {
                let entry = git_tree_entry_byindex(pointer, position)
                let name = String(cString: git_tree_entry_name(entry))
                let isTree = git_tree_entry_type(entry) == GIT_OBJECT_TREE
                result[name] = Entry(id: ObjectID(git_tree_entry_id(entry)), kind: isTree ? nil : EntryKind(mode: git_tree_entry_filemode(entry)) ?? .file)
            }
            return result
        }
    }

    private static func walk(
        _ repository: Repository, _ old: ObjectID?, _ new: ObjectID?, _ base: String, _ limit: Int, _ out: inout [PathChange]
    ) throws {
        if old == new || out.count >= limit { return }
        let oldEntries = try entries(repository, old)
        let newEntries = try entries(repository, new)
        for name in Set(oldEntries.keys).union(newEntries.keys).sorted() {
            if out.count >= limit { return }
            let path = base.isEmpty ? name : base + "/" + name
            let before = oldEntries[name], after = newEntries[name]
            if before?.id == after?.id && before?.kind == after?.kind { continue }
            let oldTree = before?.isTree == true ? before?.id : nil
            let newTree = after?.isTree == true ? after?.id : nil
            let oldBlob = before?.isTree == false ? before?.id : nil
            let newBlob = after?.isTree == false ? after?.id : nil
            if oldTree != nil || newTree != nil {
                try walk(repository, oldTree, newTree, path, limit, &out)
            }
            if oldBlob != nil || newBlob != nil, oldBlob != newBlob || before?.kind != after?.kind {
                out.append(PathChange(path: path, oldBlob: oldBlob, newBlob: newBlob, oldKind: before?.kind, newKind: after?.kind))
            }
        }
    }

    /// Every file under `prefix` in a tree (a recursive listing).
    static func files(in repository: Repository, tree: ObjectID, under prefix: String?) throws -> [TreeFile] {
        var out: [TreeFile] = []
        var start: ObjectID? = tree
        var base = ""
        if let prefix, !prefix.isEmpty {
            guard let entry = try repository.entry(at: prefix, inTree: tree) else { return [] }
            if let kind = entry.kind { return [TreeFile(path: prefix, blob: entry.id, kind: kind)] }
            start = entry.id
            base = prefix
        }
        try list(repository, start, base, &out)
        return out
    }

    private static func list(_ repository: Repository, _ tree: ObjectID?, _ base: String, _ out: inout [TreeFile]) throws {
        for (name, entry) in try entries(repository, tree).sorted(by: { $0.key < $1.key }) {
            let path = base.isEmpty ? name : base + "/" + name
            if let kind = entry.kind { out.append(TreeFile(path: path, blob: entry.id, kind: kind)) } else { try list(repository, entry.id, path, &out) }
        }
    }
}
