#if canImport(Glibc)
import Glibc
#endif

/// A system call on a file or folder that failed, with the `errno` it gave, so callers can
/// tell a missing file from a link they refused to follow or a full disk.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        if code == ELOOP { return "\(operation) \(path): a symbolic link on the way (links are never followed)" }
        return "\(operation) \(path): \(String(cString: strerror(code)))"
    }

    /// Nothing there (or a file where a folder should be).
    public var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    /// A symbolic link was met and not followed.
    public var isLink: Bool { code == ELOOP }
    /// The disk is full or mounted read-only.
    public var isStorageFull: Bool { code == ENOSPC || code == EDQUOT || code == EROFS }
    /// Permission denied: a folder or file the process may not write.
    public var isPermissionDenied: Bool { code == EACCES || code == EPERM }
}
