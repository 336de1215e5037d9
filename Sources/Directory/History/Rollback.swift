import Foundation
import GitStore
import SCIM

/// `scimgit rollback --to REV`: one new commit whose users and groups equal REV's. History
/// is never rewritten — the bad sync stays in the log, followed by the rollback — and a
/// running server serves the restored state on its next request.
public struct Rollback {
    let store: GitStore
    let registry: SchemaRegistry

    public init(store: GitStore, registry: SchemaRegistry = .standard) {
        self.store = store
        self.registry = registry
    }

    public struct Plan: Sendable {
        /// HEAD when planned; applying fails if it moved since.
        public var base: ObjectID
        public var target: ObjectID
        public var label: String
        /// What the rollback changes (HEAD → target).
        public var diff: StoreDiff
        public var subject: String
    }

    public func plan(to revision: String) throws -> Plan {
        guard let head = store.head else { throw GitStoreError.notFound("the store has no commits") }
        let target = try store.resolve(revision)
        guard try store.isAncestor(target, of: head) else {
            throw GitStoreError.notFound("\(revision) is not in the history of HEAD")
        }
        // A link (or submodule) in the target would have to be written to the working tree.
        if let link = try store.diff(from: head, to: target).first(where: { ($0.newKind ?? .file) != .file }) {
            throw GitStoreError.notRegularFile(
                path: link.path, what: "a \(link.newKind == .link ? "symbolic link" : "submodule") in \(revision) (scimgit never writes one to the working tree; roll back to a commit without it)")
        }
        let diff = try HistoryDiff(store: store, registry: registry).diff(from: head, to: target)
        let label = revision.hasPrefix(target.short) || target.hex.hasPrefix(revision) ? target.short : "\(revision) (\(target.short))"
        let subject = "Roll back to \(label): " + Rollback.summary(diff)
        return Plan(base: head, target: target, label: label, diff: diff, subject: subject)
    }

    /// Commits the plan. Nil when the store already equals the target.
    public func apply(_ plan: Plan, by identity: CLIIdentity) throws -> ObjectID? {
        guard !plan.diff.isEmpty else { return nil }
        var message = CommitMessage(subject: plan.subject, trailers: [
            (CommitMessage.operationKey, "ROLLBACK"), ("SCIM-Rollback-To", plan.target.hex), (CommitMessage.clientKey, identity.client),
        ])
        message.addLines(DiffFormatter.text(plan.diff).split(separator: "\n"))
        return try store.write { session in
            guard session.head == plan.base else {
                throw GitStoreError.concurrentUpdate("the store changed since the rollback was planned; run it again")
            }
            return try session.restore(treeOf: plan.target, message: message.text, author: identity.signature)
        }
    }

    /// `reactivate 20 users, restore group Engineering`: what applying a diff does, in words.
    static func summary(_ diff: StoreDiff) -> String {
        var parts: [String] = []
        func phrase(_ verb: String, _ changes: [ResourceChange], _ noun: String) {
            guard !changes.isEmpty else { return }
            parts.append(changes.count == 1 ? "\(verb) \(noun) \(CommitMessage.quote(changes[0].name))" : "\(verb) \(changes.count) \(noun)s")
        }
        for kind in ResourceKind.all {
            let noun = kind.noun
            let changes = diff.changes.filter { $0.kind == kind }
            phrase("restore", changes.filter { $0.change == .added }, noun)
            phrase("remove", changes.filter { $0.change == .removed }, noun)
            let modified = changes.filter { $0.change == .modified }
            func activeFlip(_ change: ResourceChange, to value: Bool) -> Bool {
                change.attributes.contains { $0.path == "active" && ($0.after?.boolValue ?? true) == value && ($0.before?.boolValue ?? true) != value }
            }
            let reactivated = modified.filter { activeFlip($0, to: true) }
            let deactivated = modified.filter { activeFlip($0, to: false) }
            phrase("reactivate", reactivated, noun)
            phrase("deactivate", deactivated, noun)
            let ids = Set((reactivated + deactivated).map(\.id))
            phrase("restore", modified.filter { !ids.contains($0.id) }, noun)
        }
        for change in diff.schemas {
            let verb = change.change == .added ? "restore" : change.change == .removed ? "remove" : "restore"
            parts.append("\(verb) schema \(CommitMessage.quote(change.urn, limit: 120))")
        }
        return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
    }
}
