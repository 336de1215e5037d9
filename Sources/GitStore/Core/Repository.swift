import CLibgit2

/// Owns one `git_repository` handle. libgit2 handles are not thread-safe, so a
/// `Repository` is used by one thread at a time: the writer owns one, readers borrow
/// others from a pool.
final class Repository {
    let pointer: OpaquePointer

    init(path: String) throws {
        Libgit2Runtime.start()
        var repo: OpaquePointer?
        try gitCheck(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil), "open repository \(path)")
        guard let repo else { throw GitStoreError.notFound(path) }
        self.pointer = repo
    }

    init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// The commit HEAD points at, or nil on an unborn branch.
    func headCommit() throws -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, "HEAD")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
        try gitCheck(code, "resolve HEAD")
        return ObjectID(oid)
    }

    func odb() throws -> OpaquePointer {
        var odb: OpaquePointer?
        try gitCheck(git_repository_odb(&odb, pointer), "open object database")
        return odb!
    }

    /// Runs `body` with the commit object; the object is freed afterwards.
    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.oid
        var commit: OpaquePointer?
        try gitCheck(git_commit_lookup(&commit, pointer, &oid), "look up commit \(id.short)")
        defer { git_commit_free(commit) }
        return try body(commit!)
    }

    /// Runs `body` with the tree object; the object is freed afterwards.
    func withTree<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.oid
        var tree: OpaquePointer?
        try gitCheck(git_tree_lookup(&tree, pointer, &oid), "look up tree \(id.short)")
        defer { git_tree_free(tree) }
        return try body(tree!)
    }

    func treeID(ofCommit id: ObjectID) throws -> ObjectID {
        try withCommit(id) { ObjectID(git_commit_tree_id($0)) }
    }

    /// The blob's bytes.
    func blobContent(_ id: ObjectID) throws -> [UInt8] {
        var oid = id.oid
        var blob: OpaquePointer?
        try gitCheck(git_blob_lookup(&blob, pointer, &oid), "look up blob \(id.short)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// The id and kind of the entry at `path` inside a tree (kind nil: a folder), or nil
    /// when absent.
    func entry(at path: String, inTree tree: ObjectID) throws -> (id: ObjectID, kind: EntryKind?)? {
        if path.isEmpty { return (tree, nil) }
        return try withTree(tree) { treePointer in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, treePointer, path)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try gitCheck(code, "look up \(path)")
            defer { git_tree_entry_free(entry) }
            let isTree = git_tree_entry_type(entry) == GIT_OBJECT_TREE
            return (ObjectID(git_tree_entry_id(entry)), isTree ? nil : EntryKind(mode: git_tree_entry_filemode(entry)) ?? .file)
        }
    }

    /// The blob of the regular file at `path` in a tree; nil when absent, a folder, a link
    /// or a submodule.
    func fileBlob(at path: String, inTree tree: ObjectID) throws -> ObjectID? {
        guard let entry = try entry(at: path, inTree: tree), entry.kind == .file else { return nil }
        return entry.id
    }
}
