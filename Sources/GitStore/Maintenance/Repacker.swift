import Foundation
import Metrics
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the number of packs small. Every batch of writes adds one small pack; left alone,
/// thousands of packs make every object lookup slow. Once there are more than a threshold,
/// `git repack -d --geometric=2` runs in the background: it folds small packs into bigger
/// ones so their count stays logarithmic (each object is rewritten O(log n) times), packs
/// any loose objects (tags made by the CLI), and deletes only what is now packed elsewhere
/// — never an object a write in flight may need. It never prunes. Then it writes the
/// commit-graph with changed-path Bloom filters (`CommitGraph`: what keeps the history of
/// one resource from costing a walk of every commit); filters already in the old graph are
/// reused, so each run computes only the commits made since. libgit2 1.5 has neither of
/// its own; this is the maintenance the git command line is allowed to do, off the request
/// path.
final class Repacker: @unchecked Sendable {
    private let root: String
    private let logger: Logger
    private let lock = NSLock()
    private var running: Process?
    /// Set when a repack finished since the last `takeFinished()`.
    private var finished = false

    init(root: String, logger: Logger) {
        self.root = root
        self.logger = logger
    }

    /// What one round of maintenance runs, in order (a step runs only after the one before
    /// it succeeded).
    static let steps: [[String]] = [
        ["repack", "-d", "-q", "--geometric=2"],
        ["commit-graph", "write", "--reachable", "--split", "--changed-paths", "--no-progress"],
    ]

    /// Starts a round of maintenance unless one is already running. Returns false when git
    /// is missing.
    @discardableResult
    func start() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard running == nil else { return true }
        guard launch(step: 0) else { return false }
        Counter(label: "scimgit_repacks_total").increment()
        return true
    }

    /// Runs `steps[step]`; when it ends, the next one. Called with `lock` held.
    private func launch(step: Int) -> Bool {
        let arguments = Repacker.steps[step]
        guard let process = GitCommandLine.process(arguments, in: root) else {
            logger.warning("git not found: loose objects are not packed (install git for automatic packing)")
            return false
        }
        process.standardOutput = FileHandle.nullDevice
        // What git says on failure goes to the log (its last lines: read as they come, so a
        // chatty git never blocks on a full pipe).
        let errors = Pipe()
        let said = TailBuffer(limit: 2048)
        errors.fileHandleForReading.readabilityHandler = { handle in said.append(handle.availableData) }
        process.standardError = errors
        process.terminationHandler = { [weak self] done in
            errors.fileHandleForReading.readabilityHandler = nil
            guard let self else { return }
            self.lock.lock()
            defer { self.lock.unlock() }
            if step == 0 { self.finished = true }
            if done.terminationStatus != 0 {
                self.logger.warning("git \(arguments[0]) exited with status \(done.terminationStatus) (it runs again at the next maintenance): \(said.text)")
            } else if step + 1 < Repacker.steps.count, self.launch(step: step + 1) {
                return
            }
            self.running = nil
        }
        do {
            try process.run()
            // Below the server's own threads: on a busy machine requests come first, and the
            // packs wait a little longer to be merged.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), 10)
            running = process
        } catch {
            logger.warning("could not start git \(arguments[0]): \(error)")
            return false
        }
        return true
    }

    /// True once after each finished repack (the writer then reopens its handles).
    func takeFinished() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let value = finished
        finished = false
        return value
    }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running != nil
    }

    /// Waits for a running repack (at shutdown, and in tests).
    func wait() {
        lock.lock()
        let process = running
        lock.unlock()
        process?.waitUntilExit()
        while true {
            lock.lock()
            let done = running == nil
            lock.unlock()
            if done { return }
            usleep(1_000)
        }
    }

    /// The number of packs in `.git/objects/pack`.
    static func countPacks(gitDirectory: String) -> Int {
        let folder = StorePaths.packFolder(gitDirectory: gitDirectory)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".pack") }.count
    }
}

/// The last `limit` bytes written to it, for a child process's error output.
private final class TailBuffer: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var bytes = Data()

    init(limit: Int) {
        self.limit = limit
    }

    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(data)
        if bytes.count > limit { bytes = bytes.suffix(limit) }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "; ")
    }
}
