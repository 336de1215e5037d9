import CLibgit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The write path: a batch of specs becomes a chain of commits (one per spec), made
/// durable together by one pack and one flush, before the branch moves once.
///
/// A batch's objects are created in memory and written as one pack holding exactly them
/// (the blobs, the trees on the changed paths, the commits; see `PackFileWriter`): two
/// files per batch instead of six loose objects per commit. A failed write leaves no trace: its objects never reach
/// disk, or its pack is removed again. Packs are merged in the background (`Repacker`).
extension Writer {
    /// What a batch leaves at one path once all its commits are applied.
    private enum FinalState {
        case bytes([UInt8], ObjectID)
        case blob(ObjectID)
        /// A link or submodule in the committed tree (only a past tree restored as is can
        /// hold one): never written to the working tree.
        case notAFile(EntryKind)
        case absent

        var isAbsent: Bool {
            if case .absent = self { return true }
            return false
        }
    }

    /// Commits each spec as its own commit, in order, all or nothing. Returns each spec's
    /// commit id, or nil for a spec that changed nothing.
    func commit(_ specs: [CommitSpec]) throws -> [ObjectID?] {
        var results: [ObjectID?] = []
        var parent = head
        var tree = headTree
        var newObjects: [PackFileWriter.Object] = []
        var finalStates: [String: FinalState] = [:]
        var lastSubject = ""
        var touchedWorkingTree = false
        let started = ContinuousClock.now
        do {
            for spec in specs {
                let (commit, newTree, objects, states) = try stage(spec, parent: parent, tree: tree)
                results.append(commit)
                guard let commit else { continue }
                newObjects.append(contentsOf: objects)
                if finalStates.isEmpty {
                    finalStates = states
                } else {
                    for (path, state) in states { finalStates[path] = state }
                }
                parent = commit
                tree = newTree
                lastSubject = spec.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            }
            guard let newHead = parent, newHead != head, let tree else { return results }
            if finalStates.count >= LargeBatch.parallelFrom {
                logger.debug("commit of \(finalStates.count) files: blobs, trees and commits made in memory in \(ContinuousClock.now - started)")
            }
            try finish(newHead: newHead, newTree: tree, newObjects: newObjects, finalStates: finalStates, subject: lastSubject, touched: &touchedWorkingTree)
            return results
        } catch {
            discardUnwrittenObjects()
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
        for change in changes {
            switch change.newKind {
            case nil: finalStates[change.path] = .absent
            case .file?: finalStates[change.path] = .blob(change.newBlob!)
            case let kind?:
                // Whoever owns the working tree would have to materialise it: never.
                throw GitStoreError.notRegularFile(path: change.path, what: "a \(kind == .link ? "symbolic link" : "submodule") in the tree to restore")
            }
        }
        var touchedWorkingTree = false
        do {
            var objects = ObjectWriter(repository: repository, memory: memoryBackend, trees: treeCache, index: index)
            let commit = try objects.commit(tree: tree, parent: head, author: author, committer: .scimgit, message: message)
            let subject = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            try finish(newHead: commit, newTree: tree, newObjects: objects.written, finalStates: finalStates, subject: subject, touched: &touchedWorkingTree)
            return commit
        } catch {
            discardUnwrittenObjects()
            if touchedWorkingTree { restoreWorkingTree(Array(finalStates.keys)) }
            throw error
        }
    }

    /// The steps every write shares once its commits exist in memory: the objects go to disk
    /// as one pack, the working tree follows, one flush makes both durable, the branch
    /// moves, one more flush.
    private func finish(
        newHead: ObjectID, newTree: ObjectID, newObjects: [PackFileWriter.Object], finalStates: [String: FinalState],
        subject: String, touched: inout Bool
    ) throws {
        let started = ContinuousClock.now
        // Where a large batch (an import, a big rollback) spends its time, for whoever asks.
        let large = finalStates.count >= LargeBatch.parallelFrom
        func step(_ name: String) {
            if large { logger.debug("commit of \(finalStates.count) files: \(name) after \(ContinuousClock.now - started)") }
        }
        try inject(.objects)
        let pack = try writePack(newObjects)
        step("pack written")
        var written: [WrittenFile] = []
        var movingBranch = false
        do {
            if ownsWorkingTree {
                try inject(.workingTree)
                touched = true
                written = try applyToWorkingTree(finalStates)
                step("working tree written")
            }
            // Objects (and files) on disk before the branch can point at them.
            if options.durability == .durable { try fileSystem.sync() }
            step("flushed")

            try inject(.reference)
            movingBranch = true
            try moveBranch(to: newHead, message: "scimgit: \(subject)")
        } catch {
            if movingBranch, (try? repository.headCommit()) == newHead {
                // The branch did move (the failure came after): the batch is committed.
                logger.warning("moving \(branchReference) reported \(error), but it points at \(newHead.short): committed")
            } else {
                // Before the branch step nothing can refer to the batch's pack: remove it, so a
                // failed write leaves no trace. Once the step began, libgit2 may already have
                // logged the new commit in the reflog: keep the (unreferenced) pack then.
                if !movingBranch { deletePack(pack.name) }
                throw error
            }
        }
        if options.durability == .durable { try fileSystem.sync() }
        discardUnwrittenObjects()

        head = newHead
        headTree = newTree
        fingerprint = HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: branchReference)
        if ownsWorkingTree { recordInIndex(written) }
        step("branch moved, index updated")
        lastCommittedPaths = Array(finalStates.keys)
        packsWritten += 1
        remember(pack)
        try? inject(.committed)
    }

    /// Builds one commit from a spec on top of `parent`, its objects in memory. Returns the
    /// commit (nil when nothing changes), its tree, the objects it created, and what each
    /// path ends up holding.
    private func stage(
        _ spec: CommitSpec, parent: ObjectID?, tree: ObjectID?
    ) throws -> (ObjectID?, ObjectID?, [PackFileWriter.Object], [String: FinalState]) {
        var objects = ObjectWriter(repository: repository, memory: memoryBackend, trees: treeCache, index: index)
        var updates: [ObjectWriter.Update] = []
        var states: [String: FinalState] = [:]
        let changes = spec.changes.sorted(by: { $0.key < $1.key })
        updates.reserveCapacity(changes.count)
        states.reserveCapacity(changes.count)
        // A large batch's blob ids (a hash of every byte) on every core.
        let blobIDs = changes.count >= LargeBatch.parallelFrom
            ? try LargeBatch.run(changes.count) { position -> ObjectID? in
                guard case let .write(bytes) = changes[position].value else { return nil }
                return ObjectID.hashing(bytes, type: GIT_OBJECT_BLOB)
            }
            : []
        for (position, (path, change)) in changes.enumerated() {
            try StorePaths.validate(path)
            let components = path.split(separator: "/")
            switch change {
            case let .write(bytes):
                let blob = try objects.blob(bytes, id: blobIDs.isEmpty ? nil : blobIDs[position])
                updates.append(ObjectWriter.Update(path: components, blob: blob))
                states[path] = .bytes(bytes, blob)
            case let .restore(blob):
                updates.append(ObjectWriter.Update(path: components, blob: blob))
                states[path] = .blob(blob)
            case .delete:
                guard let tree, try repository.entry(at: path, inTree: tree) != nil else { continue }
                updates.append(ObjectWriter.Update(path: components, blob: nil))
                states[path] = .absent
            }
        }
        guard !updates.isEmpty else { return (nil, tree, [], [:]) }
        let newTree = try objects.tree(base: tree, updates: updates) ?? objects.emptyTree()
        if newTree == tree { return (nil, tree, [], [:]) }
        let commit = try objects.commit(tree: newTree, parent: parent, author: spec.author, committer: .scimgit, message: spec.message)
        return (commit, newTree, objects.written, states)
    }

    /// Writes exactly the batch's new objects as one pack (no re-packing of the store).
    /// Returns the pack's name. The objects stay in memory until the branch has moved (its
    /// check that the new commit exists finds it there); libgit2 notices the pack itself
    /// the first time it misses an object in it, so no pack folder rescan per batch.
    private func writePack(_ objects: [PackFileWriter.Object]) throws -> RecentPack {
        let started = ContinuousClock.now
        let packed = try PackFileWriter.pack(objects)
        if objects.count >= LargeBatch.parallelFrom { logger.debug("pack of \(objects.count) objects: compressed in \(ContinuousClock.now - started)") }
        var pack = RecentPack(name: "", objects: packed)
        // Kept from `git repack` while this writer may still merge it.
        let keep = pack.size <= Writer.largestPackToMerge ? PackKeeps.message : nil
        pack.name = try PackFileWriter.write(packed, to: StorePaths.packFolder(gitDirectory: gitDirectory), keep: keep)
        return pack
    }

    /// Removes a pack this writer just wrote (and makes libgit2 forget it).
    private func deletePack(_ name: String) {
        let folder = StorePaths.packFolder(gitDirectory: gitDirectory)
        for suffix in [".idx", ".pack", ".rev", PackKeeps.suffix] { unlink(StorePaths.join(folder, name + suffix)) }
        do { try reopenRepository() } catch { logger.error("could not reopen the repository after removing a pack: \(error)") }
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
        // Removals first: a path that was a file (or a link) may become a folder.
        let ordered = states.sorted { ($0.value.isAbsent ? 0 : 1, $0.key) < ($1.value.isAbsent ? 0 : 1, $1.key) }
        if ordered.count >= LargeBatch.parallelFrom {
            return try applyInParallel(ordered)
        }
        for (position, (path, state)) in ordered.enumerated() {
            if position == ordered.count / 2 { try inject(.halfOfWorkingTree) }
            written.append(try apply(path, state))
        }
        return written
    }

    private func apply(_ path: String, _ state: FinalState) throws -> WrittenFile {
        switch state {
        case let .bytes(bytes, blob):
            return WrittenFile(path: path, blob: blob, stat: try workingTree.write(bytes, to: path))
        case let .blob(blob):
            let bytes = try repository.blobContent(blob)
            return WrittenFile(path: path, blob: blob, stat: try workingTree.write(bytes, to: path))
        case .absent:
            try workingTree.delete(path)
            return WrittenFile(path: path, blob: nil, stat: nil)
        case let .notAFile(kind):
            throw GitStoreError.notRegularFile(path: path, what: "a \(kind == .link ? "symbolic link" : "submodule") in the tree being committed")
        }
    }

    /// A large batch (an import, a big rollback): on these file systems creating a file
    /// costs more kernel time than everything else a write does, so the new contents are
    /// written from one thread per core, each over its own run of sorted paths (its own
    /// folders). What needs the repository (blobs to read) or the spare inodes stays on
    /// this thread. Without spares: a new file is created in place, a replaced one is
    /// renamed over, as a spare would be.
    private func applyInParallel(_ ordered: [(key: String, value: FinalState)]) throws -> [WrittenFile] {
        var written: [WrittenFile] = []
        var contents: [(path: String, bytes: [UInt8], blob: ObjectID)] = []
        for (path, state) in ordered {
            if case let .bytes(bytes, blob) = state { contents.append((path, bytes, blob)) } else { written.append(try apply(path, state)) }
        }
        let plain = WorkingTree(root: workingTree.root)
        let half = contents.count / 2
        for range in [0..<half, half..<contents.count] {
            if range.lowerBound == half { try inject(.halfOfWorkingTree) }
            written += try LargeBatch.run(range.count, context: { LastFolder() }) { position, last in
                let file = contents[range.lowerBound + position]
                return WrittenFile(path: file.path, blob: file.blob, stat: try plain.writeInBatch(file.bytes, to: file.path, last: &last))
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
    /// A link or submodule in HEAD is left as it is: never written, never followed.
    func restoreFromHead(_ path: String) throws {
        let entry = try headTree.flatMap { try repository.entry(at: path, inTree: $0) }
        switch entry?.kind {
        case .file?:
            let bytes = try repository.blobContent(entry!.id)
            let info = try workingTree.write(bytes, to: path)
            try index.set(path, blob: entry!.id, stat: info)
        case .link?, .submodule?:
            logger.error("\(path) is a \(entry?.kind == .link ? "symbolic link" : "submodule") in HEAD; scimgit leaves it alone (see scimgit verify)")
        case nil:
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

    /// git refuses `<`, `>` and newlines in names and emails; other control characters
    /// would reach every `git log` a person reads.
    static func clean(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.filter { !"<>".unicodeScalars.contains($0) && !CharacterSet.controlCharacters.contains($0) })
            .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "unknown" : cleaned
    }
}
