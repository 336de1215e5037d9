import Dispatch

extension DirectoryIndex.State {
    /// `init(resources:)` for resources in any order: sorted here as it needs them (by
    /// kind, then creation, then id).
    init(unordered resources: consuming [(id: String, summary: ResourceSummary)]) {
        var sorted = resources
        sorted.sort { ($0.summary.kind.snapshotCode, $0.summary.created, $0.id) < ($1.summary.kind.snapshotCode, $1.summary.created, $1.id) }
        self.init(resources: sorted)
    }

    /// From how many resources building the tables anew beats inserting into empty ones.
    static let bulkFrom = 4096

    /// A state holding `resources` (each kind's in creation order), without memberships.
    ///
    /// How a start builds its indexes: the tables do not depend on each other, so each is
    /// built by a worker of its own (the summaries, the order lists, one equality table per
    /// indexed path), sized once when `distinctKeys` (per kind, per path) is known. One
    /// thread inserting a million users into five tables, growing each as it went, took 20 s.
    init(resources: [(id: String, summary: ResourceSummary)], distinctKeys: [ResourceKind: [Int]]? = nil) {
        self.init()
        let spans = KindSpans(resources)
        let tables: [Table] = [.summaries, .order] + ResourceKind.all.flatMap { kind in kind.indexedPaths.indices.map { Table.equality(kind, $0) } }
        let built = ParallelResults<Built>(count: tables.count)
        DispatchQueue.concurrentPerform(iterations: tables.count) { position in
            built.set(position, tables[position].build(from: resources, spans: spans, distinctKeys: distinctKeys))
        }
        for position in tables.indices {
            switch built.get(position)! {
            case let .summaries(summaries): self.summaries = summaries
            case let .order(order): self.order = order
            case let .equality(kind, path, keys): if !keys.isEmpty { equality[kind, default: [:]][path] = keys }
            }
        }
    }

    private enum Table: Sendable {
        case summaries, order
        case equality(ResourceKind, Int)

        func build(from resources: [(id: String, summary: ResourceSummary)], spans: KindSpans, distinctKeys: [ResourceKind: [Int]]?) -> Built {
            switch self {
            case .summaries:
                var summaries: [String: ResourceSummary] = [:]
                summaries.reserveCapacity(resources.count)
                resources.withUnsafeBufferPointer { resources in
                    for position in resources.indices { summaries[resources[position].id] = resources[position].summary }
                }
                return .summaries(summaries)
            case .order:
                var order = Dictionary(uniqueKeysWithValues: ResourceKind.all.map { ($0, [String]()) })
                resources.withUnsafeBufferPointer { resources in
                    for position in resources.indices { order[resources[position].summary.kind, default: []].append(resources[position].id) }
                }
                return .order(order)
            case let .equality(kind, index):
                var keys: [String: IDSet] = [:]
                // Through the buffer, so a resource is not copied (retaining each of its
                // strings) by each of the tables' workers.
                resources.withUnsafeBufferPointer { resources in
                    let distinct = distinctKeys?[kind]?[index] ?? 0
                    keys.reserveCapacity(distinct)
                    if distinct > 0, distinct * 64 < spans[kind].count {
                        // Few keys for many resources (`active`): count first, so each
                        // large set is made its size once instead of growing twenty times.
                        var sizes: [String: Int] = [:]
                        sizes.reserveCapacity(distinct)
                        for position in spans[kind] where resources[position].summary.kind == kind {
                            resources[position].summary.keys.forEach(path: index) { sizes[$0, default: 0] += 1 }
                        }
                        for (key, size) in sizes where size > 1 { keys[key] = .many(Set(minimumCapacity: size)) }
                    }
                    for position in spans[kind] where resources[position].summary.kind == kind {
                        resources[position].summary.keys.forEach(path: index) { keys[$0].add(resources[position].id) }
                    }
                }
                return .equality(kind, kind.indexedPaths[index].path, keys)
            }
        }
    }

    private enum Built: Sendable {
        case summaries([String: ResourceSummary])
        case order([ResourceKind: [String]])
        case equality(ResourceKind, String, [String: IDSet])
    }
}

/// Where each kind's resources are in the list: a span each when they come grouped by
/// kind (the snapshot's order, and a rebuild's), else the whole list for every kind.
private struct KindSpans: Sendable {
    private var spans: [ResourceKind: Range<Int>] = [:]
    private var everything: Range<Int>

    init(_ resources: [(id: String, summary: ResourceSummary)]) {
        everything = resources.indices
        resources.withUnsafeBufferPointer { resources in
            var start = 0
            while start < resources.count {
                let kind = resources[start].summary.kind
                var end = start + 1
                while end < resources.count && resources[end].summary.kind == kind { end += 1 }
                guard spans[kind] == nil else {
                    spans = [:]
                    return
                }
                spans[kind] = start..<end
                start = end
            }
        }
    }

    subscript(kind: ResourceKind) -> Range<Int> {
        spans.isEmpty ? everything : spans[kind] ?? 0..<0
    }
}

extension IDSet? {
    /// Adds `id`, creating the set when there is none: one lookup of the table's key.
    mutating func add(_ id: String) {
        if self == nil { self = IDSet(id) } else { self!.insert(id) }
    }
}
