import CLibgit2
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
        // The other writer may have written `.git/index`; then its version is the base.
        if index.changedOnDisk { try index.reload() }
        let move = HeadMove(from: head, to: current, changes: changes)
        head = current
        headTree = newTree
        fingerprint = stamp
        for change in changes {
            try syncWorkingFile(change.path, to: change.newBlob)
        }
        if !changes.isEmpty {
            logger.info("HEAD moved outside this process: \(move.from?.short ?? "nothing") → \(current?.short ?? "nothing"), \(changes.count) paths changed")
        }
        return move
    }

    /// Makes one path of the working tree hold `blob` (or nothing), touching the file only
    /// when it differs.
    func syncWorkingFile(_ path: String, to blob: ObjectID?) throws {
        let bytes = try workingTree.read(path)
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
