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
        if StoreLayout.isValidID(lowered) {
            return ResourceKind.all.map { $0.folder(of: lowered) }
        }
        guard let head = store.head else { return nil }
        if let found = try resourceNamedFromSnapshot(argument, head: head) ?? resourceNamedScanningEveryFile(argument, head: head) {
            return [found]
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

    /// The folder of the resource named `argument` at `head`, found through the index
    /// snapshot: the names it recorded, and the files changed since its commit read again.
    /// The outer nil: no snapshot to go by (or it is of a commit no longer there); the
    /// inner: no resource of that name at `head`.
    private func resourceNamedFromSnapshot(_ argument: String, head: ObjectID) throws -> String?? {
        let snapshotPath = IndexSnapshot.path(gitDirectory: store.gitDirectory)
        guard let (snapshotHead, named) = IndexSnapshot.resources(named: argument, from: snapshotPath),
              let changes = try? store.diff(from: snapshotHead, to: head) else { return nil }
        var changed: [ResourceKind: Set<String>] = [:]
        for change in changes {
            if case let .resource(kind, id)? = StoreLayout.entry(at: change.path) { changed[kind, default: []].insert(id) }
        }
        for kind in ResourceKind.all {
            // Named so at the snapshot and unchanged since: named so now.
            if let unchanged = named.first(where: { $0.kind == kind && changed[kind]?.contains($0.id) != true }) {
                return .some(kind.folder(of: unchanged.id))
            }
            let candidates = named.filter { $0.kind == kind }.map(\.id) + (changed[kind] ?? []).sorted()
            for id in candidates where try name(of: kind, id, at: head).map({ $0.lowercased() == argument.lowercased() }) == true {
                return .some(kind.folder(of: id))
            }
        }
        return .some(nil)
    }

    /// The same by reading every resource at `head` (a store without a snapshot).
    private func resourceNamedScanningEveryFile(_ argument: String, head: ObjectID) throws -> String? {
        let lowered = argument.lowercased()
        // A plain ASCII name appears as is in the file's text: test that before parsing.
        let textTest = argument.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        for kind in ResourceKind.all {
            for file in try store.files(at: head, under: kind.folder) {
                guard case let .resource(_, id)? = StoreLayout.entry(at: file.path) else { continue }
                guard file.kind == .file, let bytes = try? store.readBlob(file.blob) else { continue }
                if textTest, !(String(bytes: bytes, encoding: .utf8)?.lowercased().contains(lowered) ?? false) { continue }
                // Whole names only (and NFC and NFD forms of one name are one name).
                if let name = (try? JSONValue.parse(bytes))?[kind.nameAttribute]?.stringValue, name.lowercased() == lowered {
                    return kind.folder(of: id)
                }
            }
        }
        return nil
    }

    private func name(of kind: ResourceKind, _ id: String, at head: ObjectID) throws -> String? {
        guard let entry = try store.entry(at: kind.path(of: id), in: head), entry.kind == .file,
              let bytes = try? store.readBlob(entry.blob) else { return nil }
        return (try? JSONValue.parse(bytes))?[kind.nameAttribute]?.stringValue
    }
}
