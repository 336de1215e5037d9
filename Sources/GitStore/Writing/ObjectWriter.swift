import CLibgit2
import Foundation

/// Writes a batch's new objects (blobs, trees, commits) straight into the writer's
/// in-memory object database.
///
/// Going through `git_odb_write` (and `git_tree_create_updated`, `git_commit_create`, which
/// use it) costs, in libgit2 1.5, a "freshen" lookup of the new id in every pack, and when
/// it is missing — always, for a new object — a rescan of `.git/objects/pack`: 130 µs per
/// object with a few dozen packs, more than the rest of a commit. The ids are computed here
/// (`ObjectID.hashing`), the bytes built in the formats git defines, and the objects handed to
/// the mempack backend directly. Existing trees are read through the repository as usual.
struct ObjectWriter {
    let repository: Repository
    let memory: UnsafeMutablePointer<git_odb_backend>
    let trees: TreeCache
    /// Where a folder of files is rebuilt from when the cache misses (checked by id).
    let index: IndexCache?

    /// Objects written, in order, with their bytes (they make up the batch's pack).
    private(set) var written: [PackFileWriter.Object] = []

    init(repository: Repository, memory: UnsafeMutablePointer<git_odb_backend>, trees: TreeCache, index: IndexCache? = nil) {
        self.repository = repository
        self.memory = memory
        self.trees = trees
        self.index = index
    }

    /// `id`: the blob's id when the caller has hashed it already (a large batch does, on
    /// every core).
    mutating func blob(_ bytes: [UInt8], id: ObjectID? = nil) throws -> ObjectID {
        try write(bytes, type: GIT_OBJECT_BLOB, id: id)
    }

    /// A commit with one (or no) parent; author and committer times are now, in UTC.
    mutating func commit(tree: ObjectID, parent: ObjectID?, author: Signature, committer: Signature, message: String) throws -> ObjectID {
        let seconds = Int(Date().timeIntervalSince1970)
        var text = "tree \(tree.hex)\n"
        if let parent { text += "parent \(parent.hex)\n" }
        text += "author \(GitSignature.clean(author.name)) <\(GitSignature.clean(author.email))> \(seconds) +0000\n"
        text += "committer \(GitSignature.clean(committer.name)) <\(GitSignature.clean(committer.email))> \(seconds) +0000\n"
        // A NUL would cut the message short for git and fail `git fsck --strict` for good;
        // callers quote what clients send, this is the last line of defence.
        let clean = message.contains("\0") ? message.replacingOccurrences(of: "\0", with: "\\0") : message
        text += "\n" + (clean.hasSuffix("\n") ? clean : clean + "\n")
        return try write(Array(text.utf8), type: GIT_OBJECT_COMMIT)
    }

    /// One change to the tree: a blob at a path, or nothing there (removal).
    struct Update {
        var path: [Substring]
        var blob: ObjectID?
    }

    /// The tree `base` (nil: empty) with `updates` applied, rewriting only the trees on the
    /// changed paths. Returns nil when the result is empty. Updates sorted by path are
    /// cheapest (a folder's updates are then one run); any order gives the same tree.
    mutating func tree(base: ObjectID?, updates: [Update], folder: String = "") throws -> ObjectID? {
        try tree(base: base, updates: updates[...], depth: 0, folder: folder)
    }

    /// The tree at `depth` of the updates' paths: each run of updates below one subfolder
    /// is applied to that subfolder's tree, without copying a path per level.
    private mutating func tree(base: ObjectID?, updates: ArraySlice<Update>, depth: Int, folder: String) throws -> ObjectID? {
        var entries = try base.map { try self.entries(of: $0, at: folder) } ?? TreeEntries()
        var position = updates.startIndex
        while position < updates.endIndex {
            let update = updates[position]
            guard update.path.count > depth else {
                position += 1
                continue
            }
            let name = String(update.path[depth])
            if update.path.count == depth + 1 {
                entries[name] = update.blob.map { Entry(mode: GIT_FILEMODE_BLOB, id: $0) }
                position += 1
                continue
            }
            var end = position + 1
            while end < updates.endIndex, updates[end].path.count > depth + 1, updates[end].path[depth] == update.path[depth] { end += 1 }
            let existing = entries[name].flatMap { $0.mode == GIT_FILEMODE_TREE ? $0.id : nil }
            let path = folder.isEmpty ? name : folder + "/" + name
            if let subtree = try tree(base: existing, updates: updates[position..<end], depth: depth + 1, folder: path) {
                entries[name] = Entry(mode: GIT_FILEMODE_TREE, id: subtree)
            } else {
                entries[name] = nil
            }
            position = end
        }
        guard !entries.isEmpty else { return nil }
        let bytes = entries.serialized()
        let id = ObjectID.hashing(bytes, type: GIT_OBJECT_TREE)
        trees.insert(id, entries, at: folder)
        if id == base { return id }
        return try write(bytes, type: GIT_OBJECT_TREE, id: id, folder: folder)
    }

    /// The empty tree (every file removed).
    mutating func emptyTree() throws -> ObjectID {
        try write([], type: GIT_OBJECT_TREE)
    }

    typealias Entry = TreeEntries.Entry

    /// The entries of `tree`, taken from the cache (the caller puts back the version it
    /// builds), rebuilt from the index, or read from the repository (git keeps them in
    /// order). The cache holds the upper folders; at 100k users most leaf folders are not
    /// in it, and rebuilding one from the in-memory index costs a fraction of reading it
    /// back from a pack. The rebuilt tree is used only if it hashes to `tree`.
    private func entries(of tree: ObjectID, at folder: String) throws -> TreeEntries {
        if let cached = trees.take(tree, at: folder) { return cached }
        if !folder.isEmpty, let rebuilt = index?.leafEntries(of: folder),
           ObjectID.hashing(rebuilt.serialized(), type: GIT_OBJECT_TREE) == tree {
            return rebuilt
        }
        return try repository.withTree(tree) { pointer in
            let count = git_tree_entrycount(pointer)
            var out = TreeEntries()
            out.reserveCapacity(count + 1)
            for position in 0..<count {
                let entry = git_tree_entry_byindex(pointer, position)
                let name = git_tree_entry_name(entry)!
                out.appendInOrder(
                    name: Array(UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))),
                    mode: git_tree_entry_filemode(entry), oid: git_tree_entry_id(entry).pointee)
            }
            return out
        }
    }

    private mutating func write(_ bytes: [UInt8], type: git_object_t, id known: ObjectID? = nil, folder: String? = nil) throws -> ObjectID {
        let id = known ?? ObjectID.hashing(bytes, type: type)
        var oid = id.oid
        _ = try bytes.withUnsafeBytes { raw in
            try gitCheck(memory.pointee.write(memory, &oid, raw.baseAddress, raw.count, type), "write object")
        }
        written.append(PackFileWriter.Object(id: id, type: type, bytes: bytes, folder: folder))
        return id
    }
}
