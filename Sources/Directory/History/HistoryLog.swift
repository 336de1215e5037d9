import Foundation
import GitStore
import SCIM

/// One line of `scimgit log`: a commit in the words of an identity admin.
public struct LogEntry: Sendable {
    public var id: ObjectID
    public var time: Date
    /// The SCIM client (token name) that sent the write, or the commit's author for
    /// commits made by hand.
    public var client: String
    public var subject: String
    public var operation: String?
    public var resource: String?

    init(id: ObjectID, time: Date, client: String, subject: String, operation: String?, resource: String?) {
        self.id = id
        self.time = time
        self.client = client
        self.subject = subject
        self.operation = operation
        self.resource = resource
    }

    public init(_ info: CommitInfo) {
        id = info.id
        time = info.time
        let trailers = SCIMTrailers(info)
        client = trailers[CommitMessage.clientKey] ?? info.author.name
        subject = info.subject
        operation = trailers[CommitMessage.operationKey]
        resource = trailers[CommitMessage.resourceKey]
    }

    public var json: [String: Any] {
        var out: [String: Any] = ["commit": id.hex, "time": ISO8601DateFormatter().string(from: time), "client": client, "subject": subject]
        if let operation { out["operation"] = operation }
        if let resource { out["resource"] = resource }
        return out
    }
}

/// Reads history newest first, filtered by time, client, and resource.
public struct HistoryLog {
    let store: GitStore

    public init(store: GitStore) {
        self.store = store
    }

    public struct Query: Sendable {
        public var limit: Int?
        public var since: Date?
        public var until: Date?
        public var client: String?
        /// Only commits touching these paths (a resource's file or folder).
        public var paths: [String]?

        public init(limit: Int? = nil, since: Date? = nil, until: Date? = nil, client: String? = nil, paths: [String]? = nil) {
            self.limit = limit
            self.since = since
            self.until = until
            self.client = client
            self.paths = paths
        }
    }

    public func entries(_ query: Query) throws -> [LogEntry] {
        var out: [LogEntry] = []
        try store.log(paths: query.paths) { info in
            if let since = query.since, info.time < since { return false } // newest first: nothing older can match
            if let until = query.until, info.time > until { return true }
            let entry = LogEntry(info)
            if let client = query.client, entry.client.caseInsensitiveCompare(client) != .orderedSame { return true }
            out.append(entry)
            if let limit = query.limit, out.count >= limit { return false }
            return true
        }
        return out
    }

    /// The paths a `--resource` argument stands for: an id (user or group), or a whole
    /// userName or group displayName as it is now — or, for a deleted resource, as a
    /// commit's `SCIM-Name` trailer recorded it (commits made before that trailer existed
    /// are found by id).
    public func paths(forResource argument: String) throws -> [String]? {
        let lowered = argument.lowercased()
        guard let head = store.head else { return StoreLayout.isValidID(lowered) ? ResourceKind.all.map { $0.folder(of: lowered) } : nil }
        if StoreLayout.isValidID(lowered) {
            // The kind holding the id now is the only one to follow: each path's Bloom filter
            // false positives cost a comparison of trees. A deleted id may have been either.
            if let kind = try ResourceKind.all.first(where: { try store.entry(at: $0.path(of: lowered), in: head)?.kind == .file }) {
                return [kind.folder(of: lowered)]
            }
            return ResourceKind.all.map { $0.folder(of: lowered) }
        }
        if let found = try ResourceNames(store: store).holder(of: lowered, at: head) {
            return [found.kind.folder(of: found.id)]
        }
        // Deleted since: find the commit that named it.
        var found: [String]?
        let quoted = CommitMessage.quote(argument, limit: 256).lowercased()
        try store.log { info in
            let trailers = SCIMTrailers(info)
            guard trailers[CommitMessage.nameKey]?.lowercased() == quoted, let resource = trailers[CommitMessage.resourceKey] else { return true }
            let parts = resource.split(separator: "/")
            guard parts.count == 2, let kind = ResourceKind.named(String(parts[0])), StoreLayout.isValidID(String(parts[1])) else { return true }
            found = [kind.folder(of: String(parts[1]))]
            return false
        }
        return found
    }
}
