import Files
import Foundation
import Logging

/// Who may change the working tree and `.git/index`: exactly one process at a time, the
/// owner, held by an `flock` on `.git/scimgit/owner.lock`.
///
/// `scimgit serve` owns its store for its whole life. A command line writer (`rollback`,
/// `revert`) owns the working tree only when no server does, and only for one write;
/// while a server runs, the command only adds commits and moves the branch, and the server
/// brings its working tree to the new HEAD as it does after a plain `git revert`. So the
/// tree is only ever rewritten by the process whose indexes describe it, and a command
/// killed part-way (kill -9, SIGTERM, a closed terminal) can leave at most a moved branch,
/// which the owner follows — never a half-rewritten tree under a running server.
final class WorkingTreeOwner: @unchecked Sendable {
    private let lock: FileLock
    private let logger: Logger
    private(set) var isOwner = false

    init(metadata: MetadataPaths, logger: Logger) throws {
        self.logger = logger
        do {
            try FileManager.default.createDirectory(atPath: metadata.folder, withIntermediateDirectories: true)
            lock = try FileLock(path: metadata.ownerLock, betweenThreads: false)
        } catch let error as FileError {
            throw GitStoreError(error)
        }
    }

    /// Takes ownership if nobody has it. `role` is shown to whoever waits (`rollback`).
    func take(as role: String) -> Bool {
        guard !isOwner else { return true }
        guard lock.tryAcquire() else { return false }
        lock.describeHolder("\(role) (pid \(getpid()))\n")
        isOwner = true
        return true
    }

    /// Takes ownership for the life of a server: waits while a command holds it for a
    /// write, and refuses when another server holds it (two servers would each keep their
    /// own indexes of one working tree).
    func takeForServing(timeout: Duration? = nil) throws {
        var waitingSince: ContinuousClock.Instant?
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while !take(as: "scimgit serve") {
            let holder = lock.holderDescription()
            if holder.hasPrefix("scimgit serve") {
                throw GitStoreError.busy("another \(holder) already serves this store")
            }
            let now = ContinuousClock.now
            if let deadline, now >= deadline {
                throw GitStoreError.busy("\(holder.isEmpty ? "another scimgit process" : holder) holds the store")
            }
            if waitingSince.map({ now - $0 >= .seconds(10) }) ?? true {
                logger.notice("waiting for \(holder.isEmpty ? "another scimgit process" : holder) to finish with the store")
                waitingSince = now
            }
            usleep(50_000)
        }
    }

    func release() {
        guard isOwner else { return }
        isOwner = false
        lock.release()
    }
}
