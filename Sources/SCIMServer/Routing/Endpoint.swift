import SCIM

/// What a route does, independent of how it is reached. Routes map (method, path) to one
/// of these; `SCIMHandlers` implements each.
enum Endpoint: Sendable, Hashable {
    /// `GET /Users`: list with `filter`, paging, sorting, projection.
    case list(ResourceType)
    /// `POST /Users`
    case create(ResourceType)
    /// `GET /Users/{id}`
    case read(ResourceType)
    /// `PUT /Users/{id}`
    case replace(ResourceType)
    /// `PATCH /Users/{id}`
    case patch(ResourceType)
    /// `DELETE /Users/{id}`
    case delete(ResourceType)
    /// `POST /Users/.search`, or `POST /.search` across all types (nil).
    case search(ResourceType?)
    /// `POST /Bulk`
    case bulk
    /// `GET /ServiceProviderConfig`
    case serviceProviderConfig
    /// `GET /ResourceTypes`
    case resourceTypes
    /// `GET /ResourceTypes/{id}`
    case resourceType
    /// `GET /Schemas`
    case schemas
    /// `GET /Schemas/{id}`
    case schema
    /// `/Me`: answered `501 Not Implemented`.
    case notImplemented(feature: String)
}

extension Endpoint {
    /// The endpoint with its resource type as `registry` declares it now. Routes are built
    /// once, from the resource types; the schemas extending them are the store's and change
    /// while the server runs (`scimgit schema add`, a `git revert`).
    func resolved(in registry: SchemaRegistry) -> Endpoint {
        func current(_ type: ResourceType) -> ResourceType { registry.resourceType(id: type.id) ?? type }
        switch self {
        case .list(let type): return .list(current(type))
        case .create(let type): return .create(current(type))
        case .read(let type): return .read(current(type))
        case .replace(let type): return .replace(current(type))
        case .patch(let type): return .patch(current(type))
        case .delete(let type): return .delete(current(type))
        case .search(let type?): return .search(current(type))
        default: return self
        }
    }
}
