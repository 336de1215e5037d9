#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One writer at a time per store, across processes: an `flock` on `.git/scimgit.lock`.
/// The kernel drops the lock when its holder dies, so a crash never leaves it stale.
final class StoreLock: @unchecked Sendable {
    private let path: String
    private let fd: Int32
    /// Guards `fd` within the process: flock is per open file description, so two threads
    /// of one process must also be kept apart.
    private let mutex = NSLock()

    init(gitDirectory: String) throws {
        path = StorePaths.join(gitDirectory, "scimgit.lock")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GitStoreError.io(operation: "open", path: path, errno: errno) }
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock, waiting at most `timeout` for it.
    func withLock<T>(timeout: Duration, _ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + timeout
        while !mutex.try() {
            if ContinuousClock.now >= deadline { throw GitStoreError.busy("another writer in this process holds the store") }
            usleep(200)
        }
        defer { mutex.unlock() }
        var pause: UInt32 = 200
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw GitStoreError.io(operation: "flock", path: path, errno: errno)
            }
            if ContinuousClock.now >= deadline {
                throw GitStoreError.busy("another process holds \(path)")
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
