import Foundation
import Logging
import Synchronization

/// Keeps a git remote (`serve --mirror URL`) equal to this store: its branch and its tags
/// (the snapshots), pushed from a thread of its own after each batch of writes is
/// committed (and durable, when writes are), several batches coalescing into one push.
/// A slow or dead remote delays no write: the push waits, retries with backoff (1 s
/// doubling to a minute), and its lag grows. Never forced: a remote whose branch holds
/// commits this store lacks has diverged, and the mirror stops instead of overwriting it.
public final class StoreMirror: Sendable {
    public struct Status: Sendable {
        /// The URL without its user part.
        public var remote: String
        /// Commits of HEAD the remote does not have yet (as of the last attempt).
        public var lagCommits = 0
        /// Since when HEAD has had commits the remote lacks (nil: it is up to date).
        public var behindSince: Date?
        public var pushes = 0
        public var failures = 0
        public var lastError: String?
        /// Why the mirror stopped for good (the remote diverged), nil while it runs.
        public var stopped: String?

        public var lagSeconds: Double { behindSince.map { max(0, Date().timeIntervalSince($0)) } ?? 0 }
    }

    private let store: GitStore
    private let url: String
    private let access: RemoteAccess
    private let logger: Logger
    private let state: Mutex<Status>
    private let loop = BackgroundLoop(name: "scimgit-mirror")
    /// How often HEAD is looked at between pushes.
    private let poll: TimeInterval
    /// The least time from one push's start to the next: under a stream of writes, one push
    /// a second carries everything committed meanwhile, and pushing costs a bounded share
    /// of the machine (about a quarter of a core at 100,000 users).
    private let interval: TimeInterval

    public init(store: GitStore, url: String, access: RemoteAccess, logger: Logger, poll: TimeInterval = 0.1, interval: TimeInterval = 1) {
        self.store = store
        self.url = url
        self.access = access
        self.logger = logger
        self.poll = poll
        self.interval = interval
        state = Mutex(Status(remote: RemoteAccess.redacted(url)))
    }

    public var status: Status { state.withLock { $0 } }

    public func start() {
        loop.start { [self] in run() }
    }

    /// Stops after one last push (at most `deadline` for it), so a clean stop leaves the
    /// remote equal to the store when it can be reached.
    public func stop(deadline: Duration = .seconds(5)) {
        loop.stop(deadline: deadline)
    }

    private func run() {
        let repository: Repository
        do {
            repository = try Repository(path: store.gitDirectory)
        } catch {
            state.withLock { $0.stopped = "cannot open the store: \(error)" }
            logger.error("mirror \(RemoteAccess.redacted(url)): cannot open the store: \(error)")
            return
        }
        var pushedHead: ObjectID??  // nil: nothing pushed yet in this run
        var pushedTags: [String: ObjectID]?
        var backoff: TimeInterval = 1
        var lastFailureLogged: Date?
        while true {
            let finalRound = loop.stopping
            let head = store.head
            let tags = (try? repository.references(under: "refs/tags/")) ?? [:]
            if pushedHead.map({ $0 == head }) != true || pushedTags != tags {
                state.withLock { status in
                    if status.behindSince == nil { status.behindSince = Date() }
                    status.lagCommits = head.map { (try? repository.commitsAhead($0, of: pushedHead ?? nil)) ?? 0 } ?? 0
                }
                let started = Date()
                do {
                    try push(repository, head: head, tags: tags, previous: pushedTags)
                    pushedHead = .some(head)
                    pushedTags = tags
                    backoff = 1
                    if lastFailureLogged != nil {
                        logger.notice("mirror \(RemoteAccess.redacted(url)): caught up at \(head?.short ?? "nothing")")
                        lastFailureLogged = nil
                    }
                    state.withLock { status in
                        status.pushes += 1
                        status.lagCommits = 0
                        status.lastError = nil
                        // Caught up only if nothing landed while pushing.
                        status.behindSince = self.store.head == head ? nil : started
                    }
                    let wait = interval - Date().timeIntervalSince(started)
                    if wait > poll, !finalRound { loop.sleep(wait) }
                } catch let rejected as PushRejected {
                    let reason = "\(rejected); scimgit never force-pushes: make the remote equal to this store by hand (or give a new, empty one), then restart"
                    state.withLock { $0.stopped = reason; $0.lastError = reason }
                    logger.error("mirror \(RemoteAccess.redacted(url)) stopped: \(reason)")
                    return
                } catch {
                    let message = "\(error)"
                    state.withLock { $0.failures += 1; $0.lastError = message }
                    // Logged on the first failure and then once a minute, not at every retry.
                    if lastFailureLogged.map({ Date().timeIntervalSince($0) >= 60 }) ?? true {
                        logger.warning("mirror \(RemoteAccess.redacted(url)): push failed, retrying with backoff (writes go on): \(message)")
                        lastFailureLogged = Date()
                    }
                    if finalRound { return }
                    loop.sleep(backoff)
                    backoff = min(backoff * 2, 60)
                    continue
                }
            }
            if finalRound { return }
            loop.sleep(poll)
        }
    }

    private func push(_ repository: Repository, head: ObjectID?, tags: [String: ObjectID], previous: [String: ObjectID]?) throws {
        var refspecs: [String] = []
        if head != nil { refspecs.append("\(store.branchReference):\(store.branchReference)") }
        // Tags are the primary's snapshots: forced (a snapshot deleted and taken again
        // under its name moves), and removed from the remote when removed here.
        for (name, target) in tags where previous?[name] != target { refspecs.append("+\(name):\(name)") }
        for name in (previous ?? [:]).keys where tags[name] == nil { refspecs.append(":\(name)") }
        guard !refspecs.isEmpty else { return }
        if CommandLinePush.handles(url) {
            try CommandLinePush.push(root: store.root, url: url, refspecs: refspecs, access: access)
        } else {
            try repository.push(to: url, refspecs: refspecs, access: access)
        }
    }
}
