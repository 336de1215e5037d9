import SCIMService
import Hummingbird
import SCIM

/// The route handlers: they turn HTTP requests into calls on the `ResourceService` and its
/// answers into RFC 7644 responses.
///
/// The service is held here, not in a global, so one process can later serve several
/// stores, each application with its own. Handlers throw `SCIMError`s (and
/// `SCIMHTTPError`s); `SCIMErrorMiddleware` renders them.
struct SCIMHandlers: Sendable {
    /// What the handlers of one server share, whatever store they answer for.
    struct Settings: Sendable {
        let paging: PagingLimits
        let bodyReader: RequestBodyReader
        let baseURLs: BaseURLResolver
        let serviceProvider: ServiceProviderSettings
        /// Most operations one `POST /Bulk` may hold.
        let bulkMaxOperations: Int
    }

    let service: any ResourceService
    let settings: Settings
    /// The tenant the handlers answer for (its name ends every base URL), if any.
    var tenant: String? = nil

    var paging: PagingLimits { settings.paging }
    var bodyReader: RequestBodyReader { settings.bodyReader }
    var baseURLs: BaseURLResolver { settings.baseURLs }
    var serviceProvider: ServiceProviderSettings { settings.serviceProvider }

    /// The SCIM base URL the request reached, the tenant's when there is one.
    func baseURL(_ request: Request) -> String {
        baseURLs.baseURL(for: request, tenant: tenant)
    }

    func respond(to endpoint: Endpoint, request: Request, context: SCIMRequestContext) async throws -> Response {
        switch endpoint.resolved(in: service.registry) {
        case .list(let type): return try await list(type, request: request, context: context)
        case .search(let type): return try await search(type, request: request, context: context)
        case .create(let type): return try await create(type, request: request, context: context)
        case .read(let type): return try await read(type, request: request, context: context)
        case .replace(let type): return try await replace(type, request: request, context: context)
        case .patch(let type): return try await patch(type, request: request, context: context)
        case .delete(let type): return try await delete(type, request: request, context: context)
        case .bulk: return try await bulk(request: request, context: context)
        case .serviceProviderConfig: return try serviceProviderConfig(request: request)
        case .resourceTypes: return try await resourceTypes(request: request, context: context)
        case .resourceType: return try await resourceType(request: request, context: context)
        case .schemas: return try await schemas(request: request, context: context)
        case .schema: return try await schema(request: request, context: context)
        case .notImplemented(let feature): throw SCIMError.notImplemented("\(feature) is not supported by this server")
        }
    }

    // MARK: Shared helpers

    /// What the service records about the caller (commit author, trailers) and the base
    /// URL its `meta.location` links are built from.
    func serviceContext(_ request: Request, _ context: SCIMRequestContext) -> Caller {
        Caller(client: context.client ?? "anonymous", requestID: context.requestID, baseURL: baseURL(request))
    }

    /// The `{id}` path segment, percent-decoded. Any string goes to the service, which
    /// answers 404 for ids it does not have.
    func pathID(_ context: SCIMRequestContext) throws(SCIMError) -> String {
        guard let raw = context.parameters.get("id"), let id = PercentDecoding.decode(Substring(raw), plusAsSpace: false), !id.isEmpty else {
            throw .notFound("no resource id in the path")
        }
        return id
    }

    /// `attributes` / `excludedAttributes` from the query string.
    func projection(_ request: Request) throws(SCIMError) -> Projection {
        let query = try QueryParameters(request.uri.query)
        return try Projection(attributes: query["attributes"], excludedAttributes: query["excludedAttributes"])
    }

    /// A single resource with its `ETag`.
    func resourceResponse(_ record: ResourceRecord, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if !record.version.isEmpty { headers[.eTag] = record.version }
        return SCIMResponse.json(bytes: record.serialized, status: status, headers: headers)
    }
}
