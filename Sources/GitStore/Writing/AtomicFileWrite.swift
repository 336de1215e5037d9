#if canImport(Glibc)
import Glibc
#endif

/// A whole file written under a temporary name, then renamed into place: a reader sees the
/// old file or the new one, never part of one. Shared by working-tree files and packs.
enum AtomicFileWrite {
    /// Writes `bytes` to `fd` (open on `temporary`, at offset 0), cuts whatever followed
    /// (`truncate`, for a reused file), optionally sets its permissions, closes it, runs
    /// `beforeRename` and renames it to `target`. On failure the temporary file is removed.
    static func finish(
        _ fd: Int32, temporary: String, bytes: [UInt8], target: String, permissions: mode_t? = nil,
        truncate: Bool = false, beforeRename: () -> Void = {}
    ) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw GitStoreError.io(operation: "write", path: temporary, errno: code)
            }
            written += count
        }
        if truncate, ftruncate(fd, off_t(bytes.count)) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw GitStoreError.io(operation: "truncate", path: temporary, errno: code)
        }
        if let permissions { fchmod(fd, permissions) }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw GitStoreError.io(operation: "close", path: temporary, errno: code)
        }
        beforeRename()
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw GitStoreError.io(operation: "rename", path: target, errno: code)
        }
    }
}
