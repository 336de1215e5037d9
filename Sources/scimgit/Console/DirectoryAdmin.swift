import Directory
import Files
import Foundation
import GitStore
import Logging
import SCIM
import SCIMService
import Synchronization

/// The admin console's view of one store: history read through the server's own store
/// handle, and each change an admin makes committed through a second handle, as a
/// command-line tool commits while a server runs (the server then follows the moved HEAD,
/// indexes included, as it follows `scimgit rollback`).
final class DirectoryAdmin: AdminService, @unchecked Sendable {
    let directory: DirectoryService
    let path: String
    let logger: Logger
    /// The history in memory, filled in the background from the first sign-in on, and kept
    /// in the store's `.git/scimgit/history-index` for the next start.
    let history: HistoryIndex
    private let filling = Mutex(false)
    /// Most resources a page of changes reads and shows.
    static let changeLimit = 300

    init(directory: DirectoryService, path: String, logger: Logger) {
        self.directory = directory
        self.path = path
        self.logger = logger
        let file = MetadataPaths(gitDirectory: directory.store.gitDirectory).historyIndex
        history = HistoryIndex(file: file)
        // A store whose console was used before: read it now, so the first sign-in finds
        // it ready (loading the file costs milliseconds; only new commits are walked).
        if FileManager.default.fileExists(atPath: file) { prepare() }
    }

    var historyProgress: Int? { history.readingProgress }

    func prepare() {
        guard filling.withLock({ started in defer { started = true }; return !started }) else { return }
        history.fill(from: directory.store)
    }

    /// Syncs as the pages show them: from memory, with what is counted so far.
    private var syncs: SyncFinder {
        var finder = SyncFinder(store: store, index: history)
        finder.onlyCounted = true
        return finder
    }

    private var store: GitStore { directory.store }

    /// Where the console's history reads and commits run: off the HTTP event loops (a long
    /// history takes seconds to read, and SCIM requests must not wait behind it).
    private static let queue = DispatchQueue(label: "scimgit.console", attributes: .concurrent)

    /// Runs `body` on the console's queue and maps what it throws to something the console
    /// can show.
    private func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () throws -> T) async throws(AdminError) -> T {
        let result: Result<T, AdminError> = await withCheckedContinuation { continuation in
            DirectoryAdmin.queue.async {
                do throws(AdminError) {
                    continuation.resume(returning: .success(try self.mapped(what, body)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    private func mapped<T>(_ what: String, _ body: () throws -> T) throws(AdminError) -> T {
        do {
            return try body()
        } catch let error as AdminError {
            throw error
        } catch let error as Revert.Conflict {
            throw AdminError(status: 409, error.description)
        } catch let error as GitStoreError {
            throw AdminError(status: error.isBusy ? 503 : 400, "cannot \(what): \(error)")
        } catch let error as SCIMError {
            throw AdminError(status: error.status, error.detail)
        } catch {
            logger.error("console: cannot \(what): \(error)")
            throw AdminError(status: 500, "cannot \(what); the server log says why")
        }
    }

    /// A second handle on the store for one change, closed after it.
    private func writing<T>(_ command: String, _ body: (GitStore) throws -> T) throws -> T {
        if let source = try store.configString(StoreFollower.configKey) {
            throw AdminError(status: 503, "This server is a read-only replica of \(RemoteAccess.redacted(source)): make changes on the primary's console.")
        }
        let handle = try StoreSetup.open(at: path, options: GitStoreOptions(processName: "scimgit console (\(command))", logger: logger))
        defer { try? handle.close() }
        let result = try body(handle)
        _ = store.waitForWorkingTree(timeout: .seconds(5))
        return result
    }

    // MARK: - History

    func activity(client: String?, since: Date, limit: Int) async throws(AdminError) -> [SyncSummary] {
        try await run("list the syncs") { [self] in try syncs.syncs(since: since, client: client, limit: limit).map(summary) }
    }

    func sync(id: String) async throws(AdminError) -> (summary: SyncSummary, changes: ChangeSet) {
        try await run("show the sync") { [self] in
            guard let sync = try syncs.sync(id: id), let first = sync.commits.first, let last = sync.commits.last else {
                throw notFound("no sync \(id) in this store")
            }
            let diff = try HistoryDiff(store: store).diff(from: try store.commitInfo(first.id).parents.first, to: last.id, limit: DirectoryAdmin.changeLimit)
            return (summary(sync), views(diff))
        }
    }

    func commit(id: String) async throws(AdminError) -> (commit: CommitSummary, changes: ChangeSet) {
        try await run("show the commit") { [self] in
            guard id.count >= 7, id.allSatisfy(\.isHexDigit), let commit = try? store.resolve(id) else { throw AdminError.notFound("no commit \(id)") }
            let info = try store.commitInfo(commit)
            let diff = try HistoryDiff(store: store).diff(from: info.parents.first, to: commit, limit: DirectoryAdmin.changeLimit)
            return (summary(LogEntry(info), author: info.author.name), views(diff))
        }
    }

    func compare(from: String, to: String) async throws(AdminError) -> (label: String, changes: ChangeSet) {
        try await run("compare") { [self] in
            let old = try resolve(from), new = try resolve(to)
            return ("\(from) (\(old.short)) → \(to) (\(new.short))", views(try HistoryDiff(store: store).diff(from: old, to: new, limit: DirectoryAdmin.changeLimit)))
        }
    }

    private func resolve(_ revision: String) throws -> ObjectID {
        do {
            return try store.resolve(revision.trimmingCharacters(in: .whitespaces))
        } catch {
            throw AdminError("unknown point '\(revision)': give a snapshot name, a commit id, HEAD~N or a time (2026-11-29T10:05:00Z)")
        }
    }

    /// Not found, or not read yet: the first walk of a long history is still going.
    private func notFound(_ message: String) -> AdminError {
        if let read = history.readingProgress {
            return AdminError(status: 503, "The console is still reading this store's history (\(read) commits so far); try again in a few seconds.")
        }
        return AdminError.notFound(message)
    }

    // MARK: - Rollback

    private func revertPlan(_ sync: Sync, _ handle: GitStore) throws -> Revert.Plan {
        var plan = try Revert(store: handle).plan(sync.commits.map(\.id.hex))
        // The commit names the sync in words: count it through first (the CLI's subject).
        let words = sync.isCounted ? sync.counts.words : try SyncFinder(store: handle, index: history).sync(id: sync.id)?.counts.words ?? sync.counts.words
        plan.subject = "Roll back \(sync.id) of \(sync.client) (\(words))"
        return plan
    }

    func previewRollback(sync id: String) async throws(AdminError) -> RollbackPreview {
        try await run("preview the rollback") { [self] in
            guard let sync = try syncs.sync(id: id) else { throw notFound("no sync \(id) in this store") }
            do {
                let plan = try revertPlan(sync, store)
                return RollbackPreview(subject: plan.subject, lines: plan.lines, conflict: nil)
            } catch let conflict as Revert.Conflict {
                return RollbackPreview(subject: "Roll back \(sync.id) of \(sync.client)", lines: [], conflict: conflict.description)
            }
        }
    }

    func rollback(sync id: String, by admin: String) async throws(AdminError) -> String {
        try await run("roll back") { [self] in
            try writing("rollback") { handle in
                guard let sync = try SyncFinder(store: handle).sync(id: id) else { throw AdminError.notFound("no sync \(id) in this store") }
                let plan = try revertPlan(sync, handle)
                guard let commit = try Revert(store: handle).apply(plan, by: CLIIdentity(name: admin, via: "console")) else {
                    throw AdminError("its writes changed nothing that is still there: nothing to roll back")
                }
                logger.notice("console: \(admin) rolled back \(sync.id) as \(commit.short)")
                return commit.hex
            }
        }
    }

    func previewRevert(commit id: String) async throws(AdminError) -> RollbackPreview {
        try await run("preview the revert") { [self] in
            do {
                let plan = try Revert(store: store).plan([try commitID(id)])
                return RollbackPreview(subject: plan.subject, lines: plan.lines, conflict: nil)
            } catch let conflict as Revert.Conflict {
                return RollbackPreview(subject: "Revert \(id.prefix(7))", lines: [], conflict: conflict.description)
            }
        }
    }

    func revert(commit id: String, by admin: String) async throws(AdminError) -> String {
        try await run("revert") { [self] in
            try writing("revert") { handle in
                let revert = Revert(store: handle)
                let plan = try revert.plan([try commitID(id)])
                guard let commit = try revert.apply(plan, by: CLIIdentity(name: admin, via: "console")) else {
                    throw AdminError("what it changed is no longer there: nothing to revert")
                }
                logger.notice("console: \(admin) reverted \(id.prefix(7)) as \(commit.short)")
                return commit.hex
            }
        }
    }

    func previewRollback(to point: String) async throws(AdminError) -> RollbackPreview {
        try await run("preview the rollback") { [self] in
            let plan = try Rollback(store: store).plan(to: try pointName(point))
            return RollbackPreview(subject: plan.subject, lines: plan.diff.isEmpty ? [] : DiffFormatter.text(plan.diff).split(separator: "\n").map(String.init), conflict: nil)
        }
    }

    func rollback(to point: String, by admin: String) async throws(AdminError) -> String {
        try await run("roll back") { [self] in
            try writing("rollback") { handle in
                let rollback = Rollback(store: handle)
                let plan = try rollback.plan(to: try pointName(point))
                guard let commit = try rollback.apply(plan, by: CLIIdentity(name: admin, via: "console")) else {
                    throw AdminError("users and groups already equal \(plan.label): nothing to roll back")
                }
                logger.notice("console: \(admin) rolled back to \(plan.label) as \(commit.short)")
                return commit.hex
            }
        }
    }

    /// A commit id as typed in a URL: hex only, so it cannot name a branch or a time.
    private func commitID(_ id: String) throws -> String {
        guard id.count >= 7, id.count <= 40, id.allSatisfy(\.isHexDigit) else { throw AdminError.notFound("no commit \(id)") }
        return id
    }

    /// A point to roll back to: a snapshot, a commit, HEAD~N or a time, never an option.
    private func pointName(_ point: String) throws -> String {
        let trimmed = point.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("-") else { throw AdminError("give a snapshot name, a commit id, HEAD~N or a time") }
        return trimmed
    }

    // MARK: - Resources

    private var caller: Caller { Caller(client: "console", requestID: "console", baseURL: "") }

    func search(_ text: String, limit: Int) async throws(AdminError) -> [ResourceRow] {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return [] }
        let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        var rows: [ResourceRow] = []
        var seen: Set<String> = []
        // One equality filter per attribute: each is answered from an index, where an `or`
        // of them would read every file.
        for (type, attributes) in [(ResourceType.user, ["userName", "emails.value", "externalId", "displayName"]), (ResourceType.group, ["displayName", "externalId"])] {
            for attribute in attributes {
                do {
                    let request = try SearchRequest(query: ["filter": "\(attribute) eq \(quoted)", "count": String(limit)], for: type)
                    for record in try await directory.search([type], request, context: caller).resources where seen.insert(record.id).inserted {
                        rows.append(row(type, record.document))
                    }
                } catch {
                    throw AdminError("cannot search: \(error)")
                }
            }
        }
        return rows
    }

    func resource(kind: String, id: String, historyLimit: Int) async throws(AdminError) -> ResourcePage {
        guard let resourceKind = ResourceKind.named(kind), StoreLayout.isValidID(id.lowercased()) else { throw AdminError.notFound("no \(kind) \(id)") }
        let type: ResourceType = resourceKind == .group ? .group : .user
        let record: ResourceRecord
        do {
            guard case let .resource(found) = try await directory.get(type, id: id.lowercased(), projection: .default, ifNoneMatch: nil, context: caller) else {
                throw AdminError.notFound("no \(kind) \(id)")
            }
            record = found
        } catch let error as SCIMError {
            throw AdminError(status: error.status, error.detail)
        } catch {
            throw error as! AdminError
        }
        let document = record.document
        var related: [ResourceRow] = []
        let relatedType: ResourceType = resourceKind == .group ? .user : .group
        for entry in (document[resourceKind == .group ? "members" : "groups"]?.arrayValue ?? []).prefix(500) {
            guard let value = entry["value"]?.stringValue else { continue }
            let memberType = entry["type"]?.stringValue == "Group" ? ResourceType.group : relatedType
            related.append(ResourceRow(resourceType: memberType.name, id: value, name: entry["display"]?.stringValue ?? value, detail: ""))
        }
        let changes: [CommitSummary] = try await run("read the history") { [self] in
            try history.history(of: resourceKind, id: id.lowercased(), store: store, limit: historyLimit).map { summary($0, author: nil) }
        }
        return ResourcePage(row: row(type, document), document: document.serializedString(.canonical), related: related, history: changes)
    }

    private func row(_ type: ResourceType, _ document: JSONValue) -> ResourceRow {
        let isGroup = type.name == "Group"
        let name = document[isGroup ? "displayName" : "userName"]?.stringValue ?? "?"
        var detail: [String] = []
        if !isGroup {
            if let display = document["displayName"]?.stringValue { detail.append(display) }
            if let email = document["emails"]?[0]?["value"]?.stringValue, email.lowercased() != name.lowercased() { detail.append(email) }
            if document["active"]?.boolValue == false { detail.append("inactive") }
        }
        if let external = document["externalId"]?.stringValue { detail.append("externalId \(external)") }
        return ResourceRow(resourceType: type.name, id: document["id"]?.stringValue ?? "", name: name, detail: detail.joined(separator: " · "))
    }

    // MARK: - Snapshots and the guard

    func snapshots() async throws(AdminError) -> [SnapshotRow] {
        try await run("list the snapshots") { [self] in
            try Snapshots(store: store).list().reversed().map { SnapshotRow(name: $0.name, commit: $0.commit.short, time: $0.time ?? Date(timeIntervalSince1970: 0), message: $0.message) }
        }
    }

    func createSnapshot(name: String, message: String, by admin: String) async throws(AdminError) -> SnapshotRow {
        try await run("take the snapshot") { [self] in
            try writing("snapshot") { handle in
                let made = try Snapshots(store: handle).create(name, message: message.isEmpty ? nil : message, by: CLIIdentity(name: admin, via: "console"))
                logger.notice("console: \(admin) took snapshot \(made.name)")
                return SnapshotRow(name: made.name, commit: made.commit.short, time: made.time ?? Date(), message: made.message)
            }
        }
    }

    func guardStatus() async throws(AdminError) -> GuardView {
        try await run("read the guard") { [self] in
            let report = try GuardReport(store: store)
            return GuardView(holding: report.isHolding, lines: GuardStatusCommand.lines(report, repo: "."), syncID: report.sync?.id)
        }
    }

    func releaseGuard(for seconds: TimeInterval, by admin: String) async throws(AdminError) -> String {
        try await run("release the guard") { [self] in
            try writing("guard release") { handle in
                let now = Date()
                let decision = GuardDecision(action: .release, by: admin, at: now, until: now.addingTimeInterval(seconds))
                let commit = try GuardDecisions(store: handle).commit(
                    decision, subject: "Release the deprovisioning guard for \(GuardPolicy.format(duration: seconds))",
                    lines: ["until: \(TimeFormat.show(decision.until!))", "from the admin console"], by: CLIIdentity(name: admin, via: "console"))
                logger.notice("console: \(admin) released the deprovisioning guard")
                return commit?.hex ?? ""
            }
        }
    }

    // MARK: - Views

    private func summary(_ sync: Sync) -> SyncSummary {
        let words = sync.isCounted ? sync.counts.words : "still being counted (\(sync.counts.words) so far); reload in a moment"
        return SyncSummary(id: sync.id, client: sync.client, start: sync.start, end: sync.end, writes: sync.commits.count, words: words,
                    commits: sync.commits.reversed().prefix(200).map { summary($0, author: nil) })
    }

    private func summary(_ entry: LogEntry, author: String?) -> CommitSummary {
        CommitSummary(id: entry.id.hex, short: entry.id.short, time: entry.time, author: author ?? entry.client, client: entry.client, subject: entry.subject)
    }

    private func views(_ diff: StoreDiff) -> ChangeSet {
        ChangeSet(changes: diff.changes.map { change in
            ChangeView(
                resourceType: change.kind.typeID, id: change.id, name: change.name,
                kind: ChangeView.Kind(rawValue: change.change.rawValue) ?? .modified,
                attributes: change.attributes.map { ($0.path, DirectoryAdmin.show($0.before), DirectoryAdmin.show($0.after)) },
                membersAdded: change.membersAdded.map { diff.memberNames[$0] ?? $0 },
                membersRemoved: change.membersRemoved.map { diff.memberNames[$0] ?? $0 })
        }, omitted: diff.omitted, isTruncated: diff.isTruncated)
    }

    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.serializedString(.compact)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
