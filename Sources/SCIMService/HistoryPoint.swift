import SCIM

/// A point in a store's history a read is answered as of: `asOf=` (a commit id, a
/// snapshot's name, or a time as `scimgit log` takes it) or `Accept-Datetime` (RFC 7089).
public enum HistoryPoint: Sendable, Hashable {
    /// As the client wrote it: the store decides whether it is a commit, a snapshot or a time.
    case named(String)
    /// Seconds since 1970 (UTC): the last commit at or before it.
    case time(Int64)
}

/// The store as it was at one commit: a read-only `ResourceService` whose answers are what
/// the API said then (filters, projection, `groups`/`members`, `meta.version`).
public struct HistoricalService: Sendable {
    public var service: any ResourceService
    /// The commit's full id.
    public var commit: String
    /// When it was committed (seconds since 1970): the `Memento-Datetime` of the answers.
    public var committedAt: Int64

    public init(service: any ResourceService, commit: String, committedAt: Int64) {
        self.service = service
        self.commit = commit
        self.committedAt = committedAt
    }
}
