#if canImport(Glibc)
import Glibc
#endif

/// A whole file replaced at once, by path: what the server keeps for itself beside git's
/// files (`.git/scimgit/…`: tokens, the index snapshot, the clean-shutdown marker) and
/// outside the working tree, so no committed link can reach it.
public enum AtomicFile {
    /// Writes `bytes` to `path` through a temporary file in the same folder (created, with
    /// its parents, when missing). `durable` flushes the file and its folder.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = false) throws(FileError) {
        let (folder, name) = split(path)
        try Folder(opening: folder, create: true, mode: 0o700).replaceFile(name, with: bytes, mode: mode, durable: durable)
    }

    /// The file's bytes, nil when there is none.
    public static func read(_ path: String) throws(FileError) -> [UInt8]? {
        let (folder, name) = split(path)
        let opened: Folder
        do {
            opened = try Folder(opening: folder)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
        return try opened.readFile(name)
    }

    /// Removes the file; a missing one is not an error.
    public static func remove(_ path: String) {
        unlink(path)
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
