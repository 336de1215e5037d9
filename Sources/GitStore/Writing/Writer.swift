import CLibgit2
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Everything the store's single writer owns: the writing `git_repository`, the in-memory
/// index, and the commit HEAD is known to be at. Only used with the store's write lock held.
final class Writer {
    let root: String
    let gitDirectory: String
    let branchReference: String
    let options: GitStoreOptions
    let workingTree: WorkingTree
    private(set) var repository: Repository
    let index: IndexCache
    let fileSystem: FileSystemSync
    var logger: Logger { options.logger }

    /// The commit the branch points at, as far as this writer knows.
    var head: ObjectID?
    var headTree: ObjectID?
    /// What HEAD's files looked like when `head` was last confirmed.
    var fingerprint: HeadFingerprint
    /// Working-tree paths a failed write could not put back; retried before the next write.
    var pendingRepairs: Set<String> = []
    /// Loose objects written since the store was last packed.
    var looseObjects = 0

    init(root: String, gitDirectory: String, options: GitStoreOptions) throws {
        self.root = root
        self.gitDirectory = gitDirectory
        self.options = options
        self.workingTree = WorkingTree(root: root)
        let repository = try Repository(path: root)
        self.repository = repository
        index = try IndexCache(repository: repository)
        fileSystem = try FileSystemSync(path: gitDirectory)
        branchReference = try Writer.branchReference(of: repository)
        head = try repository.headCommit()
        headTree = try head.map { try repository.treeID(ofCommit: $0) }
        fingerprint = HeadFingerprint.read(gitDirectory: gitDirectory, branchReference: branchReference)
    }

    deinit {
        fileSystem.close()
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
        git_repository_set_index(fresh.pointer, index.rawPointer)
        repository = fresh
    }

    func inject(_ step: WriteStep) throws {
        try options.faultInjector?(step)
    }
}
