import CLibgit2
#if canImport(Glibc)
import Glibc
#endif

/// What opening a store had to repair after a crash.
public struct RecoveryReport: Sendable, Equatable {
    /// Lock files left by a crashed process, removed.
    public var removedLocks: [String] = []
    /// Working-tree files put back to HEAD's content (or removed, when HEAD has none).
    public var restoredPaths: [String] = []
    /// Files nobody committed (half a write, temporary files), removed.
    public var removedFiles: [String] = []

    public var isEmpty: Bool { removedLocks.isEmpty && restoredPaths.isEmpty && removedFiles.isEmpty }
}

/// On open, a crash between the steps of a write (files written but no commit, a stale
/// lock) is repaired so the working tree and index equal HEAD: what was acknowledged is
/// what is served, and half a write is never committed later by accident.
extension Writer {
    func recover(ownedFolders: [String]?, full: Bool = true) throws -> RecoveryReport {
        var report = RecoveryReport()
        for lock in ["index.lock", branchReference + ".lock", "packed-refs.lock", "HEAD.lock"] {
            let path = StorePaths.join(gitDirectory, lock)
            if removeStaleLock(path) { report.removedLocks.append(lock) }
        }
        guard full else { return report }

        var suspects = Set<String>()
        // HEAD ↔ index: entries a crash left staged or missing.
        var headTreePointer: OpaquePointer?
        if let headTree {
            var oid = headTree.oid
            try gitCheck(git_tree_lookup(&headTreePointer, repository.pointer, &oid), "look up HEAD tree")
        }
        defer { git_tree_free(headTreePointer) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        try gitCheck(git_diff_tree_to_index(&diff, repository.pointer, headTreePointer, index.rawPointer, &options), "compare HEAD and index")
        for delta in Writer.deltas(diff) { suspects.insert(delta.path) }
        git_diff_free(diff)

        // index ↔ working tree, untracked files included; unchanged files get fresh stat data.
        options.flags = GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_UPDATE_INDEX.rawValue | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        diff = nil
        try gitCheck(git_diff_index_to_workdir(&diff, repository.pointer, index.rawPointer, &options), "compare index and working tree")
        let workingDeltas = Writer.deltas(diff)
        git_diff_free(diff)
        for delta in workingDeltas {
            if delta.status == GIT_DELTA_UNTRACKED, try isCommitted(delta.path) {
                // In HEAD, only missing from an index that is written lazily (another
                // process's writer has not flushed it yet): not an uncommitted write.
                suspects.insert(delta.path)
            } else if delta.status == GIT_DELTA_UNTRACKED {
                let name = delta.path.split(separator: "/").last.map(String.init) ?? delta.path
                let owned = ownedFolders.map { folders in folders.contains { delta.path.hasPrefix($0 + "/") } } ?? true
                if owned || name.hasPrefix(WorkingTree.temporaryMarker) {
                    try workingTree.delete(delta.path)
                    report.removedFiles.append(delta.path)
                    logger.warning("recovery: removed \(delta.path), written by a write that never committed")
                }
            } else {
                suspects.insert(delta.path)
            }
        }

        for path in suspects.sorted() {
            let entry = try headTree.flatMap { try repository.entry(at: path, inTree: $0) }
            if let kind = entry?.kind, kind != .file {
                logger.error("recovery: \(path) is a \(kind == .link ? "symbolic link" : "submodule") in HEAD; left as it is and served as broken (see scimgit verify)")
                continue
            }
            let expected = entry.flatMap { $0.kind == nil ? nil : $0.id }
            let actual: ObjectID?
            do {
                actual = try workingTree.read(path).map { ObjectID.blob(hashing: $0) }
            } catch let error as GitStoreError where error.isNotRegularFile {
                actual = ObjectID.blob(hashing: [0xFF]) // a link or FIFO where a file belongs: differs from anything
            }
            if expected != actual {
                try restoreFromHead(path)
                report.restoredPaths.append(path)
                logger.warning("recovery: restored \(path) to HEAD (\(head?.short ?? "empty"))")
            } else if index.blob(at: path) != expected {
                // The file is right, only the index lagged (it is written lazily): no repair.
                try syncWorkingFile(path, to: expected)
            }
        }
        do {
            try index.write()
        } catch let error as GitStoreError where error.isStorageFull {
            // A full disk must not stop the store from opening: reads need no index file.
            // It stays in memory and is written once there is room.
            logger.warning("could not write .git/index (\(error)); kept in memory until there is room")
        }
        return report
    }

    private func isCommitted(_ path: String) throws -> Bool {
        guard let headTree, let entry = try repository.entry(at: path, inTree: headTree) else { return false }
        return entry.kind != nil
    }

    struct Delta {
        var path: String
        var status: git_delta_t
    }

    static func deltas(_ diff: OpaquePointer?) -> [Delta] {
        guard let diff else { return [] }
        var out: [Delta] = []
        for position in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, position) else { continue }
            let file = delta.pointee.new_file.path ?? delta.pointee.old_file.path
            guard let file else { continue }
            out.append(Delta(path: String(cString: file), status: delta.pointee.status))
        }
        return out
    }
}
