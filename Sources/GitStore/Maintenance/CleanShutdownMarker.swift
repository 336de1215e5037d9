import Foundation

/// Says "the store was closed cleanly at commit X": `.git/scimgit/clean-shutdown` holds
/// the HEAD of a clean `close()` and is consumed by the next open. When it is there and
/// HEAD is still X, the working tree and index are known to equal HEAD and recovery can
/// skip comparing every file (seconds at 100,000 users). After a crash it is missing, so
/// the next open compares everything.
struct CleanShutdownMarker {
    let path: String

    init(gitDirectory: String) {
        path = StorePaths.join(gitDirectory, "scimgit/clean-shutdown")
    }

    func record(_ head: ObjectID?) {
        guard let head else { return }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? Data((head.hex + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Whether a clean shutdown was recorded at `head`; the marker is removed either way,
    /// so a crash from now on is noticed.
    func consume(matching head: ObjectID?) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        try? FileManager.default.removeItem(atPath: path)
        let recorded = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return head != nil && recorded == head?.hex
    }
}
