import Foundation

/// What identifies one version of a file cheaply: inode, size and modification time. An
/// atomic rename always changes the inode, so every rewrite is noticed.
struct FileFingerprint: Equatable, Sendable {
    var exists: Bool
    var inode: UInt64 = 0
    var size: Int64 = 0
    var modified: Double = 0

    init(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            exists = false
            return
        }
        exists = true
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}
