import Files
import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Old versions of working-tree files, kept as inodes the next writes are written into.
///
/// Replacing a file by renaming a new one over it frees the old inode and allocates a new
/// one on every write. On ext4 without a journal (these machines), the allocator then skips
/// each inode freed in the last seconds, one block lookup apiece, and freeing one truncates
/// and discards its block: at a thousand writes a second, a quarter of the server's CPU.
/// Instead, the file being replaced is hard-linked into `.git/scimgit-spare/` (so the
/// rename over it frees nothing), and once it has rested for `grace`, a later write fills
/// that inode and renames it into place. Still one atomic rename per file.
///
/// A reader that opened the old version and is still reading when its inode is reused
/// would see new bytes: while a spare is refilled its mode is 000, and its times change, so
/// `WorkingTree.read` (which compares the file's status before and after reading) reads
/// again. Only the writer uses this; the folder's contents are disposable.
///
/// Only a regular file with one link, owned by this process's user, is ever kept, and what
/// was linked is checked again before it is trusted: a symbolic link (or a hard link to a
/// file elsewhere) in the working tree must never become a spare, since writing into a
/// spare would then write through it.
final class SpareFiles: @unchecked Sendable {
    let folder: Folder
    private let grace: Duration
    private let capacity: Int
    private var resting: [(name: String, inode: UInt64, since: ContinuousClock.Instant)] = []
    private var first = 0
    private var counter = 0

    init(folder path: String, grace: Duration = .seconds(1), capacity: Int = 8192) throws {
        do {
            folder = try Folder(opening: path, create: true)
        } catch {
            throw GitStoreError(error)
        }
        self.grace = grace
        self.capacity = capacity
        // Files left by an earlier run have rested long enough; beyond capacity, remove.
        let leftovers = (try? folder.names()) ?? []
        let past = ContinuousClock.now - grace
        for name in leftovers {
            // Mode 000 is a spare whose refill was cut short: its bytes are half a file.
            if resting.count < capacity, !name.hasPrefix("."), let info = folder.status(name), SpareFiles.isOwnFile(info),
               info.st_mode & 0o777 != 0 {
                resting.append((name, UInt64(info.st_ino), past))
            } else {
                try? folder.remove(name)
            }
        }
        counter = leftovers.count
    }

    private var count: Int { resting.count - first }

    /// A file this process may reuse: regular, one link, ours.
    private static func isOwnFile(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFREG && info.st_nlink == 1 && info.st_uid == geteuid()
    }

    /// Keeps the inode of `name` in `source` (about to be replaced or deleted) as a spare.
    /// Returns false when it was not kept (pool full, no such file, not a file of ours):
    /// the caller lets it be freed.
    @discardableResult
    func retire(_ name: String, in source: Folder) -> Bool {
        guard count < capacity, let info = source.status(name), SpareFiles.isOwnFile(info) else { return false }
        counter += 1
        let spare = String(counter, radix: 36)
        guard (try? source.link(name, to: folder, as: spare)) != nil else { return false }
        // What was linked may not be what was looked at a moment ago: check the spare itself.
        guard let kept = folder.status(spare), (kept.st_mode & S_IFMT) == S_IFREG, kept.st_ino == info.st_ino else {
            try? folder.remove(spare)
            return false
        }
        resting.append((spare, UInt64(kept.st_ino), ContinuousClock.now))
        return true
    }

    /// A spare that has rested long enough, opened for writing and marked (mode 000) as
    /// being refilled, with the mode to give back when it is full; nil when none is ready.
    func take() -> (name: String, fd: FileDescriptor, mode: mode_t)? {
        while count > 0, ContinuousClock.now - resting[first].since >= grace {
            let (name, inode, _) = resting[first]
            first += 1
            if first > 1024 && first * 2 > resting.count {
                resting.removeFirst(first)
                first = 0
            }
            guard let fd = try? folder.open(name, O_WRONLY | O_NONBLOCK) else {
                try? folder.remove(name)
                continue
            }
            var info = stat()
            guard fstat(fd.rawValue, &info) == 0, SpareFiles.isOwnFile(info), UInt64(info.st_ino) == inode, fchmod(fd.rawValue, 0) == 0 else {
                try? fd.close()
                try? folder.remove(name)
                continue
            }
            return (name, fd, info.st_mode & 0o7777)
        }
        return nil
    }
}
