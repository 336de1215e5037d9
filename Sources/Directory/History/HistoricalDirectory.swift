import CPlatform
import GitStore
import Logging
import SCIM
import SCIMService

/// The directory as it was at one commit: indexes built from that commit's tree and
/// resources read from its blobs, answered by the same reads as today's store. Read-only.
final class HistoricalDirectory: ResourceService {
    let registry: SchemaRegistry
    let commit: ObjectID
    private let reads: DirectoryReads
    private let cursors: CursorWalks

    /// Reads every resource file of the commit (as a start without a snapshot does).
    init(store: GitStore, commit: ObjectID, registry: SchemaRegistry, cursors: CursorWalks, logger: Logger) throws {
        self.registry = registry
        self.commit = commit
        self.cursors = cursors
        let files = CommitFiles(store: store, commit: commit)
        let index = DirectoryIndex()
        let state = try Indexer(files: files, logger: logger).build()
        index.write { $0 = state }
        // Building parsed every file of the commit; give that memory back, as at start.
        _ = scimgit_malloc_trim()
        let renderer = ResourceRenderer(index: index)
        let resources = StoredResources(files: files, index: index)
        reads = DirectoryReads(
            resources: resources, renderer: renderer, searchEngine: SearchEngine(index: index, store: resources, renderer: renderer, logger: logger))
    }

    func get(_ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, context: Caller) async throws(SCIMError) -> ReadResult {
        try reads.get(type, id: id, projection: projection, ifNoneMatch: ifNoneMatch, baseURL: context.baseURL)
    }

    func search(_ types: [ResourceType], _ request: SearchRequest, context: Caller) async throws(SCIMError) -> SearchResult {
        if request.cursor != nil {
            return try await cursors.page(types, request, context: context, start: commit, required: commit) { _ throws(SCIMError) in self }
        }
        return try await reads.search(types, request, baseURL: context.baseURL)
    }

    var supportsCursorPaging: Bool { true }

    func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        throw HistoricalDirectory.readOnly
    }

    func replace(_ type: ResourceType, id: String, document: JSONValue, precondition: EntityTagList?, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        throw HistoricalDirectory.readOnly
    }

    func patch(_ type: ResourceType, id: String, request: PatchRequest, precondition: EntityTagList?, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        throw HistoricalDirectory.readOnly
    }

    func delete(_ type: ResourceType, id: String, precondition: EntityTagList?, context: Caller) async throws(SCIMError) {
        throw HistoricalDirectory.readOnly
    }

    func asOf(_ point: HistoryPoint, context: Caller) async throws(SCIMError) -> HistoricalService {
        throw .badRequest("already reading as of a past point")
    }

    static let readOnly = SCIMError.badRequest("a store as of a past point is read-only: write without asOf or Accept-Datetime")
}
