import Foundation
import GitStore
import SCIM

/// `scimgit revert COMMIT…`: undoes chosen commits as one new commit, keeping every later
/// unrelated change. Each file the commits touched goes back to what it was before the
/// oldest of them — unless a later commit (not chosen) touched the same resource: then
/// nothing is changed and the conflicting resources are named.
///
/// A group's `group.json` changes with every membership change (its `meta.lastModified`);
/// when that is the only later difference, the group's attributes are still reverted
/// (with a fresh `lastModified`) rather than reported as a conflict.
public struct Revert: Sendable {
    let store: GitStore
    let registry: SchemaRegistry

    public init(store: GitStore, registry: SchemaRegistry = .standard) {
        self.store = store
        self.registry = registry
    }

    /// Resources a later change touched, so reverting would lose it.
    public struct Conflict: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String {
            "cannot revert: later commits changed the same resources; nothing was changed:\n"
                + problems.map { "  " + $0 }.joined(separator: "\n")
        }
    }

    public struct Plan: Sendable {
        public var base: ObjectID
        public var commits: [CommitInfo]
        public var changes: [String: FileChange]
        public var subject: String
        /// Resources the revert changes, described for the person running it.
        public var lines: [String]
    }

    public func plan(_ revisions: [String]) throws -> Plan {
        guard let head = store.head else { throw GitStoreError.notFound("the store has no commits") }
        var chosen: [ObjectID: String] = [:]
        for revision in revisions {
            chosen[try store.resolve(revision)] = revision
        }
        // Oldest first, in history order: one walk from HEAD finds them all (asking for each
        // whether it is an ancestor of HEAD would walk history once per commit).
        var ordered: [CommitInfo] = []
        var remaining = Set(chosen.keys)
        try store.log(from: head) { info in
            if remaining.remove(info.id) != nil { ordered.append(info) }
            return !remaining.isEmpty
        }
        if let missing = remaining.first {
            throw GitStoreError.notFound("\(chosen[missing] ?? missing.short) is not in the history of HEAD")
        }
        if let merge = ordered.first(where: { $0.parents.count > 1 }) {
            throw GitStoreError.invalidPath("\(merge.id.short) is a merge commit; revert its parents' changes instead")
        }
        ordered.reverse()

        // Per path: the chain of (before, after) blobs the chosen commits made, oldest first.
        var chains: [String: [(commit: CommitInfo, old: ObjectID?, new: ObjectID?)]] = [:]
        // Each commit's changes are read on every core (a sync is thousands of commits).
        let commits = ordered, store = self.store
        let folders = StoreLayout.ownedFolders + [StoreSchemas.folder]
        let diffs = parallelMap(commits.count) { position in
            Result {
                try store.diff(from: commits[position].parents.first, to: commits[position].id).filter { change in
                    folders.contains { change.path.hasPrefix($0 + "/") }
                }
            }
        }
        for (info, diff) in zip(ordered, diffs) {
            for change in try diff.get() {
                if let kind = change.oldKind, kind != .file {
                    // Undoing this change would put the link (or submodule) back.
                    throw GitStoreError.notRegularFile(
                        path: change.path, what: "a \(kind == .link ? "symbolic link" : "submodule") before \(info.id.short); scimgit never writes one to the working tree")
                }
                chains[change.path, default: []].append((info, change.oldBlob, change.newBlob))
            }
        }

        var problems: [String] = []
        var changes: [String: FileChange] = [:]
        var lines: [String] = []
        let now = SCIMDateTime(timeIntervalSince1970: Date().timeIntervalSince1970).description
        // What HEAD holds at each path, looked up on every core (a path's lookup reads the
        // trees on its way: thousands for a sync).
        let paths = chains.keys.sorted()
        let found = parallelMap(paths.count) { position in Result { try store.entry(at: paths[position], in: head)?.blob } }
        var currentBlobs: [String: ObjectID] = [:]
        for (path, blob) in zip(paths, found) { currentBlobs[path] = try blob.get() }
        for path in paths {
            let chain = chains[path]!
            let entry = StoreLayout.entry(at: path)
            guard entry != nil || StoreSchemas.isSchemaPath(path) else { continue }
            let current = currentBlobs[path]
            let expected = chain.last!.new
            let target = chain.first!.old
            let gap = zip(chain.dropFirst(), chain).contains { $0.old != $1.new }
            if current == expected && !gap {
                if current != target { changes[path] = target.map { .restore($0) } ?? .delete }
                continue
            }
            // A schema declaration changed again later: the later change would be lost.
            guard let entry else {
                problems.append("schema file \(path) (changed again later)")
                continue
            }
            // group.json whose only later change is meta (membership bumps): merge.
            if case let .resource(kind, _) = entry, kind.holdsMembers, !gap, let current, let expected,
               let currentDocument = try? document(current), let expectedDocument = try? document(expected),
               withoutMeta(currentDocument) == withoutMeta(expectedDocument) {
                if let target, case var .object(restored) = try document(target), case let .object(latest) = currentDocument {
                    var meta = latest["meta"]?.objectValue ?? [:]
                    meta["lastModified"] = .string(now)
                    restored["meta"] = .object(meta)
                    changes[path] = .write(JSONValue.object(restored).serialized(.canonical))
                } else if target == nil {
                    changes[path] = .delete
                }
                continue
            }
            problems.append(describe(entry, path: path, head: head))
        }
        guard problems.isEmpty else { throw Conflict(problems: Array(Set(problems)).sorted()) }

        // The result must still hold together: no membership of a missing resource.
        problems += try referentialProblems(changes, head: head, current: currentBlobs)
        guard problems.isEmpty else { throw Conflict(problems: problems) }

        // Each line names its resource, read from HEAD: on every core.
        let described = changes.sorted(by: { $0.key < $1.key })
        let revert = self
        for line in parallelMap(described.count, { position in Result { try revert.describe(described[position].key, described[position].value, head: head) } }) {
            lines.append(try line.get())
        }
        let subjects = ordered.map { CommitMessage.quote($0.subject, limit: 120) }
        var subject = ordered.count == 1 ? "Revert \"\(subjects[0])\"" : "Revert \(ordered.count) commits: " + subjects.joined(separator: ", ")
        if subject.count > 160 { subject = String(subject.prefix(157)) + "…" }
        return Plan(base: head, commits: ordered, changes: changes, subject: subject, lines: lines.filter { !$0.isEmpty })
    }

    public func apply(_ plan: Plan, by identity: CLIIdentity) throws -> ObjectID? {
        guard !plan.changes.isEmpty else { return nil }
        var message = CommitMessage(
            subject: plan.subject,
            trailers: [(CommitMessage.operationKey, "REVERT")] + plan.commits.map { ("SCIM-Reverts", $0.id.hex) } + [(CommitMessage.clientKey, identity.client)])
        message.addLines(plan.commits.map { "Reverts \($0.id.short) \($0.subject)" } + (plan.lines.isEmpty ? [] : [""] + plan.lines))
        return try store.write { session in
            guard session.head == plan.base else {
                throw GitStoreError.concurrentUpdate("the store changed since the revert was planned; run it again")
            }
            return try session.commit([CommitSpec(changes: plan.changes, message: message.text, author: identity.signature)]).first ?? nil
        }
    }

    // MARK: - Checks

    private func referentialProblems(_ changes: [String: FileChange], head: ObjectID, current: [String: ObjectID]) throws -> [String] {
        var problems: [String] = []
        var groupFiles: [String]?
        func membershipsOf(_ member: String) throws -> [String] {
            if groupFiles == nil { groupFiles = try store.files(at: head, under: ResourceKind.group.folder).map(\.path) }
            return groupFiles!.filter {
                if case let .membership(_, candidate) = StoreLayout.entry(at: $0) { return candidate == member }
                return false
            }
        }
        func existsAfter(_ path: String) throws -> Bool {
            if let change = changes[path] {
                if case .delete = change { return false }
                return true
            }
            return try store.blob(at: path, in: head) != nil
        }
        for (path, change) in changes {
            switch StoreLayout.entry(at: path) {
            case let .membership(group, member):
                if case .delete = change { continue }
                if try !existsAfter(ResourceKind.group.path(of: group)) {
                    problems.append("group \(group) no longer exists, so membership of \(member) cannot come back")
                }
                if try !ResourceKind.all.contains(where: { try existsAfter($0.path(of: member)) }) {
                    problems.append("member \(member) of group \(group) no longer exists (deleted later)")
                }
            case let .resource(kind, id):
                guard case .delete = change else { continue }
                let resource = CommitMessage.quote(name(of: kind, id, head: head) ?? id)
                for membership in try membershipsOf(id) where changes[membership] == nil {
                    var group = membership
                    if case let .membership(groupID, _) = StoreLayout.entry(at: membership) {
                        group = CommitMessage.quote(name(of: .group, groupID, head: head) ?? groupID)
                    }
                    problems.append("\(kind.noun) \(resource) was added to group \(group) later (\(membership)); remove it from the group first")
                }
                guard kind.holdsMembers else { continue }
                for file in try store.files(at: head, under: StoreLayout.membersFolder(ofGroup: id)) where changes[file.path] == nil {
                    problems.append("\(kind.noun) \(resource) got members later (\(file.path))")
                }
            case nil:
                continue
            }
        }
        // Names restored or changed must still be unique. A resource that has its restored
        // name at HEAD already holds it (a rollback of deactivations restores no name):
        // only the others are looked up among every resource. Read on every core.
        let restores: [(path: String, blob: ObjectID, kind: ResourceKind, id: String)] = changes.compactMap { path, change in
            guard case let .restore(blob) = change, case let .resource(kind, id)? = StoreLayout.entry(at: path) else { return nil }
            return (path, blob, kind, id)
        }
        let reader = store
        let restoredNames = parallelMap(restores.count) { position -> String? in
            let restore = restores[position]
            func name(_ blob: ObjectID?) -> String? {
                blob.flatMap { try? JSONValue.parse(reader.readBlob($0)) }?[restore.kind.nameAttribute]?.stringValue
            }
            guard let restored = name(restore.blob) else { return nil }
            return name(current[restore.path])?.lowercased() == restored.lowercased() ? nil : restored
        }
        var names: [ResourceKind: [String: String]] = [:]
        for (restore, name) in zip(restores, restoredNames) {
            if let name { names[restore.kind, default: [:]][name.lowercased()] = restore.id }
        }
        guard !names.isEmpty else { return problems.sorted() }
        // Who holds those names now (through the index snapshot: not a read of every user).
        let holders = try ResourceNames(store: store).holders(of: Set(names.values.flatMap(\.keys)), at: head)
        for (kind, wanted) in names {
            for (name, other) in wanted {
                for holder in holders[name] ?? [] where holder.kind == kind && holder.id != other && changes[kind.path(of: holder.id)] == nil {
                    let shown = try ResourceNames(store: store).name(of: kind, holder.id, at: head) ?? name
                    problems.append("\(kind.nameAttribute) \(CommitMessage.quote(shown)) is now used by \(kind.noun) \(holder.id); \(other) cannot get it back")
                }
            }
        }
        return problems.sorted()
    }

    private func describe(_ entry: StoreLayout.Entry, path: String, head: ObjectID) -> String {
        switch entry {
        case let .resource(kind, id): return "\(kind.noun) \(CommitMessage.quote(name(of: kind, id, head: head) ?? id)) (\(path))"
        case let .membership(group, member):
            let groupName = name(of: .group, group, head: head) ?? group
            return "membership of \(member) in group \(CommitMessage.quote(groupName)) (\(path))"
        }
    }

    private func describe(_ path: String, _ change: FileChange, head: ObjectID) throws -> String {
        if StoreSchemas.isSchemaPath(path) {
            let file = String(path.dropFirst(StoreSchemas.folder.count + 1))
            let urn = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
            if case .delete = change { return "remove schema \(CommitMessage.quote(urn, limit: 200))" }
            return "\(try store.blob(at: path, in: head) == nil ? "restore" : "revert") schema \(CommitMessage.quote(urn, limit: 200))"
        }
        switch StoreLayout.entry(at: path) {
        case let .resource(kind, id):
            let verb: String
            switch change {
            case .delete: verb = "remove"
            case .write: return "" // a group whose lastModified follows the membership changes listed
            default: verb = try store.blob(at: path, in: head) == nil ? "restore" : "revert"
            }
            return "\(verb) \(kind.noun) \(CommitMessage.quote(try restoredName(path, change, key: kind.nameAttribute, head: head) ?? id))"
        case let .membership(group, member):
            let memberName = ResourceKind.all.lazy.compactMap { name(of: $0, member, head: head) }.first ?? member
            let groupName = name(of: .group, group, head: head) ?? group
            if case .delete = change { return "- member \(CommitMessage.quote(memberName)) of group \(CommitMessage.quote(groupName))" }
            return "+ member \(CommitMessage.quote(memberName)) of group \(CommitMessage.quote(groupName))"
        case nil:
            return ""
        }
    }

    private func restoredName(_ path: String, _ change: FileChange, key: String, head: ObjectID) throws -> String? {
        switch change {
        case let .restore(blob): return try document(blob)[key]?.stringValue
        case let .write(bytes): return (try? JSONValue.parse(bytes))?[key]?.stringValue
        case .delete: return name(of: path, key: key, head: head)
        }
    }

    private func name(of kind: ResourceKind, _ id: String, head: ObjectID) -> String? {
        name(of: kind.path(of: id), key: kind.nameAttribute, head: head)
    }

    private func name(of path: String, key: String, head: ObjectID) -> String? {
        guard let bytes = try? store.read(path, at: head), let value = try? JSONValue.parse(bytes) else { return nil }
        return value[key]?.stringValue
    }

    private func document(_ blob: ObjectID) throws -> JSONValue {
        (try? JSONValue.parse(store.readBlob(blob))) ?? .object([:])
    }

    private func withoutMeta(_ document: JSONValue) -> JSONValue {
        guard case var .object(object) = document else { return document }
        object["meta"] = nil
        return .object(object)
    }
}
