import Files
import Logging

/// Says "the working tree and index were left equal to commit X": `.git/scimgit/clean-shutdown`
/// holds the HEAD at which the owner of the working tree gave it up with every change it
/// made complete, and is consumed by the next owner. When it is there and HEAD is still
/// X, recovery can skip comparing every file (seconds at 100,000 users). It is written
/// only by the owner (`WorkingTreeOwner`), the one process that changes the tree, so it
/// never vouches for a tree someone else was rewriting.
struct CleanShutdownMarker {
    let path: String

    init(metadata: MetadataPaths) {
        path = metadata.cleanShutdown
    }

    func record(_ head: ObjectID?, logger: Logger) {
        guard let head else { return }
        do {
            try AtomicFile.write(Array((head.hex + "\n").utf8), to: path)
        } catch {
            logger.warning("could not record the clean stop (\(error)); the next start compares every file with HEAD")
        }
    }

    /// Whether a clean stop was recorded at `head`; the marker is removed either way, so a
    /// crash from now on is noticed.
    func consume(matching head: ObjectID?) -> Bool {
        guard let bytes = try? AtomicFile.read(path) else { return false }
        AtomicFile.remove(path)
        let recorded = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return head != nil && recorded == head?.hex
    }
}
