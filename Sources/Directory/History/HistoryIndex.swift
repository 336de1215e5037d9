import CPlatform
import Foundation
import GitStore
import Synchronization

/// History kept in memory for the admin console: every commit reachable from HEAD as a
/// `LogEntry`, newest first, and what each commit did (`Sync.Counts`) once it has been
/// counted. Reading 100,000 commits and diffing each takes seconds; a page must not, so
/// this is filled once (in the background, newest first), kept in a file for the next
/// start (`HistoryIndexFile`), and then only grows by the commits HEAD moved past. A HEAD
/// that moved to something else (`git reset`) starts it over.
public final class HistoryIndex: Sendable {
    private struct State {
        var head: ObjectID?
        var entries: [LogEntry] = []
        /// Packed (`Sync.Counts.packed`): a dictionary per verb for every commit of a long
        /// history would cost more than the history itself.
        var counts: [ObjectID: [UInt32]] = [:]
        /// While the first walk of a history nothing is known of runs: the newest commits
        /// read so far, which pages show instead of waiting for all of it.
        var partial: [LogEntry]?
        var triedFile = false
    }

    private let state = Mutex(State())
    /// One walk of history at a time: a page arriving while the fill walks waits for it
    /// rather than walking again (or, on the first walk, shows what it has read so far).
    private let walking = NSLock()
    private let file: String?

    /// `file`: where the index is kept between runs (nil: memory only).
    public init(file: String? = nil) {
        self.file = file
    }

    /// How many commits the first walk has read, while it runs; nil once history is known.
    public var readingProgress: Int? {
        state.withLock { $0.partial?.count }
    }

    /// Every commit from HEAD, newest first, brought up to the store's HEAD first (during
    /// the first walk: the newest of them, see `readingProgress`).
    func entries(_ store: GitStore) throws -> [LogEntry] {
        let head = store.head
        if let current = state.withLock({ $0.head == head ? $0.entries : nil }) { return current }
        // A short walk is waited for; the first walk of a long history is not: the page
        // shows the newest commits read so far.
        if !walking.lock(before: Date(timeIntervalSinceNow: 0.1)) {
            if let partial = state.withLock({ $0.partial }) { return partial }
            walking.lock()
        }
        defer { walking.unlock() }
        if let current = state.withLock({ $0.head == head ? $0.entries : nil }) { return current }
        loadFileOnce()
        let known = state.withLock { state -> ObjectID? in
            if state.head == nil { state.partial = [] }
            return state.head
        }
        var fresh: [LogEntry] = []
        var reachedKnown = false
        var nextPublish = 256
        defer { state.withLock { $0.partial = nil } }
        try store.log { info in
            if info.id == known { reachedKnown = true; return false }
            fresh.append(LogEntry(info))
            if known == nil && fresh.count == nextPublish {
                // Doubling: publishing costs a copy, so all of them together cost one more.
                nextPublish *= 2
                state.withLock { $0.partial = fresh }
            }
            return true
        }
        return state.withLock { state in
            if reachedKnown {
                state.entries = fresh + state.entries
            } else {
                state.entries = fresh
                state.counts = [:]
            }
            state.head = head
            return state.entries
        }
    }

    /// The file of the last run, taken before the first walk (under `walking`).
    private func loadFileOnce() {
        let load = state.withLock { state -> Bool in
            defer { state.triedFile = true }
            return !state.triedFile && state.head == nil
        }
        guard load, let file, let contents = HistoryIndexFile.read(file) else { return }
        state.withLock { state in
            state.head = contents.head
            state.entries = contents.entries
            state.counts = contents.counts
        }
    }

    /// Writes what is known to the file for the next start.
    func save() {
        guard let file else { return }
        let contents = state.withLock { state in
            state.head.map { HistoryIndexFile.Contents(head: $0, entries: state.entries, counts: state.counts) }
        }
        guard let contents else { return }
        try? HistoryIndexFile.write(contents, to: file)
    }

    /// The commits that changed one resource's folder, newest first, at most `limit`. A
    /// SCIM write names its resource in a trailer, so only the other commits (rollbacks,
    /// reverts, commits by hand: few) are compared with their parent under that folder.
    public func history(of kind: ResourceKind, id: String, store: GitStore, limit: Int) throws -> [LogEntry] {
        let resource = "\(kind.typeID)/\(id)"
        let folder = kind.folder(of: id)
        var found: [LogEntry] = []
        for entry in try entries(store) {
            // A user's DELETE also takes it out of its groups: checked like the others.
            let mayTouchOthers = kind.holdsMembers && entry.operation == "DELETE"
            if let operation = entry.operation, SyncFinder.apiOperations.contains(operation), !mayTouchOthers || entry.resource == resource {
                guard entry.resource == resource else { continue }
            } else {
                let info = try store.commitInfo(entry.id)
                guard try !store.diff(from: info.parents.first, to: entry.id, under: folder).isEmpty else { continue }
            }
            found.append(entry)
            if found.count >= limit { break }
        }
        return found
    }

    /// The sum of what `commits` did, as far as counted, and how many are not counted yet:
    /// one lock and no dictionary per commit (a sync can have 100,000).
    func countedSum(of commits: [LogEntry]) -> (counts: Sync.Counts, missing: Int) {
        var sum = [UInt32](repeating: 0, count: ResourceKind.all.count * 5 + 2)
        var missing = 0
        state.withLock { state in
            for entry in commits {
                guard let packed = state.counts[entry.id] else { missing += 1; continue }
                for position in sum.indices { sum[position] &+= packed[position] }
            }
        }
        return (Sync.Counts(packed: sum), missing)
    }

    /// What `commit` did, if it has been counted.
    func knownCounts(of commit: ObjectID) -> Sync.Counts? {
        state.withLock { $0.counts[commit] }.map(Sync.Counts.init(packed:))
    }

    /// What `commit` did: counted once, then kept.
    func counts(of commit: ObjectID, compute: (ObjectID) throws -> Sync.Counts) throws -> Sync.Counts {
        if let known = state.withLock({ $0.counts[commit] }) { return Sync.Counts(packed: known) }
        let counted = try compute(commit)
        state.withLock { $0.counts[commit] = counted.packed }
        return counted
    }

    /// Reads the history and counts what every write did, newest first, so the console's
    /// pages find it done. Runs on its own thread; a store that cannot be read stops it
    /// (the pages then count what they show themselves).
    public func fill(from store: GitStore, gap: TimeInterval = SyncFinder.defaultGap) {
        let thread = Thread { [self] in
            do {
                let finder = SyncFinder(store: store, gap: gap, index: self)
                for entry in try entries(store) {
                    guard let operation = entry.operation, SyncFinder.apiOperations.contains(operation) else { continue }
                    _ = try counts(of: entry.id) { try finder.counts(of: $0) }
                }
                save()
            } catch {
                return
            }
            // Diffing every commit left this thread's allocator holding freed memory.
            _ = scimgit_malloc_trim()
        }
        thread.name = "scimgit-history-index"
        thread.qualityOfService = .background
        thread.start()
    }
}
