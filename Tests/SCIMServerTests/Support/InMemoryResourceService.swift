import SCIMService
import Foundation
import SCIM
import Synchronization

/// A `ResourceService` kept in memory, for testing the HTTP layer without git.
///
/// It behaves like the real store where a client can tell: validation through the SCIM
/// module's `ResourceValidator` and `PatchEngine`, filters, sorting, paging and projection,
/// `meta` with `location` built from the request's base URL and a weak version, and the
/// errors the HTTP layer must pass through (404 unknown id, 409 `uniqueness` on userName /
/// group displayName in any case, 412 stale `If-Match`). It also records what it was
/// called with, so tests can check what the HTTP layer handed over.
final class InMemoryResourceService: ResourceService {
    let registry: SchemaRegistry

    struct Call: Sendable {
        var operation: String
        var context: Caller
        var precondition: EntityTagList?
        var projection: Projection?
        var id: String?
    }

    private struct Stored {
        var type: ResourceType
        var resource: JSONValue  // canonical, with `id`, without `meta`
        var version: Int
        var created: String
        var lastModified: String
    }

    private struct State {
        var resources: [String: Stored] = [:]
        var order: [String] = []
        var nextVersion = 1
        var calls: [Call] = []
    }

    private let state = Mutex(State())

    init(registry: SchemaRegistry = .standard) {
        self.registry = registry
    }

    /// Every call received, oldest first.
    var calls: [Call] { state.withLock { $0.calls } }
    var lastCall: Call? { calls.last }

    // MARK: ResourceService

    func get(
        _ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, context: Caller
    ) async throws(SCIMError) -> ReadResult {
        try state.withLock { (state: inout State) throws(SCIMError) -> ReadResult in
            state.calls.append(Call(operation: "get", context: context, projection: projection, id: id))
            let stored = try Self.find(type, id, in: state)
            if let ifNoneMatch, ifNoneMatch.matches(Self.version(stored)) { return .notModified(version: Self.version(stored)) }
            return .resource(Self.record(stored, projection: projection, baseURL: context.baseURL))
        }
    }

    func search(_ types: [ResourceType], _ request: SearchRequest, context: Caller) async throws(SCIMError) -> SearchResult {
        state.withLock { state in
            state.calls.append(Call(operation: "search", context: context, projection: request.projection))
            var documents: [(ResourceType, JSONValue)] = []
            for key in state.order {
                guard let stored = state.resources[key], types.contains(where: { $0.id == stored.type.id }) else { continue }
                let full = Self.render(stored, baseURL: context.baseURL)
                if let filter = request.filter, !FilterMatcher(filter, for: types.count == 1 ? stored.type : nil).matches(full) { continue }
                documents.append((stored.type, full))
            }
            if let sort = request.sort {
                let sorted = sort.sorted(documents.map(\.1))
                documents = sorted.map { document in (documents.first { $0.1 == document }!.0, document) }
            }
            let page = request.paging.page(of: documents)
            let records = page.map { type, document in
                ResourceRecord(
                    type: type, id: document["id"]?.stringValue ?? "", version: document["meta"]?["version"]?.stringValue ?? "",
                    document: request.projection.apply(to: document, as: type))
            }
            return SearchResult(totalResults: documents.count, startIndex: request.paging.startIndex, resources: records)
        }
    }

    func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        let validated = try ResourceValidator(registry: registry).validate(document, as: type)
        return try state.withLock { (state: inout State) throws(SCIMError) -> ResourceRecord in
            state.calls.append(Call(operation: "create", context: context, projection: projection))
            let id = UUID().uuidString.lowercased()
            var resource = validated.resource
            resource["id"] = .string(id)
            try Self.checkUnique(resource, type: type, except: nil, in: state)
            let now = SCIMDateTime(timeIntervalSince1970: Date().timeIntervalSince1970).description
            let stored = Stored(type: type, resource: resource, version: state.nextVersion, created: now, lastModified: now)
            state.nextVersion += 1
            state.resources[Self.key(type, id)] = stored
            state.order.append(Self.key(type, id))
            return Self.record(stored, projection: projection, baseURL: context.baseURL)
        }
    }

    func replace(
        _ type: ResourceType, id: String, document: JSONValue, precondition: EntityTagList?, projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        try state.withLock { (state: inout State) throws(SCIMError) -> ResourceRecord in
            state.calls.append(Call(operation: "replace", context: context, precondition: precondition, projection: projection, id: id))
            var stored = try Self.find(type, id, in: state)
            try Self.check(precondition, stored)
            var resource = try ResourceValidator(registry: registry).validate(document, as: type, existing: stored.resource).resource
            resource["id"] = .string(id)
            try Self.checkUnique(resource, type: type, except: id, in: state)
            stored.resource = resource
            try Self.bump(&stored, in: &state)
            state.resources[Self.key(type, id)] = stored
            return Self.record(stored, projection: projection, baseURL: context.baseURL)
        }
    }

    func patch(
        _ type: ResourceType, id: String, request: PatchRequest, precondition: EntityTagList?, projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        try state.withLock { (state: inout State) throws(SCIMError) -> ResourceRecord in
            state.calls.append(Call(operation: "patch", context: context, precondition: precondition, projection: projection, id: id))
            var stored = try Self.find(type, id, in: state)
            try Self.check(precondition, stored)
            let outcome = try PatchEngine(registry: registry).apply(request, to: stored.resource, as: type)
            var resource = outcome.resource
            resource["id"] = .string(id)
            resource["meta"] = nil
            try Self.checkUnique(resource, type: type, except: id, in: state)
            stored.resource = resource
            try Self.bump(&stored, in: &state)
            state.resources[Self.key(type, id)] = stored
            return Self.record(stored, projection: projection, baseURL: context.baseURL)
        }
    }

    func delete(_ type: ResourceType, id: String, precondition: EntityTagList?, context: Caller) async throws(SCIMError) {
        try state.withLock { (state: inout State) throws(SCIMError) in
            state.calls.append(Call(operation: "delete", context: context, precondition: precondition, id: id))
            let stored = try Self.find(type, id, in: state)
            try Self.check(precondition, stored)
            state.resources[Self.key(type, id)] = nil
            state.order.removeAll { $0 == Self.key(type, id) }
        }
    }

    // MARK: Helpers

    private static func key(_ type: ResourceType, _ id: String) -> String { "\(type.id)/\(id)" }

    private static func find(_ type: ResourceType, _ id: String, in state: State) throws(SCIMError) -> Stored {
        guard let stored = state.resources[key(type, id)] else { throw .notFound("\(type.name) \(id) not found") }
        return stored
    }

    private static func version(_ stored: Stored) -> String { "W/\"v\(stored.version)\"" }

    private static func check(_ precondition: EntityTagList?, _ stored: Stored) throws(SCIMError) {
        if let precondition, !precondition.matches(version(stored)) {
            throw .preconditionFailed("the resource has changed: its version is \(version(stored))")
        }
    }

    private static func bump(_ stored: inout Stored, in state: inout State) throws(SCIMError) {
        stored.version = state.nextVersion
        state.nextVersion += 1
        stored.lastModified = SCIMDateTime(timeIntervalSince1970: Date().timeIntervalSince1970).description
    }

    private static func checkUnique(_ resource: JSONValue, type: ResourceType, except id: String?, in state: State) throws(SCIMError) {
        let attribute = type.id == "User" ? "userName" : "displayName"
        guard let value = resource.value(forAttribute: attribute)?.stringValue?.lowercased() else { return }
        for stored in state.resources.values where stored.type.id == type.id {
            guard stored.resource["id"]?.stringValue != id else { continue }
            if stored.resource.value(forAttribute: attribute)?.stringValue?.lowercased() == value {
                throw .uniqueness("\(attribute) \"\(value)\" is already taken")
            }
        }
    }

    private static func render(_ stored: Stored, baseURL: String) -> JSONValue {
        var document = stored.resource
        let id = document["id"]?.stringValue ?? ""
        document["meta"] = .object([
            "resourceType": .string(stored.type.id),
            "created": .string(stored.created),
            "lastModified": .string(stored.lastModified),
            "location": .string(DiscoveryURL.join(baseURL, stored.type.endpoint, id)),
            "version": .string(version(stored)),
        ])
        return document
    }

    private static func record(_ stored: Stored, projection: Projection, baseURL: String) -> ResourceRecord {
        ResourceRecord(
            type: stored.type, id: stored.resource["id"]?.stringValue ?? "", version: version(stored),
            document: projection.apply(to: render(stored, baseURL: baseURL), as: stored.type))
    }
}
