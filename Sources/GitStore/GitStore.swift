import CLibgit2
import Foundation
import Files
import Logging

/// A git repository used as a database: every write is exactly one commit on the branch,
/// the working tree always shows the branch's files, and history stays plain git that any
/// git tool can read. Knows nothing of what the files mean.
///
/// Thread-safe. Writes are serialised by a lock that also holds across processes (the
/// server and a CLI command on the same store never interleave); reads of the working
/// tree take no lock at all.
public final class GitStore: @unchecked Sendable {
    /// The working tree's root.
    public let root: String
    /// The `.git` folder.
    public let gitDirectory: String
    public let options: GitStoreOptions

    let lock: StoreLock
    private let owner: WorkingTreeOwner?
    let writer: Writer
    let readers: ReaderPool
    private let workingTree: WorkingTree
    private let metadata: MetadataPaths
    private let ownedFolders: [String]?
    private let state = NSLock()
    private var knownHead: ObjectID?
    private var knownFingerprint: HeadFingerprint
    private var isClosed = false
    private var flusher: IndexFlusher?
    private let branchPath: String
    let repacker: Repacker
    private let commitGraph: CommitGraphCache
    private var repairs = RecoveryReport()
    /// The paths of the last write made while another process owned the working tree.
    private var deferredPaths: [String] = []

    private var logger: Logger { options.logger }
    private var packFolder: String { StorePaths.packFolder(gitDirectory: gitDirectory) }

    /// What taking over the working tree repaired (empty for a clean store): at open for a
    /// server, at the first write that owned it for a command.
    public var recovery: RecoveryReport { state.withLock { repairs } }

    // MARK: - Opening

    /// Creates a non-bare repository at `path` (branch `main`) whose first commit holds
    /// `initialFiles`, and opens it.
    public static func create(
        at path: String, initialFiles: [String: [UInt8]], message: String,
        author: Signature = .scimgit, options: GitStoreOptions = GitStoreOptions()
    ) throws -> GitStore {
        Libgit2Runtime.start()
        var initOptions = git_repository_init_options()
        git_repository_init_options_init(&initOptions, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        initOptions.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var repository: OpaquePointer?
        let code = "main".withCString { branch in
            initOptions.initial_head = branch
            return git_repository_init_ext(&repository, path, &initOptions)
        }
        if code == GIT_EEXISTS.rawValue { throw GitStoreError.invalidPath("\(path) is already a git repository") }
        try gitCheck(code, "create repository at \(path)")
        git_repository_free(repository)
        let store = try GitStore(path: path, ownedFolders: nil, options: options)
        if !initialFiles.isEmpty {
            _ = try store.commit(changes: initialFiles.mapValues { .write($0) }, message: message, author: author)
            try store.flushIndex()
        }
        return store
    }

    /// Opens an existing store. A server (`options.servesWorkingTree`) takes the working
    /// tree over at once, repairing what a crash left behind (see `recovery`).
    /// `ownedFolders`: folders whose uncommitted files recovery may delete (nil: all).
    public static func open(
        at path: String, ownedFolders: [String]? = nil, options: GitStoreOptions = GitStoreOptions()
    ) throws -> GitStore {
        try GitStore(path: path, ownedFolders: ownedFolders, options: options)
    }

    private init(path: String, ownedFolders: [String]?, options: GitStoreOptions) throws {
        Libgit2Runtime.start()
        let probe = try Repository(path: path)
        guard let workdir = git_repository_workdir(probe.pointer) else {
            throw GitStoreError.invalidPath("\(path) is a bare repository; scimgit needs a working tree")
        }
        var root = String(cString: workdir)
        if root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        var gitDirectory = String(cString: git_repository_path(probe.pointer))
        if gitDirectory.count > 1 && gitDirectory.hasSuffix("/") { gitDirectory.removeLast() }
        self.root = root
        self.gitDirectory = gitDirectory
        self.options = options
        self.ownedFolders = ownedFolders
        metadata = MetadataPaths(gitDirectory: gitDirectory)
        lock = try StoreLock(gitDirectory: gitDirectory)
        readers = ReaderPool(path: root)
        repacker = Repacker(root: root, logger: options.logger)
        commitGraph = CommitGraphCache(gitDirectory: gitDirectory)
        let owner = options.readOnly ? nil : try WorkingTreeOwner(metadata: metadata, logger: options.logger)
        self.owner = owner
        if options.servesWorkingTree { try owner?.takeForServing(timeout: options.ownershipTimeout) }
        // Spare inodes only for a server: they belong to whoever owns the tree for long.
        let spares = options.servesWorkingTree && !options.readOnly ? try SpareFiles(folder: metadata.spareFolder) : nil
        var tree = try WorkingTree(root: root)
        tree.spares = spares
        workingTree = tree
        writer = try Writer(root: root, gitDirectory: gitDirectory, workingTree: tree, options: options)
        branchPath = StorePaths.join(gitDirectory, writer.branchReference)
        if !options.readOnly { PackKeeps.removeStale(in: StorePaths.packFolder(gitDirectory: gitDirectory)) }
        knownHead = writer.head
        knownFingerprint = writer.fingerprint
        if options.servesWorkingTree && !options.readOnly {
            try lock.withLock(timeout: options.lockTimeout) { try takeOverWorkingTree() }
            let flusher = IndexFlusher(interval: options.indexFlushDelay) { [weak self] in self?.flushIndexIfIdle() }
            self.flusher = flusher
            flusher.start()
            prefetchIndex()
        } else if let owner, owner.take(as: options.processName) {
            // A command on a store no server owns repairs it at once, as a server would.
            try lock.withLock(timeout: options.lockTimeout) {
                try takeOverWorkingTree()
                giveUpWorkingTree()
            }
        }
        publishHead()
    }

    deinit {
        flusher?.stop()
        owner?.release()
    }

    /// Called with the writer lock held, by a process that has just become the owner of
    /// the working tree: follows HEAD, then compares the tree with it unless a clean stop
    /// at this very HEAD vouches for it (the marker is consumed either way, so a crash
    /// from here on is noticed by the next owner).
    @discardableResult
    private func takeOverWorkingTree() throws -> HeadMove? {
        writer.ownsWorkingTree = true
        let move = try writer.adoptExternalHead()
        let clean = CleanShutdownMarker(metadata: metadata)
        let wasClean = clean.consume(matching: writer.head)
        let report = try writer.recover(ownedFolders: ownedFolders, full: !wasClean)
        // Comparing every file parsed every tree of HEAD into the handle's object cache
        // (hundreds of MB at a million files): a fresh handle lets them go.
        if !wasClean { try writer.reopenRepository() }
        if !report.isEmpty {
            logger.warning("recovered store \(root): removed locks \(report.removedLocks), restored \(report.restoredPaths.count) files, removed \(report.removedFiles.count) uncommitted files")
        }
        state.withLock {
            repairs.removedLocks += report.removedLocks
            repairs.restoredPaths += report.restoredPaths
            repairs.removedFiles += report.removedFiles
        }
        return move
    }

    /// Called with the writer lock held, by the owner giving the working tree up: writes
    /// the index and records a clean stop at HEAD, but only when every change it made to
    /// the tree completed (no repair pending) and the index reached the disk. On a full
    /// disk nothing fails: the next owner checks every file instead.
    private func giveUpWorkingTree(treeFollowsHead: Bool = true) {
        defer {
            writer.ownsWorkingTree = false
            owner?.release()
        }
        var vouched = treeFollowsHead && writer.pendingRepairs.isEmpty
        if writer.index.isDirty {
            do {
                try writer.index.write()
            } catch {
                vouched = false
                logger.warning("could not write .git/index (\(error)); the next start compares every file with HEAD instead")
            }
        }
        if vouched { CleanShutdownMarker(metadata: metadata).record(writer.head, logger: logger) }
    }

    /// Writes the index and stops background work. Writes after `close` throw. A server
    /// first follows a HEAD another process moved, so what it leaves behind is HEAD.
    public func close() throws {
        state.lock()
        let wasClosed = isClosed
        isClosed = true
        state.unlock()
        guard !wasClosed, !options.readOnly else { return }
        flusher?.stop()
        repacker.wait()
        handOverRecentPacks()
        guard options.servesWorkingTree else { return }
        try lock.withLock(timeout: options.lockTimeout) {
            var followed = true
            do {
                _ = try writer.adoptExternalHead()
            } catch {
                logger.warning("could not follow HEAD before stopping (\(error)); the next start compares every file")
                followed = false
            }
            giveUpWorkingTree(treeFollowsHead: followed)
        }
        publishHead()
    }

    // MARK: - Writing

    /// Runs `body` as the store's only writer (in this and every other process). Before
    /// `body` runs, a HEAD moved by someone else is adopted and reported in
    /// `session.headMove`; the caller brings its own view of the data up to date with it.
    ///
    /// The working tree and index change only when this process owns them: a server
    /// always does; a command does when no server runs (for this write only). Otherwise the
    /// write adds its commits and moves the branch, and the server follows (see
    /// `waitForWorkingTree`).
    public func write<T>(_ body: (WriteSession) throws -> T) throws -> T {
        try ensureOpen()
        return try lock.withLock(timeout: options.lockTimeout) {
            try waitForGitIndexLock()
            let serving = options.servesWorkingTree
            let owning = serving || owner?.take(as: options.processName) == true
            let takenOver = owning && !serving ? try takeOverWorkingTree() : nil
            defer { if owning && !serving { giveUpWorkingTree() } }
            writer.ownsWorkingTree = owning
            let move = try takenOver ?? writer.adoptExternalHead()
            if owning { repairPendingPaths() }
            if repacker.takeFinished() {
                // Packs may have been replaced: stop holding handles to deleted files.
                try writer.reopenRepository()
                readers.invalidate()
            }
            let session = WriteSession(writer: writer, headMove: move)
            defer { publishHead() }
            let before = writer.head
            let result = try body(session)
            if !owning && writer.head != before { state.withLock { deferredPaths = writer.lastCommittedPaths } }
            // Also while git repack runs: it leaves the packs to be merged alone (`PackKeeps`).
            if writer.mergeRecentPacksIfDue() { readers.invalidate() }
            if writer.packsWritten >= 8 {
                writer.packsWritten = 0
                if Repacker.countPacks(gitDirectory: gitDirectory) > options.repackThreshold, !repacker.isRunning {
                    PackKeeps.removeStale(in: packFolder)
                    repacker.start()
                }
            }
            return result
        }
    }

    /// After a write made while a server owned the working tree: waits (at most
    /// `timeout`) until the working tree shows HEAD at the paths it changed — the server
    /// follows a moved HEAD within a second. When no server owns the tree any more, this
    /// process brings the tree to HEAD itself. False when the wait ran out.
    public func waitForWorkingTree(timeout: Duration) -> Bool {
        let paths = state.withLock { deferredPaths }
        guard !paths.isEmpty else { return true }
        let deadline = ContinuousClock.now + timeout
        while true {
            if (try? workingTreeShowsHead(paths)) == true {
                state.withLock { deferredPaths = [] }
                return true
            }
            if let owner, owner.take(as: options.processName) {
                owner.release()
                if (try? write { _ in }) != nil, (try? workingTreeShowsHead(paths)) == true {
                    state.withLock { deferredPaths = [] }
                    return true
                }
            }
            if ContinuousClock.now >= deadline { return false }
            usleep(50_000)
        }
    }

    private func workingTreeShowsHead(_ paths: [String]) throws -> Bool {
        try readers.with { repository in
            guard let head = try repository.headCommit() else { return true }
            let tree = try repository.treeID(ofCommit: head)
            for path in paths {
                let entry = try repository.entry(at: path, inTree: tree)
                if let kind = entry?.kind, kind != .file { continue }
                let actual = (try? workingTree.read(path)).flatMap { $0.map { ObjectID.blob(hashing: $0) } }
                if actual != entry?.id { return false }
            }
            return true
        }
    }

    /// One write, one commit (nil when the changes change nothing).
    @discardableResult
    public func commit(changes: [String: FileChange], message: String, author: Signature) throws -> ObjectID? {
        try write { session in
            try session.commit([CommitSpec(changes: changes, message: message, author: author)]).first ?? nil
        }
    }

    /// Merges the packs this process wrote since the last merge into one, when there are
    /// two or more. For a store that went quiet (`DirectoryWriter` asks ten seconds after
    /// its last write): a server of many tenants would otherwise
    /// keep, per tenant, up to fifteen small packs mapped by every repository handle and
    /// their bytes in memory (held for the next merge) for as long as the tenant is open.
    /// Does nothing when another writer holds the store.
    public func mergeRecentPacks() {
        guard (try? ensureOpen()) != nil else { return }
        _ = try? lock.withLock(timeout: .milliseconds(5)) {
            if writer.mergeRecentPacksIfDue(minimum: 2) { readers.invalidate() }
        }
    }

    /// Merges packs (and packs any loose objects) now, and waits until that is done.
    public func repack() {
        repacker.wait()
        handOverRecentPacks()
        repacker.start()
        repacker.wait()
    }

    /// Merges what this process still meant to merge itself, and gives it to git repack
    /// (at close, or before a repack asked for: no merge of ours will come first).
    private func handOverRecentPacks() {
        guard !writer.recentPacks.isEmpty else { return }
        _ = try? lock.withLock(timeout: options.lockTimeout) {
            if writer.mergeRecentPacksIfDue(minimum: 2) { readers.invalidate() }
            writer.releaseRecentPacks()
        }
    }

    /// Writes `.git/index` now (only the owner of the working tree keeps one in memory).
    public func flushIndex() throws {
        try lock.withLock(timeout: options.lockTimeout) {
            if writer.index.isDirty && (options.servesWorkingTree || owner?.isOwner == true) { try writer.index.write() }
        }
    }

    /// Reads `.git/index` on a thread of its own, under the writer lock, so the first
    /// write does not wait for it and the server's own indexes load meanwhile (at a
    /// million files both take seconds, and they use different cores).
    private func prefetchIndex() {
        let thread = Thread { [weak self] in
            guard let self else { return }
            try? lock.withLock(timeout: options.lockTimeout) { writer.index.prefetch() }
        }
        thread.name = "scimgit index read"
        thread.start()
    }

    /// Begins the write holding the writer lock and runs it without (see `IndexCache`):
    /// writes go on meanwhile. (The first write after `.git/index` was read runs under the
    /// lock.)
    private func flushIndexIfIdle() {
        let now = ContinuousClock.now
        do {
            let index = writer.index
            // Waits a little for the lock: under constant writes it is free only between
            // batches, and beginning a write holds it for a moment only.
            let begun = try lock.withLock(timeout: .milliseconds(100)) { () -> Bool in
                guard index.isDirty else { return false }
                let idle = now - index.lastChange >= options.indexFlushDelay
                let overdue = index.dirtySince.map { now - $0 >= .seconds(5) } ?? false
                guard idle || overdue else { return false }
                if index.beginBackgroundWrite() { return true }
                try index.write()
                logger.debug("wrote .git/index under the writer lock in \(ContinuousClock.now - now)")
                return false
            }
            if begun {
                try index.writeInBackground()
                logger.debug("wrote .git/index beside the writer in \(ContinuousClock.now - now)")
            }
        } catch let error as GitStoreError where error.isBusy {
            // A writer or plain git holds a lock: try again on the next tick.
        } catch let error as GitStoreError where error.isStorageFull {
            // A full disk: the index stays in memory and is written once there is room.
            logIndexFailureOnce(error)
        } catch {
            logger.warning("could not write the index (will retry): \(error)")
        }
    }

    private var loggedIndexFailure = false

    private func logIndexFailureOnce(_ error: GitStoreError) {
        guard !loggedIndexFailure else { return }
        loggedIndexFailure = true
        logger.warning("could not write .git/index (\(error)); it is kept in memory and written once there is room")
    }

    /// A plain git command holding `.git/index.lock` is changing the working tree or index
    /// (a `git revert`, a `git commit`): writing beside it could interleave, so wait. (Not
    /// for our own background write of the index: git cannot hold the lock meanwhile.)
    private func waitForGitIndexLock() throws {
        let path = StorePaths.join(gitDirectory, "index.lock")
        let deadline = ContinuousClock.now + options.lockTimeout
        while access(path, F_OK) == 0 && !writer.index.isWritingInBackground {
            if writer.removeStaleLock(path) { return }
            if ContinuousClock.now >= deadline { throw GitStoreError.busy("\(path) is held by another git process") }
            usleep(5_000)
        }
    }

    private func repairPendingPaths() {
        guard !writer.pendingRepairs.isEmpty else { return }
        writer.restoreWorkingTree(Array(writer.pendingRepairs))
    }

    private func publishHead() {
        state.lock()
        knownHead = writer.head
        knownFingerprint = writer.fingerprint
        state.unlock()
    }

    func ensureOpen() throws {
        state.lock()
        defer { state.unlock() }
        if isClosed { throw GitStoreError.closed }
        if options.readOnly { throw GitStoreError.invalidPath("the store was opened read-only") }
    }

    // MARK: - HEAD

    /// The commit the branch is at, as of this process's last write or check.
    public var head: ObjectID? {
        state.lock()
        defer { state.unlock() }
        return knownHead
    }

    /// Cheap (three `stat` calls): whether HEAD's files changed since this process last
    /// looked. When true, a `write { }` (even an empty one) adopts and reports the move.
    public func headMayHaveMoved() -> Bool {
        state.lock()
        let fingerprint = knownFingerprint
        state.unlock()
        if let branch = fingerprint.branch, HeadFingerprint.stamp(branchPath) == branch { return false }
        return HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: writer.branchReference) != fingerprint
    }

    // MARK: - Reading

    /// A working-tree file's bytes (nil when absent). No lock: files are replaced atomically.
    public func readWorkingFile(_ path: String) throws -> [UInt8]? {
        try StorePaths.validate(path)
        return try workingTree.read(path)
    }

    /// Every file the index tracks (after opening: exactly HEAD's files), optionally only
    /// under a folder. Reads the in-memory index: ~10 ms for 100k files, no tree walk.
    public func trackedPaths(under prefix: String? = nil) throws -> [String] {
        try trackedFiles(under: prefix).map(\.path)
    }

    /// Like `trackedPaths`, with each file's blob id.
    public func trackedFiles(under prefix: String? = nil) throws -> [(path: String, blob: ObjectID)] {
        try lock.withLock(timeout: options.lockTimeout) { writer.index.files(under: prefix) }
    }

    /// The absolute path of a working-tree file.
    public func absolutePath(_ path: String) -> String { workingTree.absolute(path) }

    /// A file's bytes at a commit (nil when the path does not exist there).
    public func read(_ path: String, at commit: ObjectID) throws -> [UInt8]? {
        try readers.with { repository in
            let tree = try repository.treeID(ofCommit: commit)
            guard let blob = try repository.fileBlob(at: path, inTree: tree) else { return nil }
            return try repository.blobContent(blob)
        }
    }

    /// The blob id of the regular file at `path` in a commit (nil when absent, or when
    /// the entry there is a folder, a link or a submodule: see `entryKind`).
    public func blob(at path: String, in commit: ObjectID) throws -> ObjectID? {
        try readers.with { repository in
            try repository.fileBlob(at: path, inTree: try repository.treeID(ofCommit: commit))
        }
    }

    /// The entry at `path` in a commit, whatever it holds (nil when absent or a folder).
    public func entry(at path: String, in commit: ObjectID) throws -> TreeFile? {
        try readers.with { repository in
            guard let entry = try repository.entry(at: path, inTree: try repository.treeID(ofCommit: commit)), let kind = entry.kind else {
                return nil
            }
            return TreeFile(path: path, blob: entry.id, kind: kind)
        }
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        return try readers.with { repository in
            var a = descendant.oid
            var b = ancestor.oid
            let code = git_graph_descendant_of(repository.pointer, &a, &b)
            try gitCheck(code, "compare history")
            return code == 1
        }
    }

    public func readBlob(_ id: ObjectID) throws -> [UInt8] {
        try readers.with { try $0.blobContent(id) }
    }

    /// A commit from anything git's rev-parse takes, or an ISO-8601 time ("the last commit
    /// at or before").
    public func resolve(_ revision: String) throws -> ObjectID {
        try readers.with { try RevisionResolver.resolve(revision, in: $0) }
    }

    /// The last commit at or before `date` on the branch's first-parent history (nil: the
    /// history starts later).
    public func commit(atOrBefore date: Date) throws -> ObjectID? {
        try readers.with { try RevisionResolver.lastCommit(atOrBefore: date, in: $0) }
    }

    public func commitInfo(_ id: ObjectID) throws -> CommitInfo {
        try readers.with { repository in try repository.withCommit(id) { CommitInfo(commit: $0) } }
    }

    /// The paths whose blobs differ between two commits (nil: the empty state), optionally
    /// only under a folder.
    public func diff(from old: ObjectID?, to new: ObjectID?, under prefix: String? = nil, limit: Int = .max) throws -> [PathChange] {
        try readers.with { repository in
            let oldTree = try old.map { try repository.treeID(ofCommit: $0) }
            let newTree = try new.map { try repository.treeID(ofCommit: $0) }
            return try TreeDiff.changes(in: repository, from: oldTree, to: newTree, under: prefix, limit: limit)
        }
    }

    /// Every file under a folder at a commit, with its blob id and kind (links included:
    /// callers that read them as resources must check `kind`).
    public func files(at commit: ObjectID, under prefix: String? = nil) throws -> [TreeFile] {
        try readers.with { repository in
            try TreeDiff.files(in: repository, tree: try repository.treeID(ofCommit: commit), under: prefix)
        }
    }

    /// A flag of the store's git config (`.git/config`, e.g. `scimgit.guard`): facts
    /// about the store that must outlive scimgit's own files. Nil when unset.
    public func configFlag(_ key: String) throws -> Bool? {
        try readers.with { try $0.configFlag(key) }
    }

    public func setConfigFlag(_ key: String, _ value: Bool) throws {
        try readers.with { try $0.setConfigFlag(key, value) }
    }

    /// Walks history newest first from `start` (default HEAD); `visit` returns false to stop.
    public func log(
        from start: ObjectID? = nil, paths: [String]? = nil, limit: Int? = nil,
        _ visit: (CommitInfo) throws -> Bool
    ) throws {
        try readers.with { repository in
            guard let origin = try start ?? repository.headCommit() else { return }
            let graph = paths?.isEmpty == false ? commitGraph.graph : nil
            try CommitLog.walk(in: repository, from: origin, paths: paths, limit: limit, graph: graph, visit)
        }
    }

    // MARK: - Tags

    /// Creates an annotated tag on `target` (default HEAD).
    @discardableResult
    public func createTag(_ name: String, target: ObjectID? = nil, message: String, tagger: Signature) throws -> TagInfo {
        try write { _ in
            let repository = try Repository(path: root) // tags are written loose, outside the batch path
            guard let commit = try target ?? repository.headCommit() else { throw GitStoreError.notFound("HEAD") }
            _ = try Tags.create(in: repository, name: name, target: commit, message: message, tagger: tagger)
            if options.durability == .durable { try writer.fileSystem.sync() }
            guard let info = try Tags.info(name, in: repository) else { throw GitStoreError.notFound("tag \(name)") }
            return info
        }
    }

    public func tags() throws -> [TagInfo] {
        try readers.with { try Tags.list(in: $0) }
    }

    public func tag(named name: String) throws -> TagInfo? {
        try readers.with { try Tags.info(name, in: $0) }
    }

    public func deleteTag(_ name: String) throws {
        try write { _ in
            let repository = try Repository(path: root)
            try Tags.delete(name, in: repository)
            if options.durability == .durable { try writer.fileSystem.sync() }
        }
    }
}
