import SCIM

/// What the HTTP server needs from a store of SCIM resources: the one contract between
/// HTTP and storage, in a module that knows neither. `DirectoryService` is the real one
/// (resources as files in git, wired to the server by the `scimgit` executable); tests of
/// the HTTP layer use an in-memory one.
///
/// Every method answers client mistakes with a `SCIMError` carrying the right status and
/// `scimType` (404 unknown id, 409 uniqueness, 412 stale `If-Match`, 400 …) and store
/// failures with 5xx ones (503 when the store is busy, 507 when the disk is full).
/// `projection` is applied to what is returned (for a Group, members excluded by it are
/// never even loaded).
public protocol ResourceService: Sendable {
    /// The schemas requests are checked against (a store may declare its own, and change
    /// them while the server runs).
    var registry: SchemaRegistry { get }

    /// `registry` after taking in whatever changed it from outside (a `scimgit schema add`
    /// committed a moment ago): what discovery answers from.
    func currentRegistry(context: Caller) async throws(SCIMError) -> SchemaRegistry

    /// With `ifNoneMatch`, a current version in it is answered `.notModified` before
    /// anything is rendered.
    func get(
        _ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, context: Caller
    ) async throws(SCIMError) -> ReadResult

    /// `types` is one resource type for `/Users` and `/Groups`, all of them for `/.search`.
    func search(_ types: [ResourceType], _ request: SearchRequest, context: Caller) async throws(SCIMError) -> SearchResult

    func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord

    func replace(
        _ type: ResourceType, id: String, document: JSONValue, precondition: EntityTagList?,
        projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord

    /// A large Group's `members` may be left out of the answer unless `projection` asks for
    /// them (RFC 7644 lets PATCH answer 204; Okta accepts a group without members; a
    /// 50,000-member list on every membership change would cost more than the change).
    func patch(
        _ type: ResourceType, id: String, request: PatchRequest, precondition: EntityTagList?,
        projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord

    func delete(_ type: ResourceType, id: String, precondition: EntityTagList?, context: Caller) async throws(SCIMError)

    /// The store as of `point`, for reads. `404` for a point the store's history does not
    /// hold (an unknown commit or snapshot, a time before the first commit).
    func asOf(_ point: HistoryPoint, context: Caller) async throws(SCIMError) -> HistoricalService

    /// Whether `search` pages by cursor (RFC 9865) when a request carries one; a service
    /// that does not would page by index and silently ignore it, so the server refuses.
    var supportsCursorPaging: Bool { get }
}

/// Cursor paging's one setting, shared by the store that checks it and the server that
/// advertises it (`pagination.cursorTimeout`).
public enum CursorPaging {
    /// A cursor is valid this long after the page that issued it (seconds).
    public static let timeoutSeconds = 3600
}

extension ResourceService {
    /// A service whose schemas never change answers with them.
    public func currentRegistry(context: Caller) async throws(SCIMError) -> SchemaRegistry { registry }

    public var supportsCursorPaging: Bool { false }

    /// A service without history says so.
    public func asOf(_ point: HistoryPoint, context: Caller) async throws(SCIMError) -> HistoricalService {
        throw .notImplemented("this store keeps no history to read from")
    }
}
