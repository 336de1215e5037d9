import SCIM

/// The in-memory indexes over the store, as of the last committed write: summaries of
/// every user and group, creation order (the stable order pages are served in), equality
/// indexes for the attributes IdPs filter on, group memberships both ways, and the files
/// that could not be read. Built at start from the working tree, changed only by the
/// directory's writer after a commit (or after HEAD moved under the server); read by
/// request handlers under a read lock.
final class DirectoryIndex: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var state = State()

    struct State: Equatable {
        var summaries: [String: ResourceSummary] = [:]
        /// Ids in creation order, per kind.
        var order: [ResourceKind: [String]] = Dictionary(uniqueKeysWithValues: ResourceKind.all.map { ($0, []) })
        /// kind → path → key → ids.
        var equality: [ResourceKind: [String: [String: IDSet]]] = Dictionary(uniqueKeysWithValues: ResourceKind.all.map { ($0, [:]) })
        /// group → member → kind.
        var members: [String: [String: ResourceKind]] = [:]
        /// member → groups that contain it.
        var memberOf: [String: IDSet] = [:]
        /// group → member → the `display` a client gave the membership, when it differs
        /// from the member's name (sparse: Okta sends the userName itself).
        var memberDisplays: [String: [String: MemberDisplay]] = [:]
        /// id → path of a file that is not a valid resource (hand-edited): answered with 500.
        var broken: [String: String] = [:]
    }

    func read<T>(_ body: (State) throws -> T) rethrows -> T {
        try lock.withReadLock { try body(state) }
    }

    func write<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try lock.withWriteLock { try body(&state) }
    }
}

extension DirectoryIndex.State {
    func summary(_ id: String) -> ResourceSummary? { summaries[id] }

    func kind(of id: String) -> ResourceKind? { summaries[id]?.kind }

    /// Users not marked `active: false` (the base of the guard's percentage).
    var activeUsers: Int {
        (order[.user]?.count ?? 0) - (equality[.user]?["active"]?["false"]?.count ?? 0)
    }

    /// The id holding a unique name (userName / group displayName), case-insensitively.
    func id(named name: String, kind: ResourceKind) -> String? {
        equality[kind]?[kind.nameAttribute]?[name.lowercased()]?.first { summaries[$0]?.kind == kind }
    }

    /// The ids whose `path` has `key`; nil when `path` is not indexed (empty when none has it).
    func ids(path: String, key: String, kind: ResourceKind) -> [String]? {
        guard kind.indexedPaths.contains(where: { $0.path == path }) else { return nil }
        return equality[kind]?[path]?[key].map(Array.init) ?? []
    }

    mutating func upsert(_ id: String, _ summary: ResourceSummary) {
        if let old = summaries[id] {
            removeKeys(id, old)
            if old.kind != summary.kind {
                order[old.kind]?.removeAll { $0 == id }
                order[summary.kind, default: []].append(id)
            }
        } else {
            insertInOrder(id, summary)
        }
        summaries[id] = summary
        addKeys(id, summary)
        broken[id] = nil
    }

    /// Many upserts at once (a batch committed, HEAD moved by an import or a rollback), in
    /// creation order. New resources that do not simply append are merged into the
    /// creation-order lists in one pass, instead of one search and one array shift each.
    mutating func upsert(_ batch: [(id: String, summary: ResourceSummary)]) {
        let sorted = batch.sorted { ($0.summary.created, $0.id) < ($1.summary.created, $1.id) }
        var inserted: [ResourceKind: [String]] = [:]
        for (id, summary) in sorted {
            if summaries[id] != nil {
                upsert(id, summary)
            } else {
                summaries[id] = summary
                addKeys(id, summary)
                broken[id] = nil
                inserted[summary.kind, default: []].append(id)
            }
        }
        for (kind, ids) in inserted { mergeIntoOrder(ids, kind: kind) }
    }

    /// Merges `ids` (sorted by creation, their summaries stored) into the kind's order.
    private mutating func mergeIntoOrder(_ ids: [String], kind: ResourceKind) {
        guard !ids.isEmpty else { return }
        let summaries = self.summaries
        // Only the end of the list can be newer than the batch: concurrent requests stamp
        // `meta.created` before they are batched, so a batch often holds one a little older
        // than the last of the batch before. Just that tail is merged, in place (a copy of
        // the list is a pass over every user: 6 creates a second at a million).
        let (start, merged) = DirectoryIndex.State.mergedTail(of: order[kind] ?? [], with: ids) { (summaries[$0]?.created ?? 0, $0) }
        if order[kind] == nil { order[kind] = [] }
        order[kind]!.replaceSubrange(start..., with: merged)
    }

    /// Where the tail of `existing` newer than the first of `ids` begins, and that tail
    /// merged with `ids` (both sorted by `key`).
    private static func mergedTail(of existing: [String], with ids: [String], key: (String) -> (Int64, String)) -> (Int, [String]) {
        let firstKey = key(ids[0])
        var start = existing.endIndex
        while start > existing.startIndex && key(existing[start - 1]) > firstKey { start -= 1 }
        let tail = existing[start...]
        guard !tail.isEmpty else { return (start, ids) }
        var merged: [String] = []
        merged.reserveCapacity(tail.count + ids.count)
        var left = tail.startIndex, right = 0
        while left < tail.endIndex && right < ids.count {
            if key(tail[left]) <= key(ids[right]) {
                merged.append(tail[left]); left += 1
            } else {
                merged.append(ids[right]); right += 1
            }
        }
        merged += tail[left...]
        merged += ids[right...]
        return (start, merged)
    }

    mutating func remove(_ id: String) {
        guard let old = summaries.removeValue(forKey: id) else { return }
        removeKeys(id, old)
        if let position = order[old.kind]?.lastIndex(of: id) { order[old.kind]?.remove(at: position) }
    }

    mutating func addMember(_ member: String, to group: String, kind: ResourceKind) {
        members[group, default: [:]][member] = kind
        if memberOf[member] == nil { memberOf[member] = IDSet(group) } else { memberOf[member]!.insert(group) }
    }

    mutating func setMemberDisplay(_ display: MemberDisplay?, member: String, group: String) {
        memberDisplays[group, default: [:]][member] = display
        if memberDisplays[group]?.isEmpty == true { memberDisplays[group] = nil }
    }

    mutating func removeMember(_ member: String, from group: String) {
        setMemberDisplay(nil, member: member, group: group)
        members[group]?[member] = nil
        if members[group]?.isEmpty == true { members[group] = nil }
        if memberOf[member]?.remove(group) == false { memberOf[member] = nil }
    }

    /// Creation order: new resources are (nearly always) the newest, so appending is the
    /// common case; a resource restored by a rollback goes back to its place.
    private mutating func insertInOrder(_ id: String, _ summary: ResourceSummary) {
        // Computed in its own scope so no second reference to the array is alive when it is
        // mutated below (which would copy all of it).
        let position: Int? = {
            guard let ids = order[summary.kind], let last = ids.last, let lastSummary = summaries[last],
                  (lastSummary.created, last) > (summary.created, id) else { return nil }
            // Search from the end: an out-of-order resource is usually a recent one.
            let before = ids.lastIndex { other in
                guard let otherSummary = summaries[other] else { return true }
                return (otherSummary.created, other) < (summary.created, id)
            }
            return before.map { $0 + 1 } ?? 0
        }()
        if let position {
            order[summary.kind, default: []].insert(id, at: position)
        } else {
            order[summary.kind, default: []].append(id)
        }
    }

    mutating func addKeys(_ id: String, _ summary: ResourceSummary) {
        for (path, keys) in summary.pathKeys {
            for key in keys { equality[summary.kind, default: [:]][path, default: [:]][key].add(id) }
        }
    }

    private mutating func removeKeys(_ id: String, _ summary: ResourceSummary) {
        for (path, keys) in summary.pathKeys {
            for key in keys where equality[summary.kind]?[path]?[key]?.remove(id) == false {
                equality[summary.kind]?[path]?[key] = nil
            }
        }
    }
}
