import Synchronization

/// The store's commit-graph as last read, read again only when git has written a new one
/// (the background maintenance renames fresh files into place).
final class CommitGraphCache: Sendable {
    private let gitDirectory: String
    /// Files that did not parse are remembered too, so they are not read on every walk.
    private let current = Mutex<(stamp: CommitGraph.Stamp?, graph: CommitGraph?)>((nil, nil))

    init(gitDirectory: String) {
        self.gitDirectory = gitDirectory
    }

    var graph: CommitGraph? {
        let stamp = CommitGraph.stamp(gitDirectory: gitDirectory)
        return current.withLock { cached in
            if cached.stamp == stamp { return cached.graph }
            let graph = stamp.single == nil && stamp.chain == nil ? nil : CommitGraph(gitDirectory: gitDirectory)
            cached = (stamp, graph)
            return graph
        }
    }
}
