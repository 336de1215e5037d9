import CLibgit2
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Everything the store's single writer owns: the writing `git_repository` (with an
/// in-memory object database in front of the on-disk one, so a batch's objects reach disk
/// as one pack), the in-memory index, and the commit HEAD is known to be at. Only used with
/// the store's write lock held.
final class Writer {
    let root: String
    let gitDirectory: String
    let branchReference: String
    let options: GitStoreOptions
    let workingTree: WorkingTree
    private(set) var repository: Repository
    private(set) var objectDatabase: OpaquePointer
    private(set) var memoryBackend: UnsafeMutablePointer<git_odb_backend>
    let index: IndexCache
    /// Parsed trees the next commits will build on.
    let treeCache = TreeCache()
    let fileSystem: FileSystemSync
    var logger: Logger { options.logger }

    /// The commit the branch points at, as far as this writer knows.
    var head: ObjectID?
    var headTree: ObjectID?
    /// What HEAD's files looked like when `head` was last confirmed.
    var fingerprint: HeadFingerprint
    /// Working-tree paths a failed write could not put back; retried before the next write.
    var pendingRepairs: Set<String> = []
    /// Packs written since the pack count was last checked.
    var packsWritten = 0
    /// This writer's small packs not merged yet (see `Writer+PackMerge`).
    var recentPacks: [RecentPack] = []
    /// Whether this process owns the working tree for the current write (`WorkingTreeOwner`):
    /// only then are files written and the index updated; otherwise a write only adds
    /// commits and moves the branch, and the owner follows.
    var ownsWorkingTree = false
    /// The paths the last batch changed.
    var lastCommittedPaths: [String] = []

    init(root: String, gitDirectory: String, workingTree: WorkingTree, options: GitStoreOptions) throws {
        self.root = root
        self.gitDirectory = gitDirectory
        self.options = options
        self.workingTree = workingTree
        let repository = try Repository(path: root)
        self.repository = repository
        (objectDatabase, memoryBackend) = try Writer.attachMemoryBackend(to: repository)
        index = try IndexCache(repository: repository)
        fileSystem = try FileSystemSync(path: gitDirectory)
        branchReference = try Writer.branchReference(of: repository)
        head = try repository.headCommit()
        headTree = try head.map { try repository.treeID(ofCommit: $0) }
        fingerprint = HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: branchReference)
    }

    deinit {
        git_odb_free(objectDatabase)
        fileSystem.close()
    }

    /// New objects go to memory first; a batch's objects reach disk as one pack. (Loose
    /// objects would be six new files per commit, and deleting them again when packing
    /// makes every later file creation on ext4 slow for seconds.)
    private static func attachMemoryBackend(to repository: Repository) throws -> (OpaquePointer, UnsafeMutablePointer<git_odb_backend>) {
        let odb = try repository.odb()
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try gitCheck(git_mempack_new(&backend), "create in-memory object database")
        // The odb owns the backend from here on; highest priority, so writes land in it.
        try gitCheck(git_odb_add_backend(odb, backend, 1000), "attach in-memory object database")
        return (odb, backend!)
    }

    /// The branch HEAD names (`refs/heads/main`).
    private static func branchReference(of repository: Repository) throws -> String {
        var head: OpaquePointer?
        try gitCheck(git_reference_lookup(&head, repository.pointer, "HEAD"), "read HEAD")
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else {
            throw GitStoreError.invalidPath("HEAD is detached; scimgit writes to a branch (git checkout main)")
        }
        return String(cString: target)
    }

    /// Drops the cached repository and opens it again, keeping the index: after packs were
    /// replaced on disk, so libgit2 stops holding handles to deleted files.
    func reopenRepository() throws {
        let fresh = try Repository(path: root)
        let (odb, backend) = try Writer.attachMemoryBackend(to: fresh)
        index.attach(to: fresh, retiring: repository)
        git_odb_free(objectDatabase)
        repository = fresh
        objectDatabase = odb
        memoryBackend = backend
    }

    /// Empties the in-memory object database: the batch's objects are in its pack on disk by
    /// now, or will never be committed.
    func discardUnwrittenObjects() {
        git_mempack_reset(memoryBackend)
    }

    func inject(_ step: WriteStep) throws {
        try options.faultInjector?(step)
    }
}
