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
public struct Revert {
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
        var chosen: [ObjectID: CommitInfo] = [:]
        for revision in revisions {
            let id = try store.resolve(revision)
            guard try store.isAncestor(id, of: head) else { throw GitStoreError.notFound("\(revision) is not in the history of HEAD") }
            let info = try store.commitInfo(id)
            guard info.parents.count <= 1 else { throw GitStoreError.invalidPath("\(id.short) is a merge commit; revert its parents' changes instead") }
            chosen[id] = info
        }
        // Oldest first, in history order.
        var ordered: [CommitInfo] = []
        var remaining = Set(chosen.keys)
        try store.log(from: head) { info in
            if remaining.remove(info.id) != nil { ordered.append(info) }
            return !remaining.isEmpty
        }
        ordered.reverse()

        // Per path: the chain of (before, after) blobs the chosen commits made, oldest first.
        var chains: [String: [(commit: CommitInfo, old: ObjectID?, new: ObjectID?)]] = [:]
        for info in ordered {
            for folder in StoreLayout.ownedFolders {
                for change in try store.diff(from: info.parents.first, to: info.id, under: folder) {
                    if let kind = change.oldKind, kind != .file {
                        // Undoing this change would put the link (or submodule) back.
                        throw GitStoreError.notRegularFile(
                            path: change.path, what: "a \(kind == .link ? "symbolic link" : "submodule") before \(info.id.short); scimgit never writes one to the working tree")
                    }
                    chains[change.path, default: []].append((info, change.oldBlob, change.newBlob))
                }
            }
        }

        var problems: [String] = []
        var changes: [String: FileChange] = [:]
        var lines: [String] = []
        let now = SCIMDateTime(timeIntervalSince1970: Date().timeIntervalSince1970).description
        for (path, chain) in chains.sorted(by: { $0.key < $1.key }) {
            guard let entry = StoreLayout.entry(at: path) else { continue }
            let current = try store.entry(at: path, in: head)?.blob
            let expected = chain.last!.new
            let target = chain.first!.old
            let gap = zip(chain.dropFirst(), chain).contains { $0.old != $1.new }
            if current == expected && !gap {
                if current != target { changes[path] = target.map { .restore($0) } ?? .delete }
                continue
            }
            // group.json whose only later change is meta (membership bumps): merge.
            if case let .group(id) = entry, !gap, let current, let expected,
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
                _ = id
                continue
            }
            problems.append(describe(entry, path: path, head: head))
        }
        guard problems.isEmpty else { throw Conflict(problems: Array(Set(problems)).sorted()) }

        // The result must still hold together: no membership of a missing resource.
        problems += try referentialProblems(changes, head: head)
        guard problems.isEmpty else { throw Conflict(problems: problems) }

        for (path, change) in changes.sorted(by: { $0.key < $1.key }) {
            lines.append(try describe(path, change, head: head))
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

    private func referentialProblems(_ changes: [String: FileChange], head: ObjectID) throws -> [String] {
        var problems: [String] = []
        var groupFiles: [String]?
        func membershipsOf(_ member: String) throws -> [String] {
            if groupFiles == nil { groupFiles = try store.files(at: head, under: StoreLayout.groupsFolder).map(\.path) }
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
                if try !existsAfter(StoreLayout.groupPath(group)) {
                    problems.append("group \(group) no longer exists, so membership of \(member) cannot come back")
                }
                if try !existsAfter(StoreLayout.userPath(member)) && !existsAfter(StoreLayout.groupPath(member)) {
                    problems.append("member \(member) of group \(group) no longer exists (deleted later)")
                }
            case let .user(id):
                guard case .delete = change else { continue }
                for membership in try membershipsOf(id) where changes[membership] == nil {
                    let user = name(of: path, key: "userName", head: head) ?? id
                    var group = membership
                    if case let .membership(groupID, _) = StoreLayout.entry(at: membership) {
                        group = name(of: StoreLayout.groupPath(groupID), key: "displayName", head: head) ?? groupID
                    }
                    problems.append("user \(user) was added to group \(group) later (\(membership)); remove it from the group first")
                }
            case let .group(id):
                guard case .delete = change else { continue }
                for file in try store.files(at: head, under: StoreLayout.membersFolder(ofGroup: id)) where changes[file.path] == nil {
                    let group = name(of: path, key: "displayName", head: head) ?? id
                    problems.append("group \(group) got members later (\(file.path))")
                }
            case nil:
                continue
            }
        }
        // Names restored or changed must still be unique.
        var names: [MemberKind: [String: String]] = [:]
        for (path, change) in changes {
            guard case let .restore(blob) = change, let entry = StoreLayout.entry(at: path) else { continue }
            switch entry {
            case let .user(id): if let name = try document(blob)["userName"]?.stringValue { names[.user, default: [:]][name.lowercased()] = id }
            case let .group(id): if let name = try document(blob)["displayName"]?.stringValue { names[.group, default: [:]][name.lowercased()] = id }
            default: continue
            }
        }
        if !names.isEmpty {
            for (kind, wanted) in names {
                let folder = kind == .user ? StoreLayout.usersFolder : StoreLayout.groupsFolder
                let key = kind == .user ? "userName" : "displayName"
                for file in try store.files(at: head, under: folder) {
                    guard let entry = StoreLayout.entry(at: file.path) else { continue }
                    let id: String
                    switch entry {
                    case let .user(user) where kind == .user: id = user
                    case let .group(group) where kind == .group: id = group
                    default: continue
                    }
                    if changes[file.path] != nil { continue }
                    guard let name = try document(file.blob)[key]?.stringValue, let other = wanted[name.lowercased()], other != id else { continue }
                    problems.append("\(key) \(name) is now used by \(kind.rawValue.lowercased()) \(id); \(other) cannot get it back")
                }
            }
        }
        return problems.sorted()
    }

    private func describe(_ entry: StoreLayout.Entry, path: String, head: ObjectID) -> String {
        switch entry {
        case let .user(id): return "user \(CommitMessage.quote(name(of: path, key: "userName", head: head) ?? id)) (\(path))"
        case let .group(id): return "group \(CommitMessage.quote(name(of: path, key: "displayName", head: head) ?? id)) (\(path))"
        case let .membership(group, member):
            let groupName = name(of: StoreLayout.groupPath(group), key: "displayName", head: head) ?? group
            return "membership of \(member) in group \(CommitMessage.quote(groupName)) (\(path))"
        }
    }

    private func describe(_ path: String, _ change: FileChange, head: ObjectID) throws -> String {
        switch StoreLayout.entry(at: path) {
        case let .user(id):
            let verb: String
            switch change { case .delete: verb = "remove"; default: verb = try store.blob(at: path, in: head) == nil ? "restore" : "revert" }
            return "\(verb) user \(CommitMessage.quote(try restoredName(path, change, key: "userName", head: head) ?? id))"
        case let .group(id):
            let verb: String
            switch change {
            case .delete: verb = "remove"
            case .write: return "" // only its lastModified follows the membership changes listed
            default: verb = try store.blob(at: path, in: head) == nil ? "restore" : "revert"
            }
            return "\(verb) group \(CommitMessage.quote(try restoredName(path, change, key: "displayName", head: head) ?? id))"
        case let .membership(group, member):
            let memberName = name(of: StoreLayout.userPath(member), key: "userName", head: head)
                ?? name(of: StoreLayout.groupPath(member), key: "displayName", head: head) ?? member
            let groupName = name(of: StoreLayout.groupPath(group), key: "displayName", head: head) ?? group
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
