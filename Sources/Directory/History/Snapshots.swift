import Foundation
import GitStore

/// Snapshots are annotated git tags, so `git tag`, `git diff NAME HEAD` and every git UI
/// see them.
public struct Snapshots {
    let store: GitStore

    public init(store: GitStore) {
        self.store = store
    }

    public struct Snapshot: Sendable {
        public var name: String
        public var time: Date?
        public var commit: ObjectID
        public var message: String
        public var users: Int
        public var groups: Int
    }

    @discardableResult
    public func create(_ name: String, message: String?, by identity: CLIIdentity) throws -> Snapshot {
        let text = message ?? "Snapshot \(name)"
        let tag = try store.createTag(name, message: text, tagger: identity.signature)
        return try snapshot(tag)
    }

    public func list() throws -> [Snapshot] {
        try store.tags().map(snapshot).sorted { ($0.time ?? .distantPast, $0.name) < ($1.time ?? .distantPast, $1.name) }
    }

    public func delete(_ name: String) throws {
        try store.deleteTag(name)
    }

    /// How many users and groups the store holds at a commit.
    public func counts(at commit: ObjectID) throws -> (users: Int, groups: Int) {
        var counts: [ResourceKind: Int] = [:]
        for kind in ResourceKind.all {
            for file in try store.files(at: commit, under: kind.folder) {
                if case .resource? = StoreLayout.entry(at: file.path) { counts[kind, default: 0] += 1 }
            }
        }
        return (counts[.user] ?? 0, counts[.group] ?? 0)
    }

    private func snapshot(_ tag: TagInfo) throws -> Snapshot {
        let (users, groups) = try counts(at: tag.target)
        let time = try tag.time ?? store.commitInfo(tag.target).time
        return Snapshot(
            name: tag.name, time: time, commit: tag.target,
            message: tag.message.trimmingCharacters(in: .whitespacesAndNewlines), users: users, groups: groups
        )
    }
}
