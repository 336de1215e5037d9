import CPlatform
import Foundation
import Files
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The checked-out files. Writes go to a temporary file (a new one in the same folder, or a
/// spare inode, see `SpareFiles`) and are renamed over the target, so a reader sees either
/// the old or the new file, never half of one.
///
/// Every path is reached through the root's `Folder`, which never follows a symbolic link:
/// a link committed in the store (a `git pull`, a restored backup, a hand commit) reads as
/// a broken entry (`GitStoreError.notRegularFile`), a linked folder is refused rather than
/// entered, and nothing is ever read or written outside the store through one.
struct WorkingTree: Sendable {
    let root: Folder
    /// The writer's spare inodes (nil for readers).
    var spares: SpareFiles? = nil

    /// Prefix of temporary files; recovery removes any it finds.
    static let temporaryMarker = ".scimgit-tmp-"

    init(root: Folder, spares: SpareFiles? = nil) {
        self.root = root
        self.spares = spares
    }

    init(root path: String, spares: SpareFiles? = nil) throws {
        do {
            self.init(root: try Folder(opening: path), spares: spares)
        } catch {
            throw GitStoreError(error)
        }
    }

    func absolute(_ path: String) -> String { root.absolute(path) }

    /// The file's bytes, or nil when it does not exist.
    ///
    /// The file's status is compared before and after the read: a spare inode being
    /// refilled (`SpareFiles`: mode 000, times changing) is read again, so a reader that
    /// opened a file just before it was replaced, and is overtaken by the reuse of its
    /// inode, never returns a mix of two versions.
    func read(_ path: String) throws -> [UInt8]? {
        for attempt in 0..<50 {
            if attempt > 0 { usleep(UInt32(min(attempt, 10)) * 100) }
            switch try readOnce(path) {
            case .missing: return nil
            case let .read(bytes): return bytes
            case .changing: continue
            }
        }
        throw GitStoreError.busy("\(absolute(path)) kept changing while it was read")
    }

    private enum ReadOutcome {
        case missing
        case read([UInt8])
        case changing
    }

    private func readOnce(_ path: String) throws -> ReadOutcome {
        // O_NONBLOCK: a FIFO put where a file should be must not hang the reader (an event
        // loop); it is refused below like any file that is not a regular one.
        let fd = scimgit_open_beneath(root.descriptor, path, O_RDONLY | O_NONBLOCK, 0)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            if errno == ELOOP { throw GitStoreError.notRegularFile(path: path, what: "a symbolic link") }
            throw GitStoreError.io(operation: "open", path: absolute(path), errno: errno)
        }
        defer { close(fd) }
        var before = Glibc.stat()
        guard fstat(fd, &before) == 0 else { throw GitStoreError.io(operation: "stat", path: absolute(path), errno: errno) }
        guard (before.st_mode & S_IFMT) == S_IFREG else {
            throw GitStoreError.notRegularFile(path: path, what: WorkingTree.describe(before.st_mode))
        }
        if before.st_mode & 0o777 == 0 { return .changing }
        var capacity = max(Int(before.st_size), 0) + 1
        var buffer = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        while true {
            if filled == capacity {
                capacity *= 2
                buffer.append(contentsOf: repeatElement(0, count: capacity - buffer.count))
            }
            let count = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, capacity - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw GitStoreError.io(operation: "read", path: absolute(path), errno: errno)
            }
            if count == 0 { break }
            filled += count
            // Files are replaced whole, never grown in place: once the size read by fstat
            // is there, a second read would only return end of file.
            if filled == Int(before.st_size) && filled > 0 { break }
        }
        var after = Glibc.stat()
        guard fstat(fd, &after) == 0 else { throw GitStoreError.io(operation: "stat", path: absolute(path), errno: errno) }
        let unchanged = after.st_mode == before.st_mode && after.st_size == before.st_size
            && after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
            && after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec == before.st_ctim.tv_nsec
        guard unchanged, filled == Int(after.st_size) else { return .changing }
        buffer.removeSubrange(filled...)
        return .read(buffer)
    }

    /// Writes `bytes` at `path` atomically and returns the new file's stat data. Missing
    /// folders on the way are created; a link on the way is refused.
    func write(_ bytes: [UInt8], to path: String) throws -> Glibc.stat {
        let (folderPath, name) = StorePaths.split(path)
        do {
            let folder = try root.makeSubfolder(folderPath)
            if let spares, let spare = spares.take() {
                do {
                    try Folder.write(bytes, to: spare.fd, path: spares.folder.absolute(spare.name), mode: spare.mode)
                    spares.retire(name, in: folder)
                    try spares.folder.rename(spare.name, to: folder, as: name)
                } catch {
                    try? spares.folder.remove(spare.name)
                    throw error
                }
            } else {
                let temporary = WorkingTree.temporaryMarker + name + ".\(getpid())"
                let fd = try folder.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
                do {
                    try Folder.write(bytes, to: fd, path: folder.absolute(temporary), mode: nil)
                    spares?.retire(name, in: folder)
                    try folder.rename(temporary, to: folder, as: name)
                } catch {
                    try? folder.remove(temporary)
                    throw error
                }
            }
            guard let info = folder.status(name) else { throw FileError("stat", folder.absolute(name)) }
            return info
        } catch let error as FileError {
            throw GitStoreError(error, relativePath: path)
        }
    }

    /// `write` for a large batch (an import, a server following one), which is sorted:
    /// the folder comes from `last` when the previous file went there too, and a file that
    /// is not there yet is created in place (`Folder.createFile`), without a temporary name
    /// and a rename (a third of the kernel time of writing a million new files). A file
    /// already there is replaced as `write` replaces it.
    func writeInBatch(_ bytes: [UInt8], to path: String, last: inout LastFolder) throws -> Glibc.stat {
        let (folderPath, name) = StorePaths.split(path)
        do {
            let folder = try last.folder(folderPath, in: root)
            if let created = try folder.createFile(name, bytes, mode: WorkingTree.fileMode) { return created }
        } catch {
            throw GitStoreError(error, relativePath: path)
        }
        return try write(bytes, to: path)
    }

    /// The mode `write` gives a file (0644 less the process's umask), for files created in
    /// place. Read from /proc rather than with umask(2), which would change it for a moment
    /// under every other thread.
    static let fileMode: mode_t = {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        let mask = line.flatMap { mode_t($0.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
        return 0o644 & ~mask
    }()

    /// Removes the file and then every folder on its way that became empty. A path behind
    /// a link is not ours: nothing is removed there.
    func delete(_ path: String) throws {
        let (folderPath, name) = StorePaths.split(path)
        let found: Folder?
        do {
            found = try root.subfolder(folderPath)
        } catch {
            if error.isMissing || error.isLink { return }
            throw GitStoreError(error, relativePath: path)
        }
        guard let folder = found else { return }
        spares?.retire(name, in: folder)
        do {
            try folder.remove(name)
        } catch {
            throw GitStoreError(error, relativePath: path)
        }
        var components = folderPath.split(separator: "/").map(String.init)
        while let last = components.popLast() {
            guard let parent = try? root.subfolder(components.joined(separator: "/")), parent.removeFolder(last) else { break }
        }
    }

    /// The entry's status as `lstat` gives it (a link is reported as a link); nil when
    /// there is none, or a link is on the way.
    func fileStatus(_ path: String) -> Glibc.stat? {
        let (folderPath, name) = StorePaths.split(path)
        guard let folder = try? root.subfolder(folderPath) else { return nil }
        return folder.status(name)
    }

    static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }
}

/// Flushes a whole file system with one call: one `syncfs` makes a batch's pack, its
/// working-tree files and their folders durable, instead of an fsync per file.
///
/// Every store of a process on one file system shares its flushes (`SyncCoordinator`): a
/// server of many organisations writing to a hundred tenants at once makes a few `syncfs`
/// calls, not a hundred, as one store groups its own writes into batches.
struct FileSystemSync {
    let fd: Int32
    private let coordinator: SyncCoordinator

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw GitStoreError.io(operation: "open", path: path, errno: errno) }
        var info = Glibc.stat()
        fstat(fd, &info)
        coordinator = SyncCoordinator.shared(forDevice: UInt64(info.st_dev))
    }

    /// Returns once everything written before the call is on disk.
    func sync() throws {
        try coordinator.sync(using: fd)
    }

    func close() { _ = Glibc.close(fd) }
}

/// Group flushing for one file system: a `syncfs` started after a caller's writes covers
/// them, so callers that arrive while one runs wait for the next, which covers them all.
final class SyncCoordinator: @unchecked Sendable {
    private let condition = NSCondition()
    /// Flushes asked for, and completed: a caller's ticket is covered once `completed`
    /// reaches it.
    private var requested: UInt64 = 0
    private var completed: UInt64 = 0
    private var running = false
    /// The tickets flushes that failed were to cover, with the error (rare: a dying disk).
    private var failures: [(tickets: ClosedRange<UInt64>, errno: Int32)] = []

    private let flush: @Sendable (Int32) -> Int32

    init(flush: @escaping @Sendable (Int32) -> Int32 = { scimgit_syncfs($0) }) {
        self.flush = flush
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var byDevice: [UInt64: SyncCoordinator] = [:]

    static func shared(forDevice device: UInt64) -> SyncCoordinator {
        lock.withLock {
            if let existing = byDevice[device] { return existing }
            let created = SyncCoordinator()
            byDevice[device] = created
            return created
        }
    }

    func sync(using fd: Int32) throws {
        condition.lock()
        defer { condition.unlock() }
        requested += 1
        let ticket = requested
        while completed < ticket {
            if running {
                condition.wait()
                continue
            }
            // This flush starts now: it covers every ticket handed out so far.
            running = true
            let covers = requested
            condition.unlock()
            let result = flush(fd)
            let code = errno
            condition.lock()
            running = false
            if result != 0 { failures.append(((completed + 1)...covers, code)) }
            completed = covers
            condition.broadcast()
        }
        if let failure = failures.last(where: { $0.tickets.contains(ticket) }) {
            throw GitStoreError.io(operation: "syncfs", path: "", errno: failure.errno)
        }
    }
}
