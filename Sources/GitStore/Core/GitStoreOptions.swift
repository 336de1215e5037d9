import Logging

/// How hard a commit tries to be on disk before it is acknowledged.
public enum Durability: String, Sendable, CaseIterable {
    /// A commit returns only once its objects, the branch ref and its working-tree files are
    /// on disk: a batch's objects and files are flushed with one `syncfs`, then the ref
    /// moves and is flushed again, so the ref never points at objects that are not on disk.
    case durable
    /// No flushes: the OS writes back when it likes. A power loss can lose the last
    /// seconds of acknowledged writes (a process crash cannot: the data is in the page cache).
    case fast
}

/// A point in the write path where a test may inject a failure (a full disk, a read-only
/// store) to show that a failed write leaves nothing half-written.
public enum WriteStep: String, Sendable {
    case objects, workingTree, halfOfWorkingTree, reference, index
    /// After the branch moved: the batch is committed (a failure here is ignored).
    case committed
}

/// Settings of an open store.
public struct GitStoreOptions: Sendable {
    public var durability: Durability
    /// How long a writer waits for the store's lock (held by another process or a plain
    /// `git` command) before giving up with `GitStoreError.busy`.
    public var lockTimeout: Duration
    /// How long after the last write the index file is written, so `git status` is clean.
    public var indexFlushDelay: Duration
    /// Lock files (`index.lock`, a ref's `.lock`) older than this are treated as left by a
    /// crashed process and removed (and logged).
    public var staleLockAge: Duration
    /// Merge packs with a background `git repack` once there are more than this many (each
    /// batch of writes adds one). `Int.max` never repacks.
    public var repackThreshold: Int
    /// Open without repairing anything and refuse writes: for commands that only read
    /// (`scimgit log`, `diff`) beside a running server.
    public var readOnly: Bool
    /// Own the working tree for the life of the store (`scimgit serve`; see
    /// `WorkingTreeOwner`): writes always update it, a HEAD moved by another process is
    /// followed, and a second such process is refused. Otherwise (the command line) the
    /// working tree is changed only when no server owns it.
    public var servesWorkingTree: Bool
    /// Who this process is, shown to a server waiting for the working tree (`scimgit rollback`).
    public var processName: String
    /// How long a server waits to own a working tree a command holds for a write (nil: as
    /// long as it takes; a tenant opened for a request waits `lockTimeout` and answers 503).
    public var ownershipTimeout: Duration?
    public var logger: Logger
    /// Called before each step of the write path; throwing simulates a failure there.
    public var faultInjector: (@Sendable (WriteStep) throws -> Void)?

    public init(
        durability: Durability = .durable,
        lockTimeout: Duration = .seconds(5),
        indexFlushDelay: Duration = .milliseconds(500),
        staleLockAge: Duration = .seconds(10),
        repackThreshold: Int = 32,
        readOnly: Bool = false,
        servesWorkingTree: Bool = false,
        processName: String = "scimgit",
        ownershipTimeout: Duration? = nil,
        logger: Logger = Logger(label: "scimgit.gitstore"),
        faultInjector: (@Sendable (WriteStep) throws -> Void)? = nil
    ) {
        self.durability = durability
        self.lockTimeout = lockTimeout
        self.indexFlushDelay = indexFlushDelay
        self.staleLockAge = staleLockAge
        self.repackThreshold = repackThreshold
        self.readOnly = readOnly
        self.servesWorkingTree = servesWorkingTree
        self.processName = processName
        self.ownershipTimeout = ownershipTimeout
        self.logger = logger
        self.faultInjector = faultInjector
    }
}
