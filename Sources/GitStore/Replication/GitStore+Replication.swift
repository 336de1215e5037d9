import CLibgit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A HEAD that cannot be fast-forwarded to the commit given: the two histories diverged.
public struct HistoriesDiverged: Error, CustomStringConvertible {
    public var local: ObjectID?
    public var upstream: ObjectID
    public var description: String {
        "this store's HEAD \(local?.short ?? "(none)") is not in the history of \(upstream.short): the two histories diverged"
    }
}

extension GitStore {
    /// The branch every write moves (`refs/heads/main`).
    public var branchReference: String { writer.branchReference }

    /// A string of the store's git config (`scimgit.replicaof`…); nil when unset.
    public func configString(_ key: String) throws -> String? {
        try readers.with { try $0.configString(key) }
    }

    /// Sets (nil: removes) a string of the store's git config, as the store's writer.
    public func setConfigString(_ key: String, _ value: String?) throws {
        try readers.with { try $0.setConfigString(key, value) }
    }

    /// Moves the branch to `target`, which must descend from HEAD (fetched objects of a
    /// store this one replicates), under the writer lock; the owner of the working tree
    /// then follows it as it follows any HEAD moved outside it. False when HEAD is there.
    /// With `requiring`: only while that config key is set (checked under the lock, so a
    /// `promote` that removed it is never followed by one more move).
    @discardableResult
    public func fastForward(to target: ObjectID, requiring key: String? = nil) throws -> Bool {
        try ensureOpen()
        return try lock.withLock(timeout: options.lockTimeout) {
            try readers.with { repository in
                if let key, try repository.configString(key) == nil { return false }
                let current = try repository.referenceTarget(branchReference)
                if current == target { return false }
                if let current, try !repository.isDescendant(target, of: current) {
                    throw HistoriesDiverged(local: current, upstream: target)
                }
                try repository.setReference(branchReference, to: target, message: "scimgit: follow upstream")
                return true
            }
        }
    }

    /// Creates, writes and flushes a new small file beside the store's own
    /// (`.git/scimgit/ready-probe-…`), then removes it: throws when the disk is full or
    /// read-only. A new file each time: rewriting one would reuse its blocks on a full disk.
    public func probeWritable() throws {
        let path = StorePaths.join(gitDirectory, "scimgit/ready-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw GitStoreError.io(operation: "create", path: path, errno: errno) }
        defer {
            Glibc.close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x2e, count: 4096)
        let written = block.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == block.count else { throw GitStoreError.io(operation: "write", path: path, errno: written < 0 ? errno : ENOSPC) }
        guard fsync(descriptor) == 0 else { throw GitStoreError.io(operation: "fsync", path: path, errno: errno) }
    }

    /// Whether a writer could take the store within `timeout` (nothing else holds it for
    /// longer: a long command, or a process stuck holding the lock).
    public func writerLockAvailable(within timeout: Duration) -> Bool {
        (try? lock.withLock(timeout: timeout) { true }) ?? false
    }

    /// Pack files in the object database.
    public var packCount: Int { Repacker.countPacks(gitDirectory: gitDirectory) }
}
