import CLibgit2
import Files
#if canImport(Glibc)
import Glibc
#endif

/// The writer's in-memory `.git/index`. Each written file is added with its own stat data
/// (O(log n)), and the file is written only when writes pause: rewriting 8.8 MB of index at
/// 100k files on every commit would cost more than the commit itself.
final class IndexCache {
    /// The index itself: an empty one until something reads it (`pointer`). A read-only
    /// command (`scimgit log`) must not pay for reading an index of a million entries it
    /// never looks at (2 s), and a server starting after a clean stop reads it beside its
    /// own indexes (`prefetch`) instead of before them.
    private var handle: OpaquePointer
    private var unreadFrom: Repository?
    private var pointer: OpaquePointer {
        if let repository = unreadFrom {
            unreadFrom = nil
            var index: OpaquePointer?
            if git_repository_index(&index, repository.pointer) == 0, let index {
                git_index_free(handle)
                handle = index
                diskStamp = currentDiskStamp()
            }
        }
        return handle
    }
    private(set) var isDirty = false
    private(set) var dirtySince: ContinuousClock.Instant?
    private(set) var lastChange = ContinuousClock.now

    /// `.git/index` as this process last read or wrote it.
    private var diskStamp: FileStamp?

    init(repository: Repository) throws {
        var index: OpaquePointer?
        try gitCheck(git_index_new(&index), "new index")
        handle = index!
        unreadFrom = repository
    }

    /// Reads `.git/index` now, if nothing has yet.
    func prefetch() { _ = pointer }

    /// True when someone else (plain git, another scimgit) wrote `.git/index` since.
    /// (Not while unread: it is read as it is on disk when first used.)
    var changedOnDisk: Bool { unreadFrom == nil && currentDiskStamp() != diskStamp }

    private func currentDiskStamp() -> FileStamp? {
        guard let path = git_index_path(pointer) else { return nil }
        return HeadFingerprint.stamp(String(cString: path))
    }

    deinit { git_index_free(handle) }

    /// Records that `path` now holds blob `id`, with the stat data of the file just written.
    func set(_ path: String, blob id: ObjectID, stat info: stat) throws {
        var entry = git_index_entry()
        entry.ctime.seconds = Int32(truncatingIfNeeded: info.st_ctim.tv_sec)
        entry.ctime.nanoseconds = UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec)
        entry.mtime.seconds = Int32(truncatingIfNeeded: info.st_mtim.tv_sec)
        entry.mtime.nanoseconds = UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec)
        entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
        entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
        entry.mode = UInt32(GIT_FILEMODE_BLOB.rawValue)
        entry.uid = UInt32(truncatingIfNeeded: info.st_uid)
        entry.gid = UInt32(truncatingIfNeeded: info.st_gid)
        entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
        entry.id = id.oid
        try path.withCString { cPath in
            entry.path = cPath
            try gitCheck(git_index_add(pointer, &entry), "index \(path)")
        }
        markDirty()
    }

    func remove(_ path: String) throws {
        let code = git_index_remove(pointer, path, 0)
        if code != GIT_ENOTFOUND.rawValue { try gitCheck(code, "unindex \(path)") }
        markDirty()
    }

    /// The blob id the index has for `path`, if any.
    func blob(at path: String) -> ObjectID? {
        guard let entry = git_index_get_bypath(pointer, path, 0) else { return nil }
        return ObjectID(entry.pointee.id)
    }

    /// The paths and blob ids of all entries, optionally only those under `prefix/`.
    func files(under prefix: String?) -> [(path: String, blob: ObjectID)] {
        let count = git_index_entrycount(pointer)
        var out: [(String, ObjectID)] = []
        out.reserveCapacity(count)
        let folder = prefix.map { $0 + "/" }
        for position in 0..<count {
            guard let entry = git_index_get_byindex(pointer, position), let cPath = entry.pointee.path else { continue }
            let path = String(cString: cPath)
            if let folder, !path.hasPrefix(folder) { continue }
            out.append((path, ObjectID(entry.pointee.id)))
        }
        return out
    }

    /// The entries of `folder` when it holds only files, as the index has them (nil when
    /// it has a subfolder, or nothing). Whether they still match a given tree is for the
    /// caller to check: the index can lag behind HEAD.
    func leafEntries(of folder: String) -> TreeEntries? {
        let prefix = folder + "/"
        var position = 0
        guard git_index_find_prefix(&position, pointer, prefix) == 0 else { return nil }
        let prefixLength = prefix.utf8.count
        var out = TreeEntries()
        let count = git_index_entrycount(pointer)
        while position < count, let entry = git_index_get_byindex(pointer, position), let cPath = entry.pointee.path {
            let length = strlen(cPath)
            let isUnder = length > prefixLength && prefix.withCString { memcmp($0, cPath, prefixLength) == 0 }
            guard isUnder else { break }
            let name = UnsafeRawBufferPointer(start: cPath + prefixLength, count: length - prefixLength)
            if name.contains(UInt8(ascii: "/")) { return nil }
            out.appendInOrder(name: Array(name), mode: git_filemode_t(rawValue: entry.pointee.mode), oid: entry.pointee.id)
            position += 1
        }
        return out.isEmpty ? nil : out
    }

    /// Re-reads `.git/index` from disk (another process, or plain git, wrote it).
    func reload() throws {
        try gitCheck(git_index_read(pointer, 1), "read index")
        diskStamp = currentDiskStamp()
        isDirty = false
        dirtySince = nil
    }

    /// Replaces the whole index with a tree's entries (no stat data: git re-checks those files).
    func replace(withTree tree: OpaquePointer) throws {
        try gitCheck(git_index_read_tree(pointer, tree), "read tree into index")
        markDirty()
    }

    /// Writes `.git/index` (through `index.lock`, which plain git may hold: then it throws busy).
    func write() throws {
        try gitCheck(git_index_write(pointer), "write index")
        diskStamp = currentDiskStamp()
        isDirty = false
        dirtySince = nil
    }

    var rawPointer: OpaquePointer { pointer }

    private func markDirty() {
        let now = ContinuousClock.now
        if !isDirty { dirtySince = now }
        isDirty = true
        lastChange = now
    }
}
