import Foundation
import GitStore
import Logging
import SCIM
import SCIMService

/// `scimgit import FILE`: loads an existing directory into a store as one commit, without
/// a million API calls. Every record is checked as a POST is (schemas, uniqueness, members
/// that exist), against the store as of HEAD and the file's earlier records; one refused
/// record means nothing is committed, and every refused record is named.
///
/// Users are planned in file order, then groups, each after the groups it contains, so a
/// file needs no particular order. An id that is a UUID is kept (lowercased); any other id
/// gets a new UUID, and the members that name it are translated. While a server runs, the
/// import takes the writer lock only to commit (it plans again, holding it, if HEAD moved
/// meanwhile), and the server follows the new HEAD as it does after a rollback.
public struct StoreImport {
    let store: GitStore
    let logger: Logger
    /// Runs between planning and taking the writer lock (tests: another writer commits there).
    var afterPlanning: (() throws -> Void)?

    public init(store: GitStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public struct Summary: Sendable {
        public var users = 0
        public var groups = 0
        public var memberships = 0
        /// Ids that were not UUIDs, with the UUIDs they were given.
        public var reassigned: [(source: String, id: String)] = []
        /// The import's commit; nil on a dry run.
        public var commit: ObjectID?
    }

    /// Plans every record and, unless `dryRun`, commits them as one commit. Throws
    /// `ImportFailure` naming each refused record, and then changes nothing.
    public func run(_ records: [ImportRecord], source: String, by identity: CLIIdentity, dryRun: Bool) throws -> Summary {
        let started = ContinuousClock.now
        let base = store.head
        var state = try startingState(at: base)
        let registry = try StoreSchemas.load(from: store, at: base, base: .standard).registry
        logger.debug("import: the store's indexes as of HEAD in \(ContinuousClock.now - started)")
        var plan = try self.plan(records, state: state, registry: registry)
        logger.debug("import: \(records.count) records planned after \(ContinuousClock.now - started)")
        guard !dryRun else { return plan.summary }
        guard plan.summary.users + plan.summary.groups > 0 else { return plan.summary }
        try afterPlanning?()
        let commit: ObjectID? = try store.write { session in
            if session.head != base, let head = session.head {
                // A server committed since the plan: plan again against HEAD, holding the lock.
                let changed = try StoreLayout.ownedFolders.flatMap { try store.diff(from: base, to: head, under: $0).map(\.path) }
                Indexer(files: CommitFiles(store: store, commit: head), logger: logger).apply(changed, to: &state)
                let current = try StoreSchemas.load(from: store, at: head, base: .standard).registry
                plan = try self.plan(records, state: state, registry: current)
            }
            let message = commitMessage(plan, source: source, identity: identity)
            let spec = CommitSpec(changes: plan.changes, message: message.text, author: identity.signature)
            let commit = try session.commit([spec]).first ?? nil
            logger.debug("import: commit made after \(ContinuousClock.now - started), releasing the writer lock")
            return commit
        }
        plan.summary.commit = commit
        logger.debug("import: committed after \(ContinuousClock.now - started)")
        if let commit {
            // The next start (or import) reads one file instead of every resource.
            DirectoryWriter.publish(plan.pending, summaries: plan.summaries, to: &state)
            do {
                try IndexSnapshot.save(state, head: commit, to: IndexSnapshot.path(gitDirectory: store.gitDirectory))
            } catch {
                logger.warning("could not save the index snapshot (the next start reads every file): \(error)")
            }
            logger.debug("import: index snapshot saved after \(ContinuousClock.now - started)")
        }
        return plan.summary
    }

    /// The indexes as of `head`, from the snapshot when there is one, read from git's
    /// objects (a running server's working tree may not have reached HEAD yet).
    private func startingState(at head: ObjectID?) throws -> DirectoryIndex.State {
        guard let head else { return DirectoryIndex.State() }
        let indexer = Indexer(files: CommitFiles(store: store, commit: head), logger: logger)
        return try StartingIndex.load(store: store, indexer: indexer, logger: logger).0
    }

    /// Records prepared on every core at once: their documents are what an import holds.
    static let run = 8192

    private struct Plan {
        var changes: [String: FileChange] = [:]
        var pending = PendingChanges()
        var summary = Summary()
        var names: [(ResourceKind, String)] = []
        /// The users' index summaries, made with their documents.
        var summaries: [String: ResourceSummary] = [:]
    }

    /// A record whose type and id are known.
    private struct Identified: Sendable {
        var position: String
        var resource: JSONValue
        var type: ResourceType
        var kind: ResourceKind
        var id: String
        var created: String?
        /// The id the file gave, when it gave one.
        var sourceID: String?
    }

    /// What the parallel step makes of a record: identified, and for a user its document
    /// (a group waits for its members, planned in order afterwards).
    private struct Prepared: Sendable {
        var entry: Identified
        var user: StoredDocument?
        var summary: ResourceSummary?
        /// Its values of the attributes its schemas declare unique (but userName).
        var uniqueKeys: [String] = []
    }

    private func plan(_ records: [ImportRecord], state: DirectoryIndex.State, registry: SchemaRegistry) throws(ImportFailure) -> Plan {
        let index = DirectoryIndex()
        index.write { $0 = state }
        var view = WriteView(index: index, store: store, pending: PendingChanges(), uniqueValues: UniqueValueIndex())
        let planner = WritePlanner(registry: registry, clock: .stopped())
        var plan = Plan()
        var problems: [ImportFailure.Problem] = []
        /// Source id → the id it is stored under, and the record that first gave it.
        var ids: [String: (id: String, position: String)] = [:]
        var taken: [String: String] = [:]
        /// Unique attribute path + NUL + value → the record that holds it.
        var uniqueValues: [String: String] = [:]
        var groups: [Identified] = []
        plan.changes.reserveCapacity(records.count)
        // A run of records at a time: parsed, validated and serialised on every core, then
        // checked for uniqueness in file order on this thread while the next run is
        // prepared; only two runs' documents are alive at once.
        let runs = stride(from: 0, to: records.count, by: StoreImport.run).map { $0..<min(records.count, $0 + StoreImport.run) }
        func prepare(_ run: Range<Int>) -> BackgroundResult<[Result<Prepared, SCIMError>]> {
            BackgroundResult {
                parallelMap(run.count) { offset in
                    Result { () throws(SCIMError) -> Prepared in
                        try StoreImport.prepared(records[run.lowerBound + offset], registry: registry, planner: planner)
                    }
                }
            }
        }
        taken.reserveCapacity(records.count)
        plan.summaries.reserveCapacity(records.count)
        view.pending.reserveCapacity(records.count, of: .user)
        let planBegan = ContinuousClock.now
        var waited = Duration.zero
        var upcoming = runs.first.map(prepare)
        for (number, run) in runs.enumerated() {
            let waitBegan = ContinuousClock.now
            let outcomes = upcoming!.wait()
            waited += ContinuousClock.now - waitBegan
            upcoming = number + 1 < runs.count ? prepare(runs[number + 1]) : nil
            for (record, outcome) in zip(records[run], outcomes) {
                do throws(SCIMError) {
                    let prepared = try outcome.get()
                    let entry = prepared.entry
                    if let first = taken[entry.id] { throw SCIMError.uniqueness("id \(entry.sourceID ?? entry.id) is also the id of \(first)") }
                    if let kind = view.kind(of: entry.id) {
                        throw SCIMError.uniqueness("id \(entry.id) is already the id of a \(kind.noun) in the store")
                    }
                    if let user = prepared.user, let summary = prepared.summary {
                        // Unique values against the file's earlier users here, in a table;
                        // against the store in the planner.
                        for key in prepared.uniqueKeys {
                            if let other = uniqueValues[key] {
                                let value = key.split(separator: "\u{0}", maxSplits: 1)
                                throw SCIMError.uniqueness("\(value.first ?? "") \"\(value.count > 1 ? value[1] : "")\" is also the value of \(other)")
                            }
                        }
                        try planner.admit(user, id: entry.id, type: entry.type, &view, scanningPending: false)
                        for key in prepared.uniqueKeys { uniqueValues[key] = record.position }
                        // Later records are checked against its name alone: keep only that (a
                        // million parsed documents would hold gigabytes until the commit).
                        view.pending.documents[entry.id] = .some(user.keepingOnlyTheName)
                        plan.summaries[entry.id] = summary
                        plan.changes[entry.kind.path(of: entry.id)] = .write(user.bytes)
                        plan.names.append((entry.kind, user.name))
                        plan.summary.users += 1
                    } else {
                        groups.append(entry)
                    }
                    taken[entry.id] = record.position
                    if let source = entry.sourceID {
                        ids[source] = (entry.id, record.position)
                        if entry.id != source.lowercased() { plan.summary.reassigned.append((source, entry.id)) }
                    }
                } catch {
                    problems.append(.init(position: record.position, error: error))
                }
            }
        }
        logger.debug("import: records checked in file order in \(ContinuousClock.now - planBegan - waited), waiting \(waited) for the runs being parsed, validated and serialised on every core")
        let (ordered, cycles) = ordered(groups, ids: ids)
        problems += cycles
        for entry in ordered {
            do throws(SCIMError) {
                let body = translatingMembers(of: entry.resource, ids: ids)
                let (stored, members, files) = try planner.newGroup(entry.type, body, id: entry.id, created: entry.created, &view)
                plan.changes.merge(files) { _, new in new }
                plan.names.append((entry.kind, stored.name))
                plan.summary.groups += 1
                plan.summary.memberships += members.count
            } catch {
                problems.append(.init(position: entry.position, error: error))
            }
        }
        guard problems.isEmpty else {
            let order = Dictionary(records.enumerated().map { ($0.element.position, $0.offset) }) { first, _ in first }
            throw ImportFailure(problems.sorted { (order[$0.position] ?? .max) < (order[$1.position] ?? .max) })
        }
        plan.pending = view.pending
        return plan
    }

    /// A record identified and, for a user, validated and serialised (on any core: it reads
    /// nothing but the record and the schemas).
    private static func prepared(_ record: ImportRecord, registry: SchemaRegistry, planner: WritePlanner) throws(SCIMError) -> Prepared {
        let entry = try identify(try record.resource(), at: record.position, registry: registry)
        guard !entry.kind.holdsMembers else { return Prepared(entry: entry) }
        var user = try planner.preparedUser(entry.type, entry.resource, id: entry.id, created: entry.created)
        var kept = entry
        kept.resource = .null // the stored document is what is kept of a user
        let unique = UniqueValueIndex.attributes(of: entry.type, kind: entry.kind)
        let summary = ResourceSummary(kind: user.kind, document: user.document)
        let uniqueKeys = unique.isEmpty ? [] : UniqueValueIndex.keys(of: user.document, unique)
        if unique.isEmpty {
            // Checked in file order by its name alone: the parsed document is freed here, on
            // this core (freeing them all on the checking thread was half of its time).
            user = StoredDocument(kind: user.kind, document: user.keepingOnlyTheName.document, bytes: user.bytes)
        }
        return Prepared(entry: kept, user: user, summary: summary, uniqueKeys: uniqueKeys)
    }

    /// The record's resource type (from its `schemas`), the id it is stored under and its
    /// `meta.created`, kept when it is a date-time.
    private static func identify(_ resource: JSONValue, at position: String, registry: SchemaRegistry) throws(SCIMError) -> Identified {
        guard case .object = resource else { throw SCIMError.invalidSyntax("a record must be a JSON object (one SCIM resource)") }
        let urns = resource["schemas"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let type = urns.lazy.compactMap({ registry.resourceType(coreSchema: $0) }).first, let kind = ResourceKind.of(type) else {
            let known = ResourceKind.all.compactMap { registry.resourceType(id: $0.typeID)?.schema.id }
            throw SCIMError.invalidValue("\"schemas\" names no resource type this store keeps (one of \(known.joined(separator: ", ")))")
        }
        var id: String?
        var sourceID: String?
        if let given = resource["id"] {
            guard let text = given.stringValue, !text.isEmpty else { throw SCIMError.invalidValue("\"id\" must be a non-empty string") }
            sourceID = text
            if StoreLayout.isValidID(text.lowercased()) { id = text.lowercased() }
        }
        var created: String?
        if let given = resource["meta"]?["created"] {
            guard let text = given.stringValue, let date = SCIMDateTime(parsing: text) else {
                throw SCIMError.invalidValue("\"meta.created\" must be a date-time such as 2024-05-01T09:30:00Z")
            }
            created = date.description
        }
        // A new UUID only for a record without a usable id (it reads the system's random source).
        return Identified(position: position, resource: resource, type: type, kind: kind, id: id ?? WritePlanner.newID(), created: created, sourceID: sourceID)
    }

    /// Groups after the imported groups they contain; a group in a cycle is refused.
    private func ordered(_ groups: [Identified], ids: [String: (id: String, position: String)]) -> ([Identified], [ImportFailure.Problem]) {
        let byID = Dictionary(groups.map { ($0.id, $0) }) { first, _ in first }
        var done = Set<String>()
        var visiting = Set<String>()
        var out: [Identified] = []
        var problems: [ImportFailure.Problem] = []
        func visit(_ group: Identified) {
            if done.contains(group.id) { return }
            guard visiting.insert(group.id).inserted else {
                problems.append(.init(position: group.position, error: .invalidValue("group \(group.id) contains itself through its member groups")))
                return
            }
            for member in group.resource["members"]?.arrayValue ?? [] {
                guard let value = member["value"]?.stringValue else { continue }
                let id = ids[value]?.id ?? value.lowercased()
                if id != group.id, let contained = byID[id] { visit(contained) }
            }
            visiting.remove(group.id)
            if done.insert(group.id).inserted { out.append(group) }
        }
        for group in groups { visit(group) }
        // A group refused for a cycle is not planned (its members' checks would only repeat it).
        let refused = Set(problems.map(\.position))
        return (out.filter { !refused.contains($0.position) }, problems)
    }

    /// The group's body with each member naming an imported record by its source id
    /// pointed at the id that record is stored under.
    private func translatingMembers(of resource: JSONValue, ids: [String: (id: String, position: String)]) -> JSONValue {
        guard case var .object(object) = resource, case let .array(members)? = object["members"] else { return resource }
        object["members"] = .array(members.map { member in
            guard case var .object(fields) = member, let value = fields["value"]?.stringValue, let mapped = ids[value] else { return member }
            fields["value"] = .string(mapped.id)
            return .object(fields)
        })
        return .object(object)
    }

    private func commitMessage(_ plan: Plan, source: String, identity: CLIIdentity) -> CommitMessage {
        let summary = plan.summary
        var parts = [CommitMessage.plural(summary.users, "user")]
        if summary.groups > 0 { parts.append(CommitMessage.plural(summary.groups, "group")) }
        var message = CommitMessage(
            subject: "Import \(parts.joined(separator: " and ")) from \(source)",
            trailers: [(CommitMessage.operationKey, "IMPORT"), (CommitMessage.clientKey, identity.client)])
        // The first names, as a sync's commit lists them; the rest as a count.
        message.addLines(plan.names.prefix(CommitMessage.lineLimit).map { "+ \($0.0.noun) \($0.1)" })
        if plan.names.count > CommitMessage.lineLimit { message.body.append("and \(plan.names.count - CommitMessage.lineLimit) more") }
        return message
    }
}
