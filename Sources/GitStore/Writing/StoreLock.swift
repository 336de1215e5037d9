import Files

/// One writer at a time per store, across processes and threads: a `FileLock` on
/// `.git/scimgit.lock`, held for each write (the kernel drops it if its holder dies).
final class StoreLock: @unchecked Sendable {
    private let lock: FileLock

    init(gitDirectory: String) throws {
        do {
            lock = try FileLock(path: MetadataPaths(gitDirectory: gitDirectory).writerLock)
        } catch {
            throw GitStoreError(error)
        }
    }

    /// Runs `body` holding the lock, waiting at most `timeout` for it.
    func withLock<T>(timeout: Duration, _ body: () throws -> T) throws -> T {
        do {
            return try lock.withLock(timeout: timeout, body)
        } catch let timeout as FileLockTimeout {
            throw GitStoreError.busy(timeout.description)
        } catch let error as FileError {
            throw GitStoreError(error)
        }
    }
}
