import Foundation
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
/// `WorkingTree.readFile` (which compares the file's status before and after reading)
/// reads again. Only the writer uses this; the folder's contents are disposable.
final class SpareFiles: @unchecked Sendable {
    let folder: String
    private let grace: Duration
    private let capacity: Int
    private var resting: [(name: String, since: ContinuousClock.Instant)] = []
    private var first = 0
    private var counter = 0

    init(folder: String, grace: Duration = .seconds(1), capacity: Int = 8192) {
        self.folder = folder
        self.grace = grace
        self.capacity = capacity
        mkdir(folder, 0o755)
        // Files left by an earlier run have rested long enough; beyond capacity, remove.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let past = ContinuousClock.now - grace
        for name in leftovers {
            if resting.count < capacity, !name.hasPrefix(".") {
                resting.append((StorePaths.join(folder, name), past))
            } else {
                unlink(StorePaths.join(folder, name))
            }
        }
        counter = leftovers.count
    }

    private var count: Int { resting.count - first }

    /// Keeps the inode at `path` (about to be replaced or deleted) as a spare. Returns false
    /// when it was not kept (pool full, no such file): the caller lets it be freed.
    @discardableResult
    func retire(_ path: String) -> Bool {
        guard count < capacity else { return false }
        counter += 1
        let name = StorePaths.join(folder, String(counter, radix: 36))
        guard link(path, name) == 0 else { return false }
        resting.append((name, ContinuousClock.now))
        return true
    }

    /// A spare that has rested long enough, opened for writing and marked (mode 000) as
    /// being refilled, with the mode to give back when it is full; nil when none is ready.
    func take() -> (path: String, fd: Int32, mode: mode_t)? {
        while count > 0, ContinuousClock.now - resting[first].since >= grace {
            let path = resting[first].name
            first += 1
            if first > 1024 && first * 2 > resting.count {
                resting.removeFirst(first)
                first = 0
            }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { unlink(path); continue }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1, fchmod(fd, 0) == 0 else {
                close(fd)
                unlink(path)
                continue
            }
            return (path, fd, info.st_mode & 0o7777)
        }
        return nil
    }
}
