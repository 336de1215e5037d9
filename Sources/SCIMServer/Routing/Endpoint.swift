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
    /// `/Me`, `/Bulk`: answered `501 Not Implemented`.
    case notImplemented(feature: String)
}
