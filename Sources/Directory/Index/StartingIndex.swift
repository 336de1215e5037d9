import GitStore
import Logging

/// Where the indexes of an opened store come from: the snapshot a clean stop (or an
/// import) saved, brought up to HEAD with the tree diff, or else every file read again.
enum StartingIndex {
    /// The state and, for the log, where it came from.
    static func load(store: GitStore, indexer: Indexer, logger: Logger) throws -> (DirectoryIndex.State, String) {
        let path = IndexSnapshot.path(gitDirectory: store.gitDirectory)
        if let head = store.head, let snapshot = IndexSnapshot.load(from: path) {
            do {
                var state = snapshot.state
                if snapshot.head != head {
                    let changed = try StoreLayout.ownedFolders.flatMap { try store.diff(from: snapshot.head, to: head, under: $0).map(\.path) }
                    indexer.apply(changed, to: &state)
                }
                return (state, snapshot.head == head ? "from the snapshot" : "from the snapshot of \(snapshot.head.short) and the diff to HEAD")
            } catch {
                logger.warning("the index snapshot does not fit this store (\(error)); reading every file")
            }
        }
        return (try indexer.build(), "from every file")
    }
}
