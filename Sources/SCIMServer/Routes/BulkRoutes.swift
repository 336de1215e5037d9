import SCIMService
import Hummingbird
import SCIM

/// `POST /Bulk` (RFC 7644 §3.7): the operations of one request, each run as the single
/// request it stands for, through the same service calls, so each that succeeds is its own
/// commit (history stays one SCIM write per commit) and one that fails commits nothing.
/// They share the bulk request's `SCIM-Request-Id` trailer and carry their place in it
/// (`SCIM-Bulk-Operation`). Not one transaction: RFC 7644 has none, and an operation that
/// succeeded stays when a later one fails.
extension SCIMHandlers {
    func bulk(request: Request, context: SCIMRequestContext) async throws -> Response {
        try MementoRequest.refuseOnWrite(request)
        let bulk = try BulkRequest(json: try await bodyReader.jsonObject(from: request), maxOperations: settings.bulkMaxOperations)
        let caller = serviceContext(request, context)
        let plan = BulkPlan(bulk.operations)
        var ids: [String: String] = [:]
        var response = BulkResponse()
        var errors = 0
        for index in plan.order {
            if let limit = bulk.failOnErrors, errors >= limit { break }
            let operation = bulk.operations[index]
            var opCaller = caller
            opCaller.bulkOperation = "\(index + 1) of \(bulk.operations.count)" + (operation.bulkId.map { " (bulkId \($0))" } ?? "")
            var result = BulkResponse.Result(method: operation.method, bulkId: operation.bulkId, status: 200)
            do {
                if let refused = plan.refused[index] { throw refused }
                if let missing = operation.references.sorted().first(where: { ids[$0] == nil }) {
                    throw SCIMError.conflict("bulkId:\(missing) could not be resolved: the POST defining it failed")
                }
                let record = try await run(operation, ids: ids, caller: opCaller)
                if let record {
                    result.version = record.version
                    result.location = record.location ?? DiscoveryURL.join(caller.baseURL, record.type.endpoint, record.id)
                    if let bulkId = operation.bulkId, operation.method == .post { ids[bulkId] = record.id }
                }
                result.status = operation.method == .post ? 201 : (operation.method == .delete ? 204 : 200)
            } catch let error as SCIMError {
                result.status = error.status
                result.error = error
                errors += 1
            } catch let error as SCIMHTTPError {
                result.status = error.error.status
                result.error = error.error
                errors += 1
            }
            response.results.append(result)
        }
        return SCIMResponse.json(bytes: response.json.serialized(.compact))
    }

    /// Runs one operation; nil for a DELETE (nothing to answer with).
    private func run(_ operation: BulkOperation, ids: [String: String], caller: Caller) async throws -> ResourceRecord? {
        let (type, id) = try target(BulkReference.resolving(operation.path, ids), method: operation.method)
        let data = operation.data.map { BulkReference.resolving($0, ids) }
        let precondition = operation.version.flatMap { EntityTagList(headerValues: [$0]) }
        // Only id and meta are answered; the resource itself is not rendered.
        let projection = try Projection(attributes: ["id"])
        switch operation.method {
        case .post:
            return try await service.create(type, document: data ?? .object([:]), projection: projection, context: caller)
        case .put:
            return try await service.replace(type, id: id!, document: data ?? .object([:]), precondition: precondition, projection: projection, context: caller)
        case .patch:
            let patch = try PatchRequest(json: data ?? .object([:]))
            return try await service.patch(type, id: id!, request: patch, precondition: precondition, projection: projection, context: caller)
        case .delete:
            try await service.delete(type, id: id!, precondition: precondition, context: caller)
            return nil
        }
    }

    /// The resource type and id a path names: `/Users` for a POST, `/Users/{id}` otherwise.
    private func target(_ path: String, method: BulkOperation.Method) throws(SCIMError) -> (ResourceType, String?) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let registry = service.registry
        for type in registry.resourceTypes {
            let endpoint = type.endpoint.split(separator: "/", omittingEmptySubsequences: true)
            guard segments.count >= endpoint.count, zip(segments, endpoint).allSatisfy({ $0.0 == $0.1 }) else { continue }
            let rest = segments.dropFirst(endpoint.count)
            switch (method, rest.count) {
            case (.post, 0): return (type, nil)
            case (.post, _): throw .invalidValue("a POST's path is a resource type's endpoint, \(type.endpoint), not \(path)")
            case (_, 1):
                guard let id = PercentDecoding.decode(rest.first!, plusAsSpace: false), !id.isEmpty else { break }
                return (type, id)
            case (_, 0): throw .invalidValue("a \(method.rawValue)'s path names one resource, e.g. \(type.endpoint)/{id}")
            default: break
            }
        }
        throw .invalidValue("the path \(path) names no resource of this server (\(registry.resourceTypes.map(\.endpoint).joined(separator: ", ")))")
    }
}
