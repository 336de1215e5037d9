#if canImport(Glibc)
import Glibc
#endif

/// A pack this writer wrote, with its objects as packed, until it is merged.
struct RecentPack {
    var name: String
    var objects: [PackFileWriter.Packed]
    var size: Int { objects.reduce(0) { $0 + $1.record.count + ($1.raw?.count ?? 0) } }
}

/// The first level of pack merging, done by the writer itself.
///
/// Under a steady stream of writes every batch is one small pack: a hundred or more a
/// second. `git repack` (in the background) merges packs with delta compression, which
/// costs far more than writing them and cannot keep up with that rate, and every pack
/// more makes a missed object lookup slower. The writer still holds the packed bytes of
/// its recent packs, so every `mergeEvery` packs it writes them again as one pack and
/// removes the small ones: objects are copied as they were compressed, except each folder's
/// tree, stored as a delta of its previous version (`PackDelta`; no delta search, the
/// writer knows which tree came before). `git repack` then sees a pack count that grows
/// sixteen times slower. The small packs carry a `.keep` until they are merged
/// (`PackKeeps`), so merging goes on while a repack runs.
extension Writer {
    static let mergeEvery = 16
    /// Packs bigger than this are not kept for merging (a 50,000-member group's creation).
    static let largestPackToMerge = 4 << 20

    func remember(_ pack: RecentPack) {
        guard pack.size <= Writer.largestPackToMerge else { return }
        recentPacks.append(pack)
    }

    /// Merges the recent packs once there are `minimum` of them (`mergeEvery` while writes
    /// go on). Returns true when packs were replaced on disk (readers must drop their
    /// handles). A failure only leaves the small packs in place.
    func mergeRecentPacksIfDue(minimum: Int = Writer.mergeEvery) -> Bool {
        guard recentPacks.count >= max(2, minimum) else { return false }
        let packs = recentPacks
        recentPacks = []
        let folder = StorePaths.packFolder(gitDirectory: gitDirectory)
        do {
            let merged = try PackFileWriter.write(try PackFileWriter.deltified(packs.flatMap(\.objects)), to: folder)
            // The merged pack must be on disk before the packs it replaces are gone.
            if options.durability == .durable { try fileSystem.sync() }
            for pack in packs where pack.name != merged {
                // Index first: a pack without its index is invisible to readers.
                unlink(StorePaths.join(folder, pack.name + ".idx"))
                unlink(StorePaths.join(folder, pack.name + ".pack"))
                PackKeeps.release(pack.name, in: folder)
            }
            // Merged into a pack that is one of them (they were all the same objects): it
            // is git's to repack now.
            if packs.contains(where: { $0.name == merged }) { PackKeeps.release(merged, in: folder) }
            try reopenRepository()
            return true
        } catch {
            logger.warning("could not merge \(packs.count) recent packs (they stay as they are): \(error)")
            return false
        }
    }

    /// Gives the recent packs to `git repack` without merging them (at close: nothing
    /// will merge them later).
    func releaseRecentPacks() {
        let folder = StorePaths.packFolder(gitDirectory: gitDirectory)
        for pack in recentPacks { PackKeeps.release(pack.name, in: folder) }
        recentPacks = []
    }
}
