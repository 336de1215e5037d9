import CLibgit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The write path: a batch of specs becomes a chain of commits (one per spec), made
/// durable together by one flush, before the branch moves once.
///
/// Objects are written loose, exactly as `git commit` does; a background `git repack`
/// (see `Repacker`) packs them. Objects of a write that fails are left unreferenced
/// (`git fsck` calls them dangling) and disappear at the next `git gc`.
extension Writer {
    /// What a batch leaves at one path once all its commits are applied.
    private enum FinalState {
        case bytes([UInt8], ObjectID)
        case blob(ObjectID)
        case absent
    }

    /// Commits each spec as its own commit, in order, all or nothing. Returns each spec's
    /// commit id, or nil for a spec that changed nothing.
    func commit(_ specs: [CommitSpec]) throws -> [ObjectID?] {
        var results: [ObjectID?] = []
        var parent = head
        var tree = headTree
        var newObjects = 0
        var finalStates: [String: FinalState] = [:]
        var lastSubject = ""
        var touchedWorkingTree = false
        do {
            try inject(.objects)
            for spec in specs {
                let (commit, newTree, objects, states) = try stage(spec, parent: parent, tree: tree)
                results.append(commit)
                guard let commit else { continue }
                newObjects += objects
                for (path, state) in states { finalStates[path] = state }
                parent = commit
                tree = newTree
                lastSubject = spec.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            }
            guard let newHead = parent, newHead != head, let tree else { return results }
            try finish(newHead: newHead, newTree: tree, newObjects: newObjects, finalStates: finalStates, subject: lastSubject, touched: &touchedWorkingTree)
            return results
        } catch {
            if touchedWorkingTree { restoreWorkingTree(Array(finalStates.keys)) }
            throw error
        }
    }

    /// Commits `tree` (a past state, reused as is: no tree is rebuilt) on top of HEAD, so
    /// the branch's files equal that state again. Returns nil when they already do.
    func commit(tree: ObjectID, message: String, author: Signature) throws -> ObjectID? {
        guard tree != headTree else { return nil }
        let changes = try TreeDiff.changes(in: repository, from: headTree, to: tree)
        var finalStates: [String: FinalState] = [:]
        for change in changes { finalStates[change.path] = change.newBlob.map { .blob($0) } ?? .absent }
        var touchedWorkingTree = false
        do {
            let commit = try createCommit(tree: tree, parent: head, message: message, author: author)
            let subject = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            try finish(newHead: commit, newTree: tree, newObjects: 1, finalStates: finalStates, subject: subject, touched: &touchedWorkingTree)
            return commit
        } catch {
            if touchedWorkingTree { restoreWorkingTree(Array(finalStates.keys)) }
            throw error
        }
    }

    /// The steps every write shares once its objects are written: the working tree follows,
    /// one flush makes objects and files durable, the branch moves, one more flush.
    private func finish(
        newHead: ObjectID, newTree: ObjectID, newObjects: Int, finalStates: [String: FinalState],
        subject: String, touched: inout Bool
    ) throws {
        try inject(.workingTree)
        touched = true
        let written = try applyToWorkingTree(finalStates)
        if options.durability == .durable { try fileSystem.sync() }

        try inject(.reference)
        try moveBranch(to: newHead, message: "scimgit: \(subject)")
        if options.durability == .durable { try fileSystem.sync() }

        head = newHead
        headTree = newTree
        fingerprint = HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: branchReference)
        recordInIndex(written)
        looseObjects += newObjects
    }

    /// Builds one commit from a spec on top of `parent` and writes its objects. Returns the
    /// commit (nil when nothing changes), its tree, how many objects it wrote, and what each
    /// path ends up holding.
    private func stage(
        _ spec: CommitSpec, parent: ObjectID?, tree: ObjectID?
    ) throws -> (ObjectID?, ObjectID?, Int, [String: FinalState]) {
        var updates: [TreeUpdate] = []
        var states: [String: FinalState] = [:]
        var objects = 0
        for (path, change) in spec.changes.sorted(by: { $0.key < $1.key }) {
            try StorePaths.validate(path)
            switch change {
            case let .write(bytes):
                let blob = try repository.createBlob(bytes)
                objects += 1
                updates.append(TreeUpdate(path: path, blob: blob))
                states[path] = .bytes(bytes, blob)
            case let .restore(blob):
                updates.append(TreeUpdate(path: path, blob: blob))
                states[path] = .blob(blob)
            case .delete:
                guard let tree, try repository.entry(at: path, inTree: tree) != nil else { continue }
                updates.append(TreeUpdate(path: path, blob: nil))
                states[path] = .absent
            }
        }
        guard !updates.isEmpty else { return (nil, tree, 0, [:]) }
        let newTree = try updatedTree(base: tree, updates: updates)
        if newTree == tree { return (nil, tree, 0, [:]) }
        let folders = Set(updates.flatMap { StorePaths.parentFolders(of: $0.path) })
        let commit = try createCommit(tree: newTree, parent: parent, message: spec.message, author: spec.author)
        return (commit, newTree, objects + folders.count + 1, states)
    }

    private struct TreeUpdate {
        var path: String
        /// nil removes the path.
        var blob: ObjectID?
    }

    /// `git_tree_create_updated`: rewrites only the trees on the changed paths.
    /// `base` nil: the first commit, built from nothing.
    private func updatedTree(base: ObjectID?, updates: [TreeUpdate]) throws -> ObjectID {
        var cPaths: [UnsafeMutablePointer<CChar>] = []
        defer { cPaths.forEach { free($0) } }
        var cUpdates: [git_tree_update] = []
        cUpdates.reserveCapacity(updates.count)
        for update in updates {
            let cPath = strdup(update.path)!
            cPaths.append(cPath)
            var entry = git_tree_update()
            entry.path = UnsafePointer(cPath)
            entry.filemode = GIT_FILEMODE_BLOB
            if let blob = update.blob {
                entry.action = GIT_TREE_UPDATE_UPSERT
                entry.id = blob.oid
            } else {
                entry.action = GIT_TREE_UPDATE_REMOVE
            }
            cUpdates.append(entry)
        }
        var out = git_oid()
        guard let base else {
            try gitCheck(git_tree_create_updated(&out, repository.pointer, nil, cUpdates.count, cUpdates), "create tree")
            return ObjectID(out)
        }
        _ = try repository.withTree(base) { baseTree in
            try gitCheck(
                git_tree_create_updated(&out, repository.pointer, baseTree, cUpdates.count, cUpdates),
                "update tree"
            )
        }
        return ObjectID(out)
    }

    private func createCommit(tree: ObjectID, parent: ObjectID?, message: String, author: Signature) throws -> ObjectID {
        let authorSignature = try GitSignature(author)
        let committerSignature = try GitSignature(.scimgit)
        var out = git_oid()
        let text = message.hasSuffix("\n") ? message : message + "\n"
        try repository.withTree(tree) { treePointer in
            if let parent {
                try repository.withCommit(parent) { parentPointer in
                    var parents: [OpaquePointer?] = [parentPointer]
                    try gitCheck(
                        git_commit_create(
                            &out, repository.pointer, nil, authorSignature.pointer, committerSignature.pointer,
                            "UTF-8", text, treePointer, 1, &parents
                        ),
                        "create commit"
                    )
                }
            } else {
                try gitCheck(
                    git_commit_create(
                        &out, repository.pointer, nil, authorSignature.pointer, committerSignature.pointer,
                        "UTF-8", text, treePointer, 0, nil
                    ),
                    "create commit"
                )
            }
        }
        return ObjectID(out)
    }

    /// Moves the branch from `head` to `newHead`: a compare-and-swap, so a writer that
    /// ignored our lock is detected rather than overwritten.
    private func moveBranch(to newHead: ObjectID, message: String) throws {
        var newOid = newHead.oid
        let deadline = ContinuousClock.now + options.lockTimeout
        while true {
            var reference: OpaquePointer?
            let code: Int32
            if let head {
                var oldOid = head.oid
                code = git_reference_create_matching(&reference, repository.pointer, branchReference, &newOid, 1, &oldOid, message)
            } else {
                code = git_reference_create(&reference, repository.pointer, branchReference, &newOid, 0, message)
            }
            git_reference_free(reference)
            if code == GIT_ELOCKED.rawValue {
                if removeStaleLock(StorePaths.join(gitDirectory, branchReference + ".lock")) { continue }
                if ContinuousClock.now < deadline { usleep(10_000); continue }
            }
            if code == GIT_EMODIFIED.rawValue {
                throw GitStoreError.concurrentUpdate("\(branchReference) is no longer at \(head?.short ?? "nothing")")
            }
            try gitCheck(code, "move \(branchReference)")
            return
        }
    }

    private struct WrittenFile {
        var path: String
        var blob: ObjectID?
        var stat: stat?
    }

    private func applyToWorkingTree(_ states: [String: FinalState]) throws -> [WrittenFile] {
        var written: [WrittenFile] = []
        written.reserveCapacity(states.count)
        for (path, state) in states {
            switch state {
            case let .bytes(bytes, blob):
                written.append(WrittenFile(path: path, blob: blob, stat: try workingTree.write(bytes, to: path)))
            case let .blob(blob):
                let bytes = try repository.blobContent(blob)
                written.append(WrittenFile(path: path, blob: blob, stat: try workingTree.write(bytes, to: path)))
            case .absent:
                try workingTree.delete(path)
                written.append(WrittenFile(path: path, blob: nil, stat: nil))
            }
        }
        return written
    }

    private func recordInIndex(_ files: [WrittenFile]) {
        for file in files {
            do {
                if let blob = file.blob, let info = file.stat {
                    try index.set(file.path, blob: blob, stat: info)
                } else {
                    try index.remove(file.path)
                }
            } catch {
                logger.warning("could not update the index for \(file.path): \(error)")
            }
        }
    }

    /// Puts paths back to what HEAD holds, after a failed write touched them.
    func restoreWorkingTree(_ paths: [String]) {
        for path in paths {
            do {
                try restoreFromHead(path)
                pendingRepairs.remove(path)
            } catch {
                pendingRepairs.insert(path)
                logger.error("could not restore \(path) to HEAD after a failed write (will retry): \(error)")
            }
        }
    }

    /// Makes one working-tree path equal to HEAD's (writing or deleting it) and indexes it.
    func restoreFromHead(_ path: String) throws {
        if let headTree, let entry = try repository.entry(at: path, inTree: headTree), !entry.isTree {
            let bytes = try repository.blobContent(entry.id)
            let info = try workingTree.write(bytes, to: path)
            try index.set(path, blob: entry.id, stat: info)
        } else {
            try workingTree.delete(path)
            try index.remove(path)
        }
    }

    /// Removes a lock file a crashed process left behind; true when one was removed.
    func removeStaleLock(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let age = Double(time(nil) - info.st_mtim.tv_sec)
        let limit = Double(options.staleLockAge.components.seconds)
        guard age >= limit else { return false }
        guard unlink(path) == 0 else { return false }
        logger.warning("removed stale lock \(path) (\(Int(age)) s old, left by a crashed process)")
        return true
    }
}

/// A `git_signature` for the duration of a commit.
final class GitSignature {
    let pointer: UnsafeMutablePointer<git_signature>

    init(_ signature: Signature) throws {
        var out: UnsafeMutablePointer<git_signature>?
        try gitCheck(
            git_signature_now(&out, GitSignature.clean(signature.name), GitSignature.clean(signature.email)),
            "create signature"
        )
        pointer = out!
    }

    deinit { git_signature_free(pointer) }

    /// git refuses `<`, `>` and newlines in names and emails.
    static func clean(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.filter { !"<>\n\r\0".unicodeScalars.contains($0) })
            .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "unknown" : cleaned
    }
}
