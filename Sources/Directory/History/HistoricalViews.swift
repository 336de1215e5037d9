import Foundation
import GitStore
import Logging
import SCIM
import SCIMService
import Synchronization

/// Reads as of a past point (`asOf=`, `Accept-Datetime`): which commit a point names, and
/// the few stores-at-a-commit kept built. A view costs reading that commit's tree once
/// (every resource file, like a start without a snapshot), never replaying history; the
/// last `capacity` are kept, so the pages of one walk and repeated questions about one
/// moment ("what did Okta see at 02:00?") pay it once.
final class HistoricalViews: Sendable {
    private let store: GitStore
    private let logger: Logger
    private let capacity: Int
    private let cursors: CursorWalks
    /// Most recently used last.
    private let built = Mutex<[HistoricalDirectory]>([])

    init(store: GitStore, cursors: CursorWalks, logger: Logger, capacity: Int = 2) {
        self.store = store
        self.cursors = cursors
        self.logger = logger
        self.capacity = capacity
    }

    func view(at point: HistoryPoint, registry: SchemaRegistry) async throws(SCIMError) -> HistoricalService {
        let commit = try resolve(point)
        let committedAt: Int64
        do {
            committedAt = Int64(try store.commitInfo(commit).time.timeIntervalSince1970)
        } catch {
            throw SCIMError.internalError("cannot read commit \(commit.short): \(error)")
        }
        return HistoricalService(service: try await directory(at: commit, registry: registry), commit: commit.hex, committedAt: committedAt)
    }

    /// The store at `commit`, built unless it is one of the last few asked for.
    func directory(at commit: ObjectID, registry: SchemaRegistry) async throws(SCIMError) -> HistoricalDirectory {
        if let cached = cached(commit) { return cached }
        // Built one at a time, off the event loops: the second request for the same commit
        // finds the first one's view.
        let store = self.store, logger = self.logger, cursors = self.cursors
        return try await ScanQueue.run { () throws(SCIMError) -> HistoricalDirectory in
            if let cached = self.cached(commit) { return cached }
            do {
                let started = ContinuousClock.now
                let view = try HistoricalDirectory(store: store, commit: commit, registry: registry, cursors: cursors, logger: logger)
                logger.info("built the store as of \(commit.short) in \(ContinuousClock.now - started)")
                self.keep(view)
                return view
            } catch {
                throw SCIMError.internalError("cannot read the store as of \(commit.short): \(error)")
            }
        }
    }

    /// The commit a point names: a commit of the branch's history (by its full or short
    /// id), a snapshot (tag), or a time (the last commit at or before it). Nothing else a
    /// `git rev-parse` would take: a client reads this store's history, not its other refs.
    func resolve(_ point: HistoryPoint) throws(SCIMError) -> ObjectID {
        guard let head = store.head else { throw SCIMError.notFound("the store has no commits yet") }
        switch point {
        case .time(let seconds):
            return try lastCommit(atOrBefore: Date(timeIntervalSince1970: TimeInterval(seconds)))
        case .named(let raw):
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.count >= 7, text.count <= 40, text.allSatisfy(\.isHexDigit) {
                guard let commit = try? store.resolve(text.lowercased()),
                      (try? store.isAncestor(commit, of: head)) == true || snapshotTargets().contains(commit)
                else { throw SCIMError.notFound("no commit \(text) in this store's history") }
                return commit
            }
            if let date = TimeParser.parse(text) { return try lastCommit(atOrBefore: date) }
            guard text.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !text.isEmpty else {
                throw SCIMError.invalidValue("\"\(raw)\" is not a commit id, a snapshot name or a time (2026-11-29T10:05:00Z)")
            }
            guard let tag = try? store.tag(named: text) else { throw SCIMError.notFound("no snapshot named \(text)") }
            return tag.target
        }
    }

    private func lastCommit(atOrBefore date: Date) throws(SCIMError) -> ObjectID {
        let commit: ObjectID?
        do {
            commit = try store.commit(atOrBefore: date)
        } catch {
            throw SCIMError.internalError("cannot read the store's history: \(error)")
        }
        guard let commit else {
            let iso = ISO8601DateFormatter()
            throw SCIMError.notFound("no commit at or before \(iso.string(from: date)): the store's history starts later")
        }
        return commit
    }

    private func snapshotTargets() -> Set<ObjectID> {
        Set(((try? store.tags()) ?? []).map(\.target))
    }

    private func cached(_ commit: ObjectID) -> HistoricalDirectory? {
        built.withLock { views in
            guard let position = views.firstIndex(where: { $0.commit == commit }) else { return nil }
            let view = views.remove(at: position)
            views.append(view)
            return view
        }
    }

    private func keep(_ view: HistoricalDirectory) {
        built.withLock { views in
            views.append(view)
            if views.count > capacity { views.removeFirst(views.count - capacity) }
        }
    }
}
