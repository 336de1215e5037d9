import SCIM

/// What the HTTP server needs from a store of SCIM resources. `Directory` is the real one
/// (resources as files in git); tests of the HTTP layer can use an in-memory one.
///
/// Every method answers client mistakes with a `SCIMError` carrying the right status and
/// `scimType` (404 unknown id, 409 uniqueness, 412 stale `If-Match`, 400 …) and store
/// failures with 5xx ones (503 when the store is busy, 507 when the disk is full).
/// `projection` is applied to what is returned (for a Group, members excluded by it are
/// never even loaded).
public protocol ResourceService: Sendable {
    var registry: SchemaRegistry { get }

    func get(_ type: ResourceType, id: String, projection: Projection, context: RequestContext) async throws(SCIMError) -> ResourceRecord

    /// `types` is one resource type for `/Users` and `/Groups`, all of them for `/.search`.
    func search(_ types: [ResourceType], _ request: SearchRequest, context: RequestContext) async throws(SCIMError) -> SearchResult

    func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: RequestContext) async throws(SCIMError) -> ResourceRecord

    func replace(
        _ type: ResourceType, id: String, document: JSONValue, precondition: Precondition?,
        projection: Projection, context: RequestContext
    ) async throws(SCIMError) -> ResourceRecord

    /// A large Group's `members` may be left out of the answer unless `projection` asks for
    /// them (RFC 7644 lets PATCH answer 204; Okta accepts a group without members; a
    /// 50,000-member list on every membership change would cost more than the change).
    func patch(
        _ type: ResourceType, id: String, request: PatchRequest, precondition: Precondition?,
        projection: Projection, context: RequestContext
    ) async throws(SCIMError) -> ResourceRecord

    func delete(_ type: ResourceType, id: String, precondition: Precondition?, context: RequestContext) async throws(SCIMError)
}
