import Hummingbird
import SCIMService
import SCIM

/// The discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes` and
/// `/Schemas`, readable without a token, built from the store's schemas and the server's
/// real settings. A `filter` on them is refused with `403`, as §4 recommends, so a client
/// cannot believe it filtered.
extension SCIMHandlers {
    func serviceProviderConfig(request: Request) throws -> Response {
        try refuseFilter(request, endpoint: "/ServiceProviderConfig")
        var settings = serviceProvider
        settings.pagination = PaginationSettings(
            cursor: service.supportsCursorPaging, defaultPageSize: paging.defaultCount, maxPageSize: paging.maxCount,
            cursorTimeout: CursorPaging.timeoutSeconds)
        return SCIMResponse.json(Discovery.serviceProviderConfig(settings, baseURL: baseURL(request)))
    }

    func resourceTypes(request: Request, context: SCIMRequestContext) async throws -> Response {
        try refuseFilter(request, endpoint: "/ResourceTypes")
        return SCIMResponse.json(Discovery.resourceTypes(try await registry(request, context), baseURL: baseURL(request)))
    }

    func resourceType(request: Request, context: SCIMRequestContext) async throws -> Response {
        let id = try pathID(context)
        guard let json = Discovery.resourceType(id: id, in: try await registry(request, context), baseURL: baseURL(request)) else {
            throw SCIMError.notFound("no resource type \"\(id)\"")
        }
        return SCIMResponse.json(json)
    }

    func schemas(request: Request, context: SCIMRequestContext) async throws -> Response {
        try refuseFilter(request, endpoint: "/Schemas")
        return SCIMResponse.json(Discovery.schemas(try await registry(request, context), baseURL: baseURL(request)))
    }

    func schema(request: Request, context: SCIMRequestContext) async throws -> Response {
        let id = try pathID(context)
        guard let json = Discovery.schema(id: id, in: try await registry(request, context), baseURL: baseURL(request)) else {
            throw SCIMError.notFound("no schema \"\(id)\"")
        }
        return SCIMResponse.json(json)
    }

    /// The store's schemas as of now (a schema committed a moment ago is listed).
    private func registry(_ request: Request, _ context: SCIMRequestContext) async throws -> SchemaRegistry {
        try await service.currentRegistry(context: serviceContext(request, context))
    }

    private func refuseFilter(_ request: Request, endpoint: String) throws {
        if try QueryParameters(request.uri.query)["filter"] != nil {
            throw SCIMError.forbidden("\(endpoint) does not support filtering")
        }
    }
}
