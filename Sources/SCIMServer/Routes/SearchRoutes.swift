import SCIMService
import Hummingbird
import SCIM

/// Queries (RFC 7644 §3.4.2–3.4.3): `GET /Users?filter=…` and `POST …/.search`, both
/// answered with a ListResponse. Page sizes are capped by the configured `PagingLimits`,
/// which `/ServiceProviderConfig` advertises as `filter.maxResults`.
extension SCIMHandlers {
    /// `GET /Users?filter=…&startIndex=…&count=…&sortBy=…&sortOrder=…&attributes=…`.
    func list(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        let query = try QueryParameters(request.uri.query)
        let searchRequest = try SearchRequest(query: query.dictionary, for: type, limits: paging)
        try refuseCursorWithout(searchRequest)
        let (service, headers) = try await reader(request, context)
        let result = try await service.search([type], searchRequest, context: serviceContext(request, context))
        return SCIMResponse.json(bytes: result.serializedListResponse, headers: headers)
    }

    /// `POST /Users/.search` (one type) or `POST /.search` (every type) with a
    /// SearchRequest body.
    func search(_ type: ResourceType?, request: Request, context: SCIMRequestContext) async throws -> Response {
        let body = try await bodyReader.jsonObject(from: request)
        let searchRequest = try SearchRequest(body: body, for: type, limits: paging)
        let types = type.map { [$0] } ?? service.registry.resourceTypes
        try refuseCursorWithout(searchRequest)
        let (service, headers) = try await reader(request, context)
        let result = try await service.search(types, searchRequest, context: serviceContext(request, context))
        return SCIMResponse.json(bytes: result.serializedListResponse, headers: headers)
    }

    private func refuseCursorWithout(_ request: SearchRequest) throws(SCIMError) {
        if request.cursor != nil, !service.supportsCursorPaging {
            throw .invalidValue("this store does not page by cursor; page with startIndex")
        }
    }
}
