import CLibgit2
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The writer's in-memory `.git/index`. Each written file is added with its own stat data
/// (O(log n)), and the file is written only when writes pause: rewriting 8.8 MB of index at
/// 100k files on every commit would cost more than the commit itself.
///
/// Under constant load it is still written every few seconds, and at a million files that
/// takes half a second: long enough to show in every write's p99 if writes waited for it.
/// So the flusher writes it without the writer lock (`beginBackgroundWrite`, then
/// `writeInBackground` on its own thread); what the writer changes meanwhile is kept in a
/// journal and applied when the write is done (`settle`), and the few calls that need the
/// index itself wait for it.
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
                mayHoldRacyEntries = true
            }
        }
        return handle
    }
    /// Changes not yet in `.git/index` (a background write, if one runs, is waited for).
    var isDirty: Bool {
        settle()
        return dirty
    }
    private var dirty = false
    private(set) var dirtySince: ContinuousClock.Instant?
    private(set) var lastChange = ContinuousClock.now

    /// `.git/index` as this process last read or wrote it.
    private var diskStamp: FileStamp?

    /// Changes made while a background write runs, in order (nil when none began since the
    /// last `settle`). Touched only by whoever holds the writer lock.
    private var journal: [(path: String, entry: git_index_entry?)]?
    /// Whether the index's changes before the background write are still unwritten, and
    /// since when (restored if that write fails).
    private var dirtyBeforeBackgroundWrite: ContinuousClock.Instant?
    /// The background write: running, and how it ended. Shared with the flusher's thread.
    private let background = NSCondition()
    private var backgroundRunning = false
    private var backgroundFailed = false
    /// `.git/index` as the background write left it, taken as it ended (plain git may
    /// write it again before the writer settles).
    private var backgroundStamp: FileStamp?
    private var backgroundPath = ""
    /// Entries read from disk may be "racily clean" (changed in the second the file was
    /// written); libgit2 checks those against the working tree as it writes, through the
    /// repository the writer is using, so such a write runs under the writer lock. After
    /// one write of ours, every entry is one libgit2 trusts.
    private var mayHoldRacyEntries = false
    /// The working tree the entries' paths are relative to (with a final "/").
    private let workingDirectory: String?
    /// Repositories the index belonged to during a background write, freed after it.
    private var retired: [Repository] = []

    init(repository: Repository) throws {
        workingDirectory = git_repository_workdir(repository.pointer).map { String(cString: $0) }
        var index: OpaquePointer?
        try gitCheck(git_index_new(&index), "new index")
        handle = index!
        unreadFrom = repository
    }

    /// Reads `.git/index` now, if nothing has yet.
    func prefetch() { _ = pointer }

    /// True when someone else (plain git, another scimgit) wrote `.git/index` since.
    /// (Not while unread: it is read as it is on disk when first used.)
    var changedOnDisk: Bool {
        settle()
        return unreadFrom == nil && currentDiskStamp() != diskStamp
    }

    private func currentDiskStamp() -> FileStamp? {
        guard let path = git_index_path(pointer) else { return nil }
        return HeadFingerprint.stamp(String(cString: path))
    }

    deinit {
        waitForBackgroundWrite()
        git_index_free(handle)
    }

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
        if journalWhileWriting(path, entry) { return }
        try add(path, entry)
        markDirty()
    }

    func remove(_ path: String) throws {
        if journalWhileWriting(path, nil) { return }
        try unindex(path)
        markDirty()
    }

    private func add(_ path: String, _ entry: git_index_entry) throws {
        var entry = entry
        try path.withCString { cPath in
            entry.path = cPath
            try gitCheck(git_index_add(pointer, &entry), "index \(path)")
        }
    }

    private func unindex(_ path: String) throws {
        let code = git_index_remove(pointer, path, 0)
        if code != GIT_ENOTFOUND.rawValue { try gitCheck(code, "unindex \(path)") }
    }

    /// The blob id the index has for `path`, if any.
    func blob(at path: String) -> ObjectID? {
        settle()
        guard let entry = git_index_get_bypath(pointer, path, 0) else { return nil }
        return ObjectID(entry.pointee.id)
    }

    /// The paths and blob ids of all entries, optionally only those under `prefix/`.
    func files(under prefix: String?) -> [(path: String, blob: ObjectID)] {
        settle()
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
    /// caller to check: the index can lag behind HEAD. Nil while a background write runs.
    func leafEntries(of folder: String) -> TreeEntries? {
        if journal != nil {
            guard !isWritingInBackground else { return nil }
            settle()
        }
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
        settle()
        try gitCheck(git_index_read(pointer, 1), "read index")
        mayHoldRacyEntries = true
        diskStamp = currentDiskStamp()
        dirty = false
        dirtySince = nil
    }

    /// Replaces the whole index with a tree's entries (no stat data: git re-checks those files).
    func replace(withTree tree: OpaquePointer) throws {
        settle()
        try gitCheck(git_index_read_tree(pointer, tree), "read tree into index")
        markDirty()
    }

    /// Writes `.git/index` (through `index.lock`, which plain git may hold: then it throws busy).
    func write() throws {
        settle()
        try gitCheck(git_index_write(pointer), "write index")
        mayHoldRacyEntries = false
        diskStamp = currentDiskStamp()
        dirty = false
        dirtySince = nil
    }

    var rawPointer: OpaquePointer {
        settle()
        return pointer
    }

    /// Makes `repository` the index's owner in place of `old` (the writer reopened its
    /// repository after packs were replaced), without waiting for a background write: that
    /// write may still be reading the old owner, so `old` is kept until the write ends.
    func attach(to repository: Repository, retiring old: Repository) {
        if journal != nil && isWritingInBackground {
            retired.append(old)
        } else {
            settle()
        }
        git_repository_set_index(repository.pointer, pointer)
    }

    // MARK: - Writing without the writer lock

    /// Called holding the writer lock: true when a background write may begin now (the
    /// index has unwritten changes, none is running, and none of its entries may be racy).
    /// From here until `settle`, changes go to the journal; the caller then runs
    /// `writeInBackground` without the lock.
    func beginBackgroundWrite() -> Bool {
        settle()
        guard dirty, unreadFrom == nil else { return false }
        if mayHoldRacyEntries { mayHoldRacyEntries = holdsRacyEntry() }
        guard !mayHoldRacyEntries else { return false }
        journal = []
        dirtyBeforeBackgroundWrite = dirtySince
        dirty = false
        dirtySince = nil
        let path = git_index_path(pointer).map { String(cString: $0) } ?? ""
        background.lock()
        backgroundRunning = true
        backgroundFailed = false
        backgroundPath = path
        background.unlock()
        return true
    }

    /// Writes `.git/index` as it was at `beginBackgroundWrite` (through `index.lock`; plain
    /// git holding it makes this fail, and the changes stay unwritten until the next try).
    /// Runs on the flusher's thread, without the writer lock: the writer does not touch the
    /// index until it is done.
    func writeInBackground() throws {
        var code: Int32 = 0
        defer {
            background.lock()
            backgroundStamp = code == 0 ? HeadFingerprint.stamp(backgroundPath) : nil
            backgroundRunning = false
            backgroundFailed = code != 0
            background.broadcast()
            background.unlock()
        }
        code = git_index_write(handle)
        try gitCheck(code, "write index")
    }

    /// Whether an entry may still be "racily clean": one read from disk (those added since
    /// are marked current) as new as the index file (libgit2's test, taken to the second; a
    /// pass over the entries, milliseconds at a million). Such an entry whose file still has
    /// its stat data and content (the last writes before a clean stop) is added again, which
    /// marks it current too; any other stays racy.
    private func holdsRacyEntry() -> Bool {
        guard let path = git_index_path(pointer), let root = workingDirectory else { return true }
        var info = stat()
        guard stat(path, &info) == 0 else { return false } // no file yet: nothing was read from one
        let written = Int64(info.st_mtim.tv_sec)
        let current = UInt16(GIT_INDEX_ENTRY_UPTODATE.rawValue)
        var racy: [(path: String, entry: git_index_entry)] = []
        for position in 0..<git_index_entrycount(pointer) {
            guard let entry = git_index_get_byindex(pointer, position), entry.pointee.flags_extended & current == 0,
                Int64(entry.pointee.mtime.seconds) >= written, let cPath = entry.pointee.path
            else { continue }
            racy.append((String(cString: cPath), entry.pointee))
        }
        for (path, entry) in racy {
            var file = stat()
            guard lstat(root + path, &file) == 0, (file.st_mode & S_IFMT) == S_IFREG,
                UInt32(truncatingIfNeeded: file.st_size) == entry.file_size,
                UInt32(truncatingIfNeeded: file.st_ino) == entry.ino,
                Int32(truncatingIfNeeded: file.st_mtim.tv_sec) == entry.mtime.seconds,
                UInt32(truncatingIfNeeded: file.st_mtim.tv_nsec) == entry.mtime.nanoseconds,
                let bytes = try? AtomicFile.read(root + path),
                ObjectID.blob(hashing: bytes) == ObjectID(entry.id),
                (try? add(path, entry)) != nil
            else { return true }
        }
        return false
    }

    /// True from `beginBackgroundWrite` until that write ends (the `index.lock` that exists
    /// meanwhile is this process's).
    var isWritingInBackground: Bool {
        background.lock()
        defer { background.unlock() }
        return backgroundRunning
    }

    private func waitForBackgroundWrite() {
        background.lock()
        while backgroundRunning { background.wait() }
        background.unlock()
    }

    /// While a background write runs, keeps a change for later; false when there is none.
    private func journalWhileWriting(_ path: String, _ entry: git_index_entry?) -> Bool {
        guard journal != nil else { return false }
        guard isWritingInBackground else {
            settle()
            return false
        }
        journal!.append((path, entry))
        let now = ContinuousClock.now
        if dirtySince == nil { dirtySince = now }
        lastChange = now
        return true
    }

    /// Ends a background write, waiting for it if it still runs: the journal's changes are
    /// applied, and the index counts as written up to them (or, when the write failed, as
    /// dirty as before it). Called holding the writer lock, first by everything that reads
    /// or writes the index itself.
    private func settle() {
        guard let changes = journal else { return }
        waitForBackgroundWrite()
        journal = nil
        retired.removeAll()
        background.lock()
        let failed = backgroundFailed
        let stamp = backgroundStamp
        background.unlock()
        let journalDirtySince = dirtySince
        if failed {
            dirtySince = dirtyBeforeBackgroundWrite ?? journalDirtySince
        } else {
            mayHoldRacyEntries = false
            diskStamp = stamp
            dirtySince = journalDirtySince
        }
        dirtyBeforeBackgroundWrite = nil
        dirty = dirtySince != nil
        for (path, entry) in changes {
            do {
                if let entry { try add(path, entry) } else { try unindex(path) }
            } catch {
                // libgit2 refuses only paths the writer never writes; the index would
                // lag (recovery and git compare content), nothing in HEAD is lost.
                dirty = true
            }
        }
    }

    private func markDirty() {
        let now = ContinuousClock.now
        if !dirty { dirtySince = now }
        dirty = true
        lastChange = now
    }
}
