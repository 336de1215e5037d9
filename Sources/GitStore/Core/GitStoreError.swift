import CLibgit2
import Files
#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong in the store, typed so callers can map each case to an
/// answer (a busy store is a 503, an unknown revision is a user error, I/O is a 5xx).
public enum GitStoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A libgit2 call failed; `code` is libgit2's (negative) error code.
    case libgit2(operation: String, code: Int32, message: String)
    /// Another writer (this or another process, or a plain `git` command) held a lock for
    /// longer than the configured wait.
    case busy(String)
    /// A revision, tag or path that does not exist.
    case notFound(String)
    /// A path the store refuses to touch (absolute, `..`, `.git`, empty components).
    case invalidPath(String)
    /// A system call on the working tree or the git directory failed.
    case io(operation: String, path: String, errno: Int32)
    /// HEAD moved while a batch was being committed (a writer that ignores our lock).
    case concurrentUpdate(String)
    /// The store was closed.
    case closed
    /// A fault injected by a test through `GitStoreOptions.faultInjector`.
    case injected(String)
    /// A working-tree path that is not a regular file (a symbolic link, a FIFO, a folder),
    /// or lies behind a link: never followed, never read, never written through.
    case notRegularFile(path: String, what: String)

    public var description: String {
        switch self {
        case let .libgit2(operation, code, message): return "\(operation) failed (libgit2 \(code)): \(message)"
        case let .busy(what): return "store busy: \(what)"
        case let .notFound(what): return "not found: \(what)"
        case let .invalidPath(path): return "invalid path: \(path)"
        case let .io(operation, path, code): return "\(operation) \(path): \(String(cString: strerror(code)))"
        case let .concurrentUpdate(what): return "HEAD moved during the write: \(what)"
        case .closed: return "store is closed"
        case let .injected(what): return "injected fault: \(what)"
        case let .notRegularFile(path, what): return "\(path) is \(what), not a regular file; scimgit never follows links (see scimgit verify)"
        }
    }

    /// True when the failure is a lock held by someone else: the caller may retry later.
    public var isBusy: Bool {
        if case .busy = self { return true }
        if case let .libgit2(_, code, _) = self { return code == GIT_ELOCKED.rawValue }
        return false
    }

    /// True when the disk is full or the store is read-only.
    public var isStorageFull: Bool {
        if case let .io(_, _, code) = self { return code == ENOSPC || code == EDQUOT || code == EROFS }
        if case let .libgit2(_, _, message) = self {
            return message.contains("No space left") || message.contains("Read-only file system")
        }
        return false
    }

    /// True when the store's files or folders may not be written by this process (a
    /// permission an operator can fix): retryable, not the client's fault.
    public var isPermissionDenied: Bool {
        if case let .io(_, _, code) = self { return code == EACCES || code == EPERM }
        if case let .libgit2(_, _, message) = self { return message.contains("Permission denied") }
        return false
    }
}

extension GitStoreError {
    /// A failed file operation; a link met on the way to `relativePath` is named as such.
    init(_ error: FileError, relativePath: String? = nil) {
        if error.isLink, let relativePath {
            self = .notRegularFile(path: relativePath, what: "behind a symbolic link")
        } else {
            self = .io(operation: error.operation, path: error.path, errno: error.code)
        }
    }

    /// True when a working-tree entry is a link or another kind of file scimgit refuses.
    public var isNotRegularFile: Bool {
        if case .notRegularFile = self { return true }
        return false
    }
}

/// Turns a libgit2 return code into a thrown `GitStoreError`, reading libgit2's per-thread
/// error message right away (it must be read on the same thread, before any `await`).
@discardableResult
func gitCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    let message: String
    if let error = git_error_last(), let text = error.pointee.message {
        message = String(cString: text)
    } else {
        message = "unknown error"
    }
    if code == GIT_ELOCKED.rawValue {
        throw GitStoreError.busy("\(operation()): \(message)")
    }
    if code == GIT_ENOTFOUND.rawValue {
        throw GitStoreError.notFound("\(operation()): \(message)")
    }
    throw GitStoreError.libgit2(operation: operation(), code: code, message: message)
}
