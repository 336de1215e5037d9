import Foundation

/// What the admin console needs from a store: its history read as syncs and changes, the
/// resources as they are now, and the few changes an admin makes (roll back a sync, take a
/// snapshot, release the guard). The second contract between HTTP and storage, beside
/// `ResourceService`, so the console knows no git. Every write is a commit authored by
/// `admin`; every failure is an `AdminError` whose message is safe to show.
public protocol AdminService: Sendable {
    /// Called when an admin signs in: the moment to start reading history in the
    /// background, so a server whose console is never used never pays for it.
    func prepare()
    /// While the first reading of a long history runs: how many commits are read so far
    /// (pages then show the newest of them). nil once all of it is known.
    var historyProgress: Int? { get }
    /// Syncs newest first, of `client` (all with nil), that ended at or after `since`: the
    /// newest `limit`.
    func activity(client: String?, since: Date, limit: Int) async throws(AdminError) -> [SyncSummary]
    func sync(id: String) async throws(AdminError) -> (summary: SyncSummary, changes: ChangeSet)
    func commit(id: String) async throws(AdminError) -> (commit: CommitSummary, changes: ChangeSet)
    /// What `scimgit rollback --sync ID --dry-run` prints: the subject and one line per change.
    func previewRollback(sync: String) async throws(AdminError) -> RollbackPreview
    /// Commits the rollback; the new commit's id.
    func rollback(sync: String, by admin: String) async throws(AdminError) -> String
    /// `scimgit revert COMMIT --dry-run`, and the revert itself.
    func previewRevert(commit: String) async throws(AdminError) -> RollbackPreview
    func revert(commit: String, by admin: String) async throws(AdminError) -> String
    /// `scimgit rollback --to POINT --dry-run`, and the rollback itself.
    func previewRollback(to point: String) async throws(AdminError) -> RollbackPreview
    func rollback(to point: String, by admin: String) async throws(AdminError) -> String
    func compare(from: String, to: String) async throws(AdminError) -> (label: String, changes: ChangeSet)
    func search(_ text: String, limit: Int) async throws(AdminError) -> [ResourceRow]
    func resource(kind: String, id: String, historyLimit: Int) async throws(AdminError) -> ResourcePage
    func snapshots() async throws(AdminError) -> [SnapshotRow]
    func createSnapshot(name: String, message: String, by admin: String) async throws(AdminError) -> SnapshotRow
    func guardStatus() async throws(AdminError) -> GuardView
    func releaseGuard(for seconds: TimeInterval, by admin: String) async throws(AdminError) -> String
}

extension AdminService {
    public func prepare() {}
    public var historyProgress: Int? { nil }
}

/// A failure the console shows as it is (a conflict, an unknown id, a refused name).
public struct AdminError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public init(status: Int = 400, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }
    public static func notFound(_ message: String) -> AdminError { AdminError(status: 404, message) }
}

public struct SyncSummary: Sendable {
    public var id: String
    public var client: String
    public var start: Date
    public var end: Date
    public var writes: Int
    /// `created 3 users, deactivated 2 users, removed 14 memberships`.
    public var words: String
    public var commits: [CommitSummary]
    public init(id: String, client: String, start: Date, end: Date, writes: Int, words: String, commits: [CommitSummary]) {
        self.id = id; self.client = client; self.start = start; self.end = end; self.writes = writes; self.words = words; self.commits = commits
    }
}

public struct CommitSummary: Sendable {
    public var id: String
    public var short: String
    public var time: Date
    public var author: String
    public var client: String
    public var subject: String
    public init(id: String, short: String, time: Date, author: String, client: String, subject: String) {
        self.id = id; self.short = short; self.time = time; self.author = author; self.client = client; self.subject = subject
    }
}

/// The changes between two points, the first few hundred of them when there are more
/// (`omitted` more; `scimgit diff` shows all).
public struct ChangeSet: Sendable {
    public var changes: [ChangeView]
    public var omitted: Int
    /// More changed than `omitted` says: the rest was not even looked at.
    public var isTruncated: Bool
    public init(changes: [ChangeView], omitted: Int = 0, isTruncated: Bool = false) {
        self.changes = changes
        self.omitted = omitted
        self.isTruncated = isTruncated
    }
}

/// One resource's change, in SCIM terms (what `scimgit diff` prints for it).
public struct ChangeView: Sendable {
    public enum Kind: String, Sendable { case added, removed, modified }
    public var resourceType: String
    public var id: String
    public var name: String
    public var kind: Kind
    public var attributes: [(path: String, before: String, after: String)]
    public var membersAdded: [String]
    public var membersRemoved: [String]
    public init(resourceType: String, id: String, name: String, kind: Kind, attributes: [(path: String, before: String, after: String)], membersAdded: [String], membersRemoved: [String]) {
        self.resourceType = resourceType; self.id = id; self.name = name; self.kind = kind
        self.attributes = attributes; self.membersAdded = membersAdded; self.membersRemoved = membersRemoved
    }
}

public struct RollbackPreview: Sendable {
    public var subject: String
    public var lines: [String]
    /// Set when later commits changed the same resources: nothing can be rolled back.
    public var conflict: String?
    public init(subject: String, lines: [String], conflict: String?) {
        self.subject = subject; self.lines = lines; self.conflict = conflict
    }
}

public struct ResourceRow: Sendable {
    public var resourceType: String
    public var id: String
    public var name: String
    public var detail: String
    public init(resourceType: String, id: String, name: String, detail: String) {
        self.resourceType = resourceType; self.id = id; self.name = name; self.detail = detail
    }
}

public struct ResourcePage: Sendable {
    public var row: ResourceRow
    /// The stored document, pretty-printed JSON.
    public var document: String
    /// Its groups (a user) or members (a group).
    public var related: [ResourceRow]
    public var history: [CommitSummary]
    public init(row: ResourceRow, document: String, related: [ResourceRow], history: [CommitSummary]) {
        self.row = row; self.document = document; self.related = related; self.history = history
    }
}

public struct SnapshotRow: Sendable {
    public var name: String
    public var commit: String
    public var time: Date
    public var message: String
    public init(name: String, commit: String, time: Date, message: String) {
        self.name = name; self.commit = commit; self.time = time; self.message = message
    }
}

public struct GuardView: Sendable {
    public var holding: Bool
    /// What `scimgit guard status` prints.
    public var lines: [String]
    public var syncID: String?
    public init(holding: Bool, lines: [String], syncID: String?) {
        self.holding = holding; self.lines = lines; self.syncID = syncID
    }
}
