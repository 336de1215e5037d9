import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checked-out files. Writes go to a temporary file (a new one in the same folder, or a
/// spare inode, see `SpareFiles`) and are renamed over the target, so a reader sees either
/// the old or the new file, never half of one.
struct WorkingTree: Sendable {
    let root: String
    /// The writer's spare inodes (nil for readers).
    var spares: SpareFiles? = nil

    /// Prefix of temporary files; recovery removes any it finds.
    static let temporaryMarker = ".scimgit-tmp-"

    func absolute(_ path: String) -> String { StorePaths.join(root, path) }

    /// The file's bytes, or nil when it does not exist.
    func read(_ path: String) throws -> [UInt8]? {
        try WorkingTree.readFile(absolute(path))
    }

    /// Reads a whole file. The file's status is compared before and after the read: a
    /// spare inode being refilled (`SpareFiles`: mode 000, times changing) is read again,
    /// so a reader that opened a file just before it was replaced, and is overtaken by the
    /// reuse of its inode, never returns a mix of two versions.
    static func readFile(_ absolutePath: String) throws -> [UInt8]? {
        for attempt in 0..<50 {
            if attempt > 0 { usleep(UInt32(min(attempt, 10)) * 100) }
            switch try readOnce(absolutePath) {
            case .missing: return nil
            case let .read(bytes): return bytes
            case .changing: continue
            }
        }
        throw GitStoreError.busy("\(absolutePath) kept changing while it was read")
    }

    private enum ReadOutcome {
        case missing
        case read([UInt8])
        case changing
    }

    private static func readOnce(_ absolutePath: String) throws -> ReadOutcome {
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw GitStoreError.io(operation: "open", path: absolutePath, errno: errno)
        }
        defer { close(fd) }
        var before = Glibc.stat()
        guard fstat(fd, &before) == 0 else { throw GitStoreError.io(operation: "stat", path: absolutePath, errno: errno) }
        guard (before.st_mode & S_IFMT) == S_IFREG else { return .missing }
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
                throw GitStoreError.io(operation: "read", path: absolutePath, errno: errno)
            }
            if count == 0 { break }
            filled += count
            // Files are replaced whole, never grown in place: once the size read by fstat
            // is there, a second read would only return end of file.
            if filled == Int(before.st_size) && filled > 0 { break }
        }
        var after = Glibc.stat()
        guard fstat(fd, &after) == 0 else { throw GitStoreError.io(operation: "stat", path: absolutePath, errno: errno) }
        let unchanged = after.st_mode == before.st_mode && after.st_size == before.st_size
            && after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
            && after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec == before.st_ctim.tv_nsec
        guard unchanged, filled == Int(after.st_size) else { return .changing }
        buffer.removeSubrange(filled...)
        return .read(buffer)
    }

    /// Writes `bytes` at `path` atomically and returns the new file's stat data.
    func write(_ bytes: [UInt8], to path: String) throws -> Glibc.stat {
        let target = absolute(path)
        try makeParentFolders(of: path)
        if let spare = spares?.take() {
            try AtomicFileWrite.finish(
                spare.fd, temporary: spare.path, bytes: bytes, target: target, permissions: spare.mode, truncate: true,
                beforeRename: { spares?.retire(target) })
        } else {
            let slash = target.lastIndex(of: "/")!
            let temporary = String(target[..<target.index(after: slash)]) + WorkingTree.temporaryMarker
                + String(target[target.index(after: slash)...]) + ".\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw GitStoreError.io(operation: "create", path: temporary, errno: errno) }
            try AtomicFileWrite.finish(fd, temporary: temporary, bytes: bytes, target: target, beforeRename: { spares?.retire(target) })
        }
        var info = Glibc.stat()
        guard lstat(target, &info) == 0 else { throw GitStoreError.io(operation: "stat", path: target, errno: errno) }
        return info
    }

    /// Removes the file and then every folder on its way that became empty.
    func delete(_ path: String) throws {
        let target = absolute(path)
        spares?.retire(target)
        if unlink(target) != 0 && errno != ENOENT && errno != ENOTDIR {
            throw GitStoreError.io(operation: "unlink", path: target, errno: errno)
        }
        var folders = StorePaths.parentFolders(of: path)
        folders.removeFirst() // never the root
        for folder in folders.reversed() {
            if rmdir(absolute(folder)) != 0 { break } // not empty (or already gone): stop
        }
    }

    func fileStatus(_ path: String) -> Glibc.stat? {
        var info = Glibc.stat()
        return lstat(absolute(path), &info) == 0 ? info : nil
    }

    private func makeParentFolders(of path: String) throws {
        var folders = StorePaths.parentFolders(of: path)
        folders.removeFirst()
        // Fast path: the deepest folder usually exists already.
        guard let deepest = folders.last else { return }
        var info = Glibc.stat()
        if lstat(absolute(deepest), &info) == 0 { return }
        for folder in folders {
            if mkdir(absolute(folder), 0o755) != 0 && errno != EEXIST {
                throw GitStoreError.io(operation: "mkdir", path: absolute(folder), errno: errno)
            }
        }
    }
}

/// Flushes a whole file system with one call: one `syncfs` makes a batch's pack, its
/// working-tree files and their folders durable, instead of an fsync per file.
struct FileSystemSync {
    let fd: Int32

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw GitStoreError.io(operation: "open", path: path, errno: errno) }
    }

    func sync() throws {
        guard scimgit_syncfs(fd) == 0 else { throw GitStoreError.io(operation: "syncfs", path: "", errno: errno) }
    }

    func close() { _ = Glibc.close(fd) }
}
