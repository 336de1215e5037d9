import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, across processes. The kernel drops it when its holder
/// dies, so a crash never leaves it stale. Also exclusive between threads of one process
/// (flock alone is per open file description, which the threads would share) unless
/// `betweenThreads` is false: a lock held for a process's life and released by whichever
/// thread shuts it down.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let mutex: NSLock?

    public init(path: String, mode: mode_t = 0o644, betweenThreads: Bool = true) throws(FileError) {
        self.path = path
        mutex = betweenThreads ? NSLock() : nil
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw FileError("open", path) }
    }

    deinit { close(descriptor) }

    /// Runs `body` holding the lock, waiting at most `timeout` for it (nil: as long as it
    /// takes). Throws `FileLockTimeout` when the wait runs out.
    public func withLock<T>(timeout: Duration?, _ body: () throws -> T) throws -> T {
        try acquire(timeout: timeout)
        defer { release() }
        return try body()
    }

    /// Takes the lock if nobody holds it; false otherwise. Pair with `release()`.
    public func tryAcquire() -> Bool {
        guard mutex?.try() ?? true else { return false }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        mutex?.unlock()
        return false
    }

    /// Takes the lock, waiting at most `timeout` (nil: as long as it takes).
    public func acquire(timeout: Duration?) throws {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var pause: UInt32 = 200
        while !(mutex?.try() ?? true) {
            if let deadline, ContinuousClock.now >= deadline { throw FileLockTimeout(path: path, holder: .thisProcess) }
            usleep(200)
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let error = FileError("flock", path)
                mutex?.unlock()
                throw error
            }
            if let deadline, ContinuousClock.now >= deadline {
                mutex?.unlock()
                throw FileLockTimeout(path: path, holder: .otherProcess)
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    public func release() {
        flock(descriptor, LOCK_UN)
        mutex?.unlock()
    }

    /// Says who holds the lock, in the lock file itself (for whoever waits for it): call
    /// while holding it.
    public func describeHolder(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(descriptor, off_t(bytes.count))
    }

    /// What the last holder wrote with `describeHolder` (meaningful while it is held).
    public func holderDescription() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }
}

/// The lock stayed held by someone else for the whole wait.
public struct FileLockTimeout: Error, Sendable, CustomStringConvertible {
    public enum Holder: Sendable { case thisProcess, otherProcess }
    public var path: String
    public var holder: Holder
    public var description: String {
        holder == .thisProcess ? "another thread of this process holds \(path)" : "another process holds \(path)"
    }
}
