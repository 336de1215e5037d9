#if canImport(Glibc)
import Glibc
#endif

/// What tells one version of a file from the next without reading it: inode, size and
/// modification time. Every atomic replacement (a rename over the file) changes the inode,
/// so a file rewritten by another process is noticed with one `stat`.
public struct FileStamp: Equatable, Hashable, Sendable {
    public var inode: UInt64
    public var size: Int64
    public var seconds: Int
    public var nanoseconds: Int

    public init(_ info: stat) {
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }

    /// The stamp of the file at `path` (following links: these are the server's own files
    /// under `.git`, never working-tree files), nil when there is none.
    public static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(info)
    }
}
