/// The writer's parsed copy of the trees HEAD was built from, by folder.
///
/// Every commit rewrites the trees on its path: the root, `Users`, `Users/ab` (256 entries
/// each at 100k users), `Users/ab/cd`. Reading them back from the pack the previous batch
/// wrote (open the pack, inflate, follow delta chains after a repack, parse) cost more than
/// building them. Trees are immutable by id, so the parsed form of the latest version of
/// each folder is kept: a lookup hits when the id still matches.
///
/// One version per folder bounds it by the store's shape (about 66,000 folders at most with
/// two-level fan-out); leaf folders are dropped in bulk beyond `capacity`.
final class TreeCache {
    private let capacity: Int
    private var folders: [String: (id: ObjectID, entries: TreeEntries)] = [:]

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached entries of `tree`, removed from the cache so the caller can change them
    /// without a copy; it inserts the version it builds. (A batch that fails leaves the
    /// cache holding trees no commit refers to: harmless, a lookup checks the id.)
    func take(_ tree: ObjectID, at folder: String) -> TreeEntries? {
        guard let cached = folders[folder], cached.id == tree else { return nil }
        return folders.removeValue(forKey: folder)?.entries
    }

    func insert(_ tree: ObjectID, _ entries: TreeEntries, at folder: String) {
        if folders.count >= capacity, folders[folder] == nil {
            // Keep the upper levels (few, large, on every commit's path); drop the leaves.
            folders = folders.filter { $0.key.split(separator: "/").count < 3 }
        }
        folders[folder] = (tree, entries)
    }
}
