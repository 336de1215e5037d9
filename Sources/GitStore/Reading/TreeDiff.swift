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

        init(id: ObjectID, kind: EntryKind?) {
            self.id = id
            self.kind = kind
        }

        init(_ entry: OpaquePointer) {
            let isTree = git_tree_entry_type(entry) == GIT_OBJECT_TREE
            self.init(id: ObjectID(git_tree_entry_id(entry)), kind: isTree ? nil : EntryKind(mode: git_tree_entry_filemode(entry)) ?? .file)
        }
    }

    private static func entries(_ repository: Repository, _ tree: ObjectID?) throws -> [String: Entry] {
        guard let tree else { return [:] }
        return try repository.withTree(tree) { pointer in
            let count = git_tree_entrycount(pointer)
            var result = [String: Entry](minimumCapacity: count)
            for position in 0..<count {
                let entry = git_tree_entry_byindex(pointer, position)!
                result[String(cString: git_tree_entry_name(entry))] = Entry(entry)
            }
            return result
        }
    }

    /// Both trees' entries side by side, in git's order (the order they are stored in):
    /// an entry equal on both sides costs a comparison of two names and two ids, with no
    /// string made and no table built (a one-user commit at a million users passes over
    /// about a thousand entries on the way to its file).
    private static func walk(
        _ repository: Repository, _ old: ObjectID?, _ new: ObjectID?, _ base: String, _ limit: Int, _ out: inout [PathChange]
    ) throws {
        if old == new || out.count >= limit { return }
        try withTree(repository, old) { oldTree in
            try withTree(repository, new) { newTree in
                let oldCount = oldTree.map { git_tree_entrycount($0) } ?? 0
                let newCount = newTree.map { git_tree_entrycount($0) } ?? 0
                var oldPosition = 0, newPosition = 0
                while oldPosition < oldCount || newPosition < newCount {
                    if out.count >= limit { return }
                    let left = oldPosition < oldCount ? git_tree_entry_byindex(oldTree, oldPosition) : nil
                    let right = newPosition < newCount ? git_tree_entry_byindex(newTree, newPosition) : nil
                    let order: Int32 = left == nil ? 1 : right == nil ? -1 : git_tree_entry_cmp(left, right)
                    let before = order <= 0 ? left : nil, after = order >= 0 ? right : nil
                    if before != nil { oldPosition += 1 }
                    if after != nil { newPosition += 1 }
                    if let before, let after, git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after)) != 0,
                       git_tree_entry_filemode(before) == git_tree_entry_filemode(after) {
                        continue
                    }
                    let name = String(cString: git_tree_entry_name(before ?? after))
                    let path = base.isEmpty ? name : base + "/" + name
                    let oldEntry = before.map(Entry.init), newEntry = after.map(Entry.init)
                    let oldSubtree = oldEntry?.isTree == true ? oldEntry?.id : nil
                    let newSubtree = newEntry?.isTree == true ? newEntry?.id : nil
                    let oldBlob = oldEntry?.isTree == false ? oldEntry?.id : nil
                    let newBlob = newEntry?.isTree == false ? newEntry?.id : nil
                    if oldSubtree != nil || newSubtree != nil {
                        try walk(repository, oldSubtree, newSubtree, path, limit, &out)
                    }
                    if oldBlob != nil || newBlob != nil, oldBlob != newBlob || oldEntry?.kind != newEntry?.kind {
                        out.append(PathChange(path: path, oldBlob: oldBlob, newBlob: newBlob, oldKind: oldEntry?.kind, newKind: newEntry?.kind))
                    }
                }
            }
        }
    }

    private static func withTree(_ repository: Repository, _ tree: ObjectID?, _ body: (OpaquePointer?) throws -> Void) throws {
        guard let tree else { return try body(nil) }
        try repository.withTree(tree) { try body($0) }
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
