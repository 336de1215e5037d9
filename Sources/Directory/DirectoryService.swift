import CPlatform
import Files
import Foundation
import GitStore
import Logging
import SCIM
import SCIMService
import Synchronization

/// SCIM users and groups stored as files in a git repository: the `ResourceService` the
/// HTTP server runs on. Reads come from working-tree files and in-memory indexes; writes go
/// through one writer per store, one commit each (see `DirectoryWriter`). When HEAD moves
/// without this process (`git revert`, `scimgit rollback` from the command line), the next
/// request notices it (three `stat` calls) and the indexes follow before it is answered.
///
/// An object the server holds, not a global: one process can serve several stores.
public final class DirectoryService: ResourceService {
    public let store: GitStore
    private let schemas: SchemaCatalog
    let index: DirectoryIndex
    private let writer: DirectoryWriter
    private let renderer: ResourceRenderer
    private let reads: DirectoryReads
    private let history: HistoricalViews
    private let cursors: CursorWalks
    private let guardian: DeprovisioningGuard?
    private let logger: Logger
    private let footprint = Mutex<(at: ContinuousClock.Instant, bytes: Int)?>(nil)

    /// Opens the directory over an open store: builds the indexes from its files, reads
    /// the store's schemas (`Schemas/`, attached to `registry`) and starts the writer.
    /// With a `guardPolicy`, mass deprovisioning is held (`DeprovisioningGuard`).
    public init(
        store: GitStore, registry: SchemaRegistry = .standard, guardPolicy: GuardPolicy? = nil,
        logger: Logger = Logger(label: "scimgit.directory")
    ) throws {
        self.store = store
        schemas = SchemaCatalog(base: registry, logger: logger)
        // Most stores declare no schema: without a `Schemas/` folder in the working tree
        // (brought to HEAD when the store opened) no tree is read, which keeps the first
        // request to a cold tenant from opening a repository handle for nothing.
        if FileManager.default.fileExists(atPath: store.absolutePath(StoreSchemas.folder)) {
            schemas.reload(from: store, at: store.head)
        }
        self.logger = logger
        let index = DirectoryIndex()
        self.index = index
        let indexer = Indexer(store: store, logger: logger)
        let started = ContinuousClock.now
        let (built, source) = try StartingIndex.load(store: store, indexer: indexer, logger: logger)
        index.write { $0 = built }
        logger.info("indexed \(built.order[.user]?.count ?? 0) users and \(built.order[.group]?.count ?? 0) groups in \(ContinuousClock.now - started) (\(source))")
        // Building the index parsed every file; give that memory back to the system.
        _ = scimgit_malloc_trim()
        let renderer = ResourceRenderer(index: index)
        self.renderer = renderer
        let resources = StoredResources(store: store, index: index)
        reads = DirectoryReads(
            resources: resources, renderer: renderer, searchEngine: SearchEngine(index: index, store: resources, renderer: renderer, logger: logger))
        let cursors = CursorWalks(codec: PageCursorCodec(paths: MetadataPaths(gitDirectory: store.gitDirectory)))
        self.cursors = cursors
        history = HistoricalViews(store: store, cursors: cursors, logger: logger)
        let guardian = guardPolicy.map { DeprovisioningGuard.open(store: store, policy: $0, logger: logger) }
        self.guardian = guardian
        writer = DirectoryWriter(
            store: store, index: index, indexer: indexer,
            schemas: schemas, guardian: guardian, clock: Clock(), logger: logger
        )
        writer.start()
    }

    /// Finishes queued writes, stops the writer and closes the store (index written, so
    /// `git status` is clean).
    public func close() throws {
        writer.stop()
        guardian?.flush()
        if let head = store.head {
            let state = index.read { $0 }
            do {
                try IndexSnapshot.save(state, head: head, to: IndexSnapshot.path(gitDirectory: store.gitDirectory))
            } catch {
                logger.warning("could not save the index snapshot (the next start reads every file): \(error)")
            }
        }
        try store.close()
    }

    /// The schemas requests are checked against: the base registry and the store's own,
    /// as of the last commit the server took in.
    public var registry: SchemaRegistry { schemas.registry }

    /// The deprovisioning guard's state (nil when it is off).
    public var guardState: GuardState? { guardian?.state }

    /// Refuses every SCIM write with 503 and `reason` (a read replica says so), nil
    /// takes them again (a replica promoted). Reads, and following HEAD, go on.
    public func refuseWrites(_ reason: String?) {
        writer.refuseWrites(reason)
    }

    /// Why this store cannot take writes now, nil when it can: its writer stopped, another
    /// process holds the writer lock for longer than a write waits, or its disk is full
    /// or read-only. What `/readyz` asks (the reason goes to the log, not the answer).
    public func unreadiness(lockWait: Duration = .milliseconds(500)) -> String? {
        guard writer.isRunning else { return "the store's writer is not running" }
        guard store.writerLockAvailable(within: lockWait) else { return "another process holds the store's writer lock" }
        do {
            try store.probeWritable()
        } catch {
            return "the store's disk is not writable: \(error)"
        }
        return nil
    }

    /// About how many bytes the in-memory indexes hold (`IndexFootprint`). Walking them
    /// takes milliseconds per 100,000 users under the read lock, so in a large store a
    /// figure is reused for 30 s (scrapes come every 15 s or so); a small one costs nothing.
    public var indexBytes: Int {
        let now = ContinuousClock.now
        if let cached = footprint.withLock({ $0 }), now - cached.at < .seconds(30), index.read({ $0.summaries.count }) > 10_000 {
            return cached.bytes
        }
        let bytes = index.read(\.estimatedBytes)
        footprint.withLock { $0 = (now, bytes) }
        return bytes
    }

    /// Users and groups in the store.
    public var counts: (users: Int, groups: Int) {
        index.read { ($0.order[.user]?.count ?? 0, $0.order[.group]?.count ?? 0) }
    }

    // MARK: - ResourceService

    public func get(
        _ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, context: Caller
    ) async throws(SCIMError) -> ReadResult {
        try await followHead(context)
        return try reads.get(type, id: id, projection: projection, ifNoneMatch: ifNoneMatch, baseURL: context.baseURL)
    }

    public func currentRegistry(context: Caller) async throws(SCIMError) -> SchemaRegistry {
        try await followHead(context)
        return registry
    }

    public func search(_ types: [ResourceType], _ request: SearchRequest, context: Caller) async throws(SCIMError) -> SearchResult {
        try await followHead(context)
        if request.cursor != nil {
            let history = self.history, registry = self.registry
            return try await cursors.page(types, request, context: context, start: store.head) { commit throws(SCIMError) in
                try await history.directory(at: commit, registry: registry)
            }
        }
        return try await reads.search(types, request, baseURL: context.baseURL)
    }

    /// Every walk is pinned to a commit (see `CursorWalks`).
    public var supportsCursorPaging: Bool { true }

    /// The store at a past point, read-only (see `HistoricalViews`).
    public func asOf(_ point: HistoryPoint, context: Caller) async throws(SCIMError) -> HistoricalService {
        try await followHead(context)
        return try await history.view(at: point, registry: registry)
    }

    public func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        _ = try kind(type)
        let result = try await writer.submit(.create(type, document), context: context)
        return try render(result, projection: projection, context: context)
    }

    public func replace(
        _ type: ResourceType, id: String, document: JSONValue, precondition: EntityTagList?,
        projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        _ = try kind(type)
        let result = try await writer.submit(.replace(type, id: id.lowercased(), document, precondition), context: context)
        return try render(result, projection: projection, context: context)
    }

    public func patch(
        _ type: ResourceType, id: String, request: PatchRequest, precondition: EntityTagList?,
        projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        let kind = try self.kind(type)
        let result = try await writer.submit(.patch(type, id: id.lowercased(), request, precondition), context: context)
        var includeMembers: Bool?
        if kind.holdsMembers, projection.includes(kind.derivedAttribute, as: type) {
            let explicit = projection.attributes.contains { $0.schema == nil && $0.attribute.lowercased() == kind.derivedAttribute.lowercased() }
            let count = index.read { $0.members[id.lowercased()]?.count ?? 0 }
            includeMembers = explicit || count <= DirectoryService.patchAnswerMemberLimit
        }
        return try render(result, projection: projection, context: context, includeMembers: includeMembers)
    }

    public func delete(_ type: ResourceType, id: String, precondition: EntityTagList?, context: Caller) async throws(SCIMError) {
        _ = try kind(type)
        _ = try await writer.submit(.delete(type, id: id.lowercased(), precondition), context: context)
    }

    /// A PATCH of a group with more members than this answers without `members` (unless
    /// `attributes=members` asks): Entra and Okta send one PATCH per membership change and
    /// ignore the answer's body, and a 50,000-member list on each would cost far more than
    /// the change. Smaller groups answer in full, as RFC 7644 §3.5.2 describes.
    public static let patchAnswerMemberLimit = 1000

    // MARK: - Helpers

    private func kind(_ type: ResourceType) throws(SCIMError) -> ResourceKind {
        try ResourceKind.required(type)
    }

    private func render(_ result: WriteResult, projection: Projection, context: Caller, includeMembers: Bool? = nil) throws(SCIMError) -> ResourceRecord {
        guard let type = result.type, let id = result.id, let stored = result.stored else {
            throw SCIMError.internalError("the write returned no resource")
        }
        return renderer.render(stored, type: type, id: id, projection: projection, baseURL: context.baseURL, includeMembers: includeMembers)
    }

    /// Before answering, take in a HEAD someone else moved (cheap when nobody did).
    private func followHead(_ context: Caller) async throws(SCIMError) {
        guard store.headMayHaveMoved() else { return }
        _ = try await writer.submit(.sync, context: context)
    }
}
