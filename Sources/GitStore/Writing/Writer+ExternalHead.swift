import CLibgit2
import Metrics
#if canImport(Glibc)
import Glibc
#endif

/// HEAD moved without this writer: a plain `git revert`, `git reset --hard SNAPSHOT`, or
/// another scimgit process. Says which paths changed between the old and the new HEAD.
public struct HeadMove: Sendable {
    public var from: ObjectID?
    public var to: ObjectID?
    public var changes: [PathChange]
}

extension Writer {
    /// Takes HEAD as it now is: brings the working tree and index of the changed paths in
    /// line with it (a `git reset --soft` leaves them behind), and reports the change.
    func adoptExternalHead() throws -> HeadMove? {
        let current = try repository.headCommit()
        let stamp = HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: branchReference)
        guard current != head else {
            fingerprint = stamp
            return nil
        }
        let newTree = try current.map { try repository.treeID(ofCommit: $0) }
        let changes = try TreeDiff.changes(in: repository, from: headTree, to: newTree)
        let move = HeadMove(from: head, to: current, changes: changes)
        Counter(label: "scimgit_head_moves_total").increment()
        head = current
        headTree = newTree
        fingerprint = stamp
        // Only the owner of the working tree brings it (and the index) to the new HEAD.
        guard ownsWorkingTree else { return move }
        // Plain git may have written `.git/index`; then its version is the base.
        if index.changedOnDisk { try index.reload() }
        let started = ContinuousClock.now
        if changes.count >= LargeBatch.parallelFrom {
            try syncManyWorkingFiles(changes)
        } else {
            for change in changes {
                try syncWorkingFile(change.path, to: change.newKind == .file ? change.newBlob : nil, kind: change.newKind)
            }
        }
        if !changes.isEmpty {
            logger.info("HEAD moved outside this process: \(move.from?.short ?? "nothing") → \(current?.short ?? "nothing"), \(changes.count) paths changed; working tree followed in \(ContinuousClock.now - started)")
        }
        return move
    }

    /// A large move (an import, a big rollback from another process): the files HEAD has
    /// are compared with the working tree and written where they differ from every core, a
    /// run of them at a time (so their contents are never all in memory); removals one at
    /// a time.
    private func syncManyWorkingFiles(_ changes: [PathChange]) throws {
        let plain = WorkingTree(root: workingTree.root)
        var start = 0
        while start < changes.count {
            let run = changes[start..<min(changes.count, start + 8 * LargeBatch.parallelFrom)]
            start = run.endIndex
            var files: [(path: String, blob: ObjectID)] = []
            for change in run {
                if change.newKind == .file, let blob = change.newBlob {
                    files.append((change.path, blob))
                } else {
                    try syncWorkingFile(change.path, to: nil, kind: change.newKind)
                }
            }
            // What each file holds now, on every core: a rollback rewrites files that exist
            // (one at a time, reading, hashing and renaming each, it took seconds).
            let current = try LargeBatch.run(files.count) { position -> Glibc.stat? in
                let bytes: [UInt8]?
                do {
                    bytes = try plain.read(files[position].path)
                } catch let error as GitStoreError where error.isNotRegularFile {
                    bytes = nil // a link or FIFO where a file belongs: renamed over below, never followed
                }
                guard let bytes, ObjectID.blob(hashing: bytes) == files[position].blob else { return nil }
                return plain.fileStatus(files[position].path)
            }
            var writes: [(path: String, bytes: [UInt8], blob: ObjectID)] = []
            for (file, status) in zip(files, current) {
                if let status {
                    if index.blob(at: file.path) != file.blob { try index.set(file.path, blob: file.blob, stat: status) }
                } else {
                    writes.append((file.path, try repository.blobContent(file.blob), file.blob))
                }
            }
            let written = try LargeBatch.run(writes.count, context: { LastFolder() }) { position, last in
                try plain.writeInBatch(writes[position].bytes, to: writes[position].path, last: &last)
            }
            for (write, info) in zip(writes, written) { try index.set(write.path, blob: write.blob, stat: info) }
        }
    }

    /// Makes one path of the working tree hold `blob` (or nothing), touching the file only
    /// when it differs. A link or submodule (`kind`) is never written: whatever git put
    /// there stays, and reads refuse it.
    func syncWorkingFile(_ path: String, to blob: ObjectID?, kind: EntryKind? = .file) throws {
        if let kind, kind != .file {
            logger.error("\(path) is a \(kind == .link ? "symbolic link" : "submodule") in HEAD; scimgit never follows or writes one, and serves that resource as broken (see scimgit verify)")
            return
        }
        let bytes: [UInt8]?
        do {
            bytes = try workingTree.read(path)
        } catch let error as GitStoreError where error.isNotRegularFile {
            bytes = nil // a link or FIFO where a file belongs: replaced below (renamed over, never followed)
            if blob == nil { try workingTree.delete(path) }
        }
        if let blob {
            if let bytes, ObjectID.blob(hashing: bytes) == blob {
                if index.blob(at: path) != blob, let info = workingTree.fileStatus(path) {
                    try index.set(path, blob: blob, stat: info)
                }
                return
            }
            let info = try workingTree.write(try repository.blobContent(blob), to: path)
            try index.set(path, blob: blob, stat: info)
        } else {
            if bytes != nil { try workingTree.delete(path) }
            if index.blob(at: path) != nil { try index.remove(path) }
        }
    }
}
