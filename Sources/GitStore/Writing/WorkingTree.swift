import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checked-out files. Writes go to a temporary file in the same folder and are renamed
/// over the target, so a reader sees either the old or the new file, never half of one.
struct WorkingTree: Sendable {
    let root: String

    /// Prefix of temporary files; recovery removes any it finds.
    static let temporaryMarker = ".scimgit-tmp-"

    func absolute(_ path: String) -> String { StorePaths.join(root, path) }

    /// The file's bytes, or nil when it does not exist.
    func read(_ path: String) throws -> [UInt8]? {
        try WorkingTree.readFile(absolute(path))
    }

    static func readFile(_ absolutePath: String) throws -> [UInt8]? {
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw GitStoreError.io(operation: "open", path: absolutePath, errno: errno)
        }
        defer { close(fd) }
        var info = Glibc.stat()
        guard fstat(fd, &info) == 0 else { throw GitStoreError.io(operation: "stat", path: absolutePath, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var capacity = max(Int(info.st_size), 0) + 1
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
            if filled == Int(info.st_size) && filled > 0 { break }
        }
        buffer.removeSubrange(filled...)
        return buffer
    }

    /// Writes `bytes` at `path` atomically and returns the new file's stat data.
    func write(_ bytes: [UInt8], to path: String) throws -> Glibc.stat {
        let target = absolute(path)
        try makeParentFolders(of: path)
        let slash = target.lastIndex(of: "/")!
        let temporary = String(target[..<target.index(after: slash)]) + WorkingTree.temporaryMarker
            + String(target[target.index(after: slash)...]) + ".\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GitStoreError.io(operation: "create", path: temporary, errno: errno) }
        try AtomicFileWrite.finish(fd, temporary: temporary, bytes: bytes, target: target)
        var info = Glibc.stat()
        guard lstat(target, &info) == 0 else { throw GitStoreError.io(operation: "stat", path: target, errno: errno) }
        return info
    }

    /// Removes the file and then every folder on its way that became empty.
    func delete(_ path: String) throws {
        let target = absolute(path)
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
