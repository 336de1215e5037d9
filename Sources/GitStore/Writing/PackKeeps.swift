import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `.keep` files a writer puts beside the small packs it will merge itself.
///
/// `git repack` (the background maintenance) leaves packs with a `.keep` alone. So a small
/// pack the writer still means to merge (`Writer+PackMerge`) is never also rolled up by a
/// repack, and the writer can merge and delete it while a repack runs: without this, merges
/// waited for every repack, and the packs written meanwhile (hundreds, at a few hundred
/// writes a second) were merged in one go under the writer lock as the repack ended — the
/// writes' worst latency. A merged pack has no `.keep`, so the next repack folds it in.
///
/// Each file names the process that wrote it, so the keeps of a process that died (a
/// killed command) are found and removed; a `.keep` someone else wrote is never touched.
enum PackKeeps {
    static let suffix = ".keep"

    /// What this process writes in its keeps.
    static var message: [UInt8] { Array("scimgit pid \(getpid())\n".utf8) }

    static func path(of pack: String, in folder: String) -> String {
        StorePaths.join(folder, pack + suffix)
    }

    /// Removes a keep of ours (a pack merged away, or left to `git repack`).
    static func release(_ pack: String, in folder: String) {
        unlink(path(of: pack, in: folder))
    }

    /// Removes every scimgit keep whose process is gone (and, with `includingOwn`, this
    /// process's: at close, when no merge will come).
    static func removeStale(in folder: String, includingOwn: Bool = false) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let own = getpid()
        for name in names where name.hasSuffix(suffix) {
            let path = StorePaths.join(folder, name)
            guard let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
                  text.hasPrefix("scimgit pid "), let pid = pid_t(text.dropFirst("scimgit pid ".count)) else { continue }
            let alive = pid == own ? !includingOwn : (kill(pid, 0) == 0 || errno == EPERM)
            if !alive { unlink(path) }
        }
    }
}
