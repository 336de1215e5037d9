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

    private func snapshot(_ tag: TagInfo) throws -> Snapshot {
        let users = try store.files(at: tag.target, under: ResourceKind.user.folder).count
        let groups = try store.files(at: tag.target, under: ResourceKind.group.folder).filter { $0.path.hasSuffix("/group.json") }.count
        let time = try tag.time ?? store.commitInfo(tag.target).time
        return Snapshot(
            name: tag.name, time: time, commit: tag.target,
            message: tag.message.trimmingCharacters(in: .whitespacesAndNewlines), users: users, groups: groups
        )
    }
}
