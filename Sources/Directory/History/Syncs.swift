import Foundation
import GitStore
import SCIM

/// A sync: consecutive writes of one client (token) with no gap longer than a set time
/// between them — what an identity admin calls "last night's Okta push", and the unit in
/// which a bad one is reviewed and undone (`scimgit syncs`, `scimgit rollback --sync`).
/// Only writes through the SCIM API count (commits with `SCIM-Operation` POST, PUT, PATCH or
/// DELETE); rollbacks, reverts, schema changes and hand commits belong to no sync.
public struct Sync: Sendable {
    /// `sync-` and the first 12 hex digits of its first commit: stable, so it can be pasted
    /// from one command into another (the sync keeps its id as it grows).
    public var id: String
    public var client: String
    /// Its commits, oldest first.
    public var commits: [LogEntry]
    public var counts: Counts
    /// False when `counts` covers only some of its writes (the console's history is still
    /// being counted; see `SyncFinder.onlyCounted`).
    public var isCounted = true

    public var start: Date { commits.first?.time ?? Date(timeIntervalSince1970: 0) }
    public var end: Date { commits.last?.time ?? Date(timeIntervalSince1970: 0) }

    /// What the writes did, counted from the files each commit changed.
    public struct Counts: Sendable, Hashable {
        public var created: [ResourceKind: Int] = [:]
        public var updated: [ResourceKind: Int] = [:]
        public var deactivated: [ResourceKind: Int] = [:]
        public var reactivated: [ResourceKind: Int] = [:]
        public var deleted: [ResourceKind: Int] = [:]
        public var membershipsAdded = 0
        public var membershipsRemoved = 0

        /// Every count in one small array: five verbs per kind, then memberships added and removed.
        var packed: [UInt32] {
            var out: [UInt32] = []
            out.reserveCapacity(ResourceKind.all.count * 5 + 2)
            for table in [created, updated, deactivated, reactivated, deleted] {
                for kind in ResourceKind.all { out.append(UInt32(clamping: table[kind] ?? 0)) }
            }
            return out + [UInt32(clamping: membershipsAdded), UInt32(clamping: membershipsRemoved)]
        }

        init(packed: [UInt32]) {
            let kinds = ResourceKind.all
            func table(_ verb: Int) -> [ResourceKind: Int] {
                var result: [ResourceKind: Int] = [:]
                for (offset, kind) in kinds.enumerated() where packed[verb * kinds.count + offset] > 0 {
                    result[kind] = Int(packed[verb * kinds.count + offset])
                }
                return result
            }
            created = table(0); updated = table(1); deactivated = table(2); reactivated = table(3); deleted = table(4)
            membershipsAdded = Int(packed[kinds.count * 5])
            membershipsRemoved = Int(packed[kinds.count * 5 + 1])
        }

        public init() {}

        mutating func add(_ other: Counts) {
            for (kind, count) in other.created { created[kind, default: 0] += count }
            for (kind, count) in other.updated { updated[kind, default: 0] += count }
            for (kind, count) in other.deactivated { deactivated[kind, default: 0] += count }
            for (kind, count) in other.reactivated { reactivated[kind, default: 0] += count }
            for (kind, count) in other.deleted { deleted[kind, default: 0] += count }
            membershipsAdded += other.membershipsAdded
            membershipsRemoved += other.membershipsRemoved
        }

        /// `created 3 users, updated 120 users, deactivated 2 users, removed 14 memberships`.
        public var words: String {
            var parts: [String] = []
            for (verb, table) in [("created", created), ("updated", updated), ("deactivated", deactivated), ("reactivated", reactivated), ("deleted", deleted)] {
                for kind in ResourceKind.all {
                    if let count = table[kind], count > 0 { parts.append("\(verb) \(CommitMessage.plural(count, kind.noun))") }
                }
            }
            if membershipsAdded > 0 { parts.append("added \(CommitMessage.plural(membershipsAdded, "membership"))") }
            if membershipsRemoved > 0 { parts.append("removed \(CommitMessage.plural(membershipsRemoved, "membership"))") }
            return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
        }

        var json: JSONValue {
            func table(_ counts: [ResourceKind: Int]) -> JSONValue {
                .object(Dictionary(uniqueKeysWithValues: ResourceKind.all.map { ($0.typeID, JSONValue.int(Int64(counts[$0] ?? 0))) }))
            }
            return .object([
                "created": table(created), "updated": table(updated), "deactivated": table(deactivated),
                "reactivated": table(reactivated), "deleted": table(deleted),
                "membershipsAdded": .int(Int64(membershipsAdded)), "membershipsRemoved": .int(Int64(membershipsRemoved)),
            ])
        }
    }

    public var json: JSONValue {
        let format = ISO8601DateFormatter()
        return .object([
            "id": .string(id), "client": .string(client),
            "start": .string(format.string(from: start)), "end": .string(format.string(from: end)),
            "writes": .int(Int64(commits.count)), "summary": .string(counts.words), "counts": counts.json,
            "commits": .array(commits.map { .string($0.id.hex) }),
        ])
    }
}

/// Finds syncs in history, newest first: walking the store's history, or a `HistoryIndex`
/// of it kept in memory (the console), which also keeps what each commit did.
public struct SyncFinder {
    let store: GitStore
    let index: HistoryIndex?
    /// The longest pause between two writes of one sync.
    public var gap: TimeInterval
    /// With an index: count at most this many writes of a sync not counted yet, take what
    /// the index has counted for the rest (a page must not wait for a long history still
    /// being read; a short sync is counted at once).
    public var onlyCounted = false
    public static let countBudget = 500

    /// Five minutes: an IdP's push sends its writes seconds apart; its next scheduled run
    /// (Entra every 40 minutes, Okta on change) starts a new sync.
    public static let defaultGap: TimeInterval = 300

    public init(store: GitStore, gap: TimeInterval = SyncFinder.defaultGap, index: HistoryIndex? = nil) {
        self.store = store
        self.gap = gap
        self.index = index
    }

    static let apiOperations: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    /// Syncs that ended at or after `since` (all with nil), of `client` (all with nil); the
    /// newest `limit` of them (what each did is only counted for those).
    public func syncs(since: Date? = nil, client: String? = nil, limit: Int? = nil) throws -> [Sync] {
        var found = try chains(since: since, client: client)
        if let limit { found = Array(found.prefix(limit)) }
        return try found.map(sync)
    }

    /// The sync with this id (`sync-…`, or the first commit's hex prefix).
    public func sync(id: String) throws -> Sync? {
        let wanted = id.lowercased().hasPrefix("sync-") ? String(id.lowercased().dropFirst(5)) : id.lowercased()
        guard wanted.count >= 7, wanted.allSatisfy(\.isHexDigit) else { return nil }
        return try chains(since: nil, client: nil, startingAt: wanted).first { $0.commits.first?.id.hex.hasPrefix(wanted) == true }.map(sync)
    }

    private func sync(_ chain: (id: String, commits: [LogEntry])) throws -> Sync {
        if let index, onlyCounted {
            var (counts, missing) = index.countedSum(of: chain.commits)
            let complete = missing <= SyncFinder.countBudget
            if missing > 0 && complete {
                // Counted again whole: the background fill may count some of the missing
                // ones meanwhile, and they must be neither lost nor added twice.
                counts = Sync.Counts()
                for entry in chain.commits {
                    counts.add(try index.counts(of: entry.id) { try self.counts(of: $0) })
                }
            }
            var sync = Sync(id: chain.id, client: chain.commits[0].client, commits: chain.commits, counts: counts)
            sync.isCounted = complete
            return sync
        }
        return Sync(id: chain.id, client: chain.commits[0].client, commits: chain.commits, counts: try counts(chain.commits))
    }

    /// The syncs' commits, oldest first each, newest sync first; nothing is counted yet.
    /// `startingAt` (a commit id's hex prefix): only the sync that starts there is wanted,
    /// so the walk ends once it is more than the gap older than that commit (a sync of last
    /// night is found without reading years of history).
    private func chains(since: Date?, client: String?, startingAt wanted: String? = nil) throws -> [(id: String, commits: [LogEntry])] {
        var open: [String: [LogEntry]] = [:]  // client → commits, newest first
        var closed: [[LogEntry]] = []
        var start: Date?
        let visit = { (entry: LogEntry) -> Bool in
            if let wanted {
                if let start, start.timeIntervalSince(entry.time) > gap { return false }
                if entry.id.hex.hasPrefix(wanted) { start = entry.time }
            }
            // Nothing older can extend a sync that is still open, nor end after `since`.
            if let since, entry.time < since {
                let oldest = open.values.compactMap { $0.last?.time }.min()
                if oldest.map({ $0.timeIntervalSince(entry.time) > gap }) ?? true { return false }
            }
            guard let operation = entry.operation, SyncFinder.apiOperations.contains(operation) else { return true }
            if let client, entry.client.caseInsensitiveCompare(client) != .orderedSame { return true }
            if let chain = open[entry.client], let last = chain.last, last.time.timeIntervalSince(entry.time) > gap {
                closed.append(chain)
                open[entry.client] = [entry]
            } else {
                open[entry.client, default: []].append(entry)
            }
            return true
        }
        if let index {
            for entry in try index.entries(store) where !visit(entry) { break }
        } else {
            try store.log { info in visit(LogEntry(info)) }
        }
        closed.append(contentsOf: open.values)
        var chains: [(id: String, commits: [LogEntry])] = []
        for chain in closed {
            let commits = Array(chain.reversed())
            guard let first = commits.first else { continue }
            if let since, commits.last!.time < since { continue }
            chains.append(("sync-" + String(first.id.hex.prefix(12)), commits))
        }
        return chains.sorted { ($0.commits.last!.time, $0.id) > ($1.commits.last!.time, $1.id) }
    }

    private func counts(_ commits: [LogEntry]) throws -> Sync.Counts {
        var counts = Sync.Counts()
        if let index {
            for entry in commits { counts.add(try index.counts(of: entry.id, compute: { try self.counts(of: $0) })) }
        } else {
            // Without the console's index each commit is diffed and its changed users read:
            // on every core (a sync is thousands of commits).
            let store = self.store
            for each in parallelMap(commits.count, { position in Result { try SyncFinder.counts(of: commits[position].id, in: store) } }) {
                counts.add(try each.get())
            }
        }
        return counts
    }

    /// What one commit did.
    func counts(of commit: ObjectID) throws -> Sync.Counts {
        try SyncFinder.counts(of: commit, in: store)
    }

    static func counts(of commit: ObjectID, in store: GitStore) throws -> Sync.Counts {
        func document(_ blob: ObjectID?) throws -> [String: JSONValue]? {
            guard let blob else { return nil }
            return (try? JSONValue.parse(try store.readBlob(blob)))?.objectValue
        }
        var counts = Sync.Counts()
        do {
            let info = try store.commitInfo(commit)
            for change in try store.diff(from: info.parents.first, to: commit) {
                switch StoreLayout.entry(at: change.path) {
                case let .resource(kind, _):
                    switch change.kind {
                    case .added: counts.created[kind, default: 0] += 1
                    case .deleted: counts.deleted[kind, default: 0] += 1
                    case .modified:
                        let before = try document(change.oldBlob)
                        let after = try document(change.newBlob)
                        let wasActive = before?["active"]?.boolValue, isActive = after?["active"]?.boolValue
                        if wasActive != false && isActive == false {
                            counts.deactivated[kind, default: 0] += 1
                        } else if wasActive == false && isActive != false {
                            counts.reactivated[kind, default: 0] += 1
                        } else if withoutMeta(before) != withoutMeta(after) {
                            // (A membership change rewrites the group's file for its
                            // `lastModified` alone: not an update of the group.)
                            counts.updated[kind, default: 0] += 1
                        }
                    }
                case .membership:
                    if change.kind == .added { counts.membershipsAdded += 1 }
                    if change.kind == .deleted { counts.membershipsRemoved += 1 }
                case nil:
                    continue
                }
            }
        }
        return counts
    }

    private static func withoutMeta(_ document: [String: JSONValue]?) -> [String: JSONValue]? {
        var copy = document
        copy?["meta"] = nil
        return copy
    }
}
