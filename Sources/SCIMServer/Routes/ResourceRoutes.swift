import SCIMService
import Hummingbird
import SCIM

/// Create, read, replace, patch and delete of one resource (RFC 7644 §3.3–3.6), for every
/// resource type of the registry (`/Users`, `/Groups`, …).
extension SCIMHandlers {
    /// `POST /Users`: `201`, `Location`, `ETag` and the full resource.
    func create(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        try MementoRequest.refuseOnWrite(request)
        let projection = try projection(request)
        let document = try await bodyReader.jsonObject(from: request)
        let serviceContext = serviceContext(request, context)
        let record = try await service.create(type, document: document, projection: projection, context: serviceContext)
        let location = record.location ?? DiscoveryURL.join(serviceContext.baseURL, type.endpoint, record.id)
        return resourceResponse(record, status: .created, headers: [.location: location])
    }

    /// `GET /Users/{id}`: `200` with `ETag`, or `304` when `If-None-Match` matches it.
    func read(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        let id = try pathID(context)
        let projection = try projection(request)
        let (service, headers) = try await reader(request, context)
        let read = try await service.get(
            type, id: id, projection: projection, ifNoneMatch: ConditionalRequest.ifNoneMatch(request), context: serviceContext(request, context))
        switch read {
        case let .notModified(version):
            var headers = headers
            headers[.eTag] = version
            return SCIMResponse.empty(status: .notModified, headers: headers)
        case let .resource(record): return resourceResponse(record, status: .ok, headers: headers)
        }
    }

    /// `PUT /Users/{id}`: `200` with the resource; `If-Match` is passed to the service.
    func replace(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        try MementoRequest.refuseOnWrite(request)
        let id = try pathID(context)
        let projection = try projection(request)
        let document = try await bodyReader.jsonObject(from: request)
        let record = try await service.replace(
            type, id: id, document: document, precondition: ConditionalRequest.ifMatch(request),
            projection: projection, context: serviceContext(request, context))
        return resourceResponse(record, status: .ok)
    }

    /// `PATCH /Users/{id}`: `200` with the resource (RFC 7644 allows 204; Okta and Entra
    /// accept 200, and the body shows what the PATCH did).
    func patch(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        try MementoRequest.refuseOnWrite(request)
        let id = try pathID(context)
        let projection = try projection(request)
        let patchRequest = try PatchRequest(json: try await bodyReader.jsonObject(from: request))
        let record = try await service.patch(
            type, id: id, request: patchRequest, precondition: ConditionalRequest.ifMatch(request),
            projection: projection, context: serviceContext(request, context))
        return resourceResponse(record, status: .ok)
    }

    /// `DELETE /Users/{id}`: `204` with no body.
    func delete(_ type: ResourceType, request: Request, context: SCIMRequestContext) async throws -> Response {
        try MementoRequest.refuseOnWrite(request)
        let id = try pathID(context)
        try await service.delete(type, id: id, precondition: ConditionalRequest.ifMatch(request), context: serviceContext(request, context))
        return SCIMResponse.empty(status: .noContent)
    }
}
