import Hummingbird
import SCIM

/// One (method, path) the server answers, relative to the base path. Path parameters are
/// written `:id`.
struct Route: Sendable, Hashable {
    let method: HTTPRequest.Method
    let path: String
    let endpoint: Endpoint
    /// Discovery endpoints may be read without a token (RFC 7644 §4).
    let isPublic: Bool
}

/// Every route of the SCIM API, as data: registered with the router from this list, and
/// consulted to answer `405` (with `Allow`) when a known path is used with another method.
/// One list, so the two can never disagree.
enum SCIMRoutes {
    static let notImplementedMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    static func all(for registry: SchemaRegistry) -> [Route] {
        var routes: [Route] = []
        func add(_ method: HTTPRequest.Method, _ path: String, _ endpoint: Endpoint, isPublic: Bool = false) {
            routes.append(Route(method: method, path: path, endpoint: endpoint, isPublic: isPublic))
        }
        for type in registry.resourceTypes {
            let collection = "/" + type.endpoint.split(separator: "/").joined(separator: "/")
            add(.get, collection, .list(type))
            add(.post, collection, .create(type))
            // The literal `.search` is registered before `:id` so the router prefers it.
            add(.post, collection + "/.search", .search(type))
            add(.get, collection + "/:id", .read(type))
            add(.put, collection + "/:id", .replace(type))
            add(.patch, collection + "/:id", .patch(type))
            add(.delete, collection + "/:id", .delete(type))
        }
        add(.post, "/.search", .search(nil))
        add(.post, "/Bulk", .bulk)
        add(.get, "/ServiceProviderConfig", .serviceProviderConfig, isPublic: true)
        add(.get, "/ResourceTypes", .resourceTypes, isPublic: true)
        add(.get, "/ResourceTypes/:id", .resourceType, isPublic: true)
        add(.get, "/Schemas", .schemas, isPublic: true)
        add(.get, "/Schemas/:id", .schema, isPublic: true)
        for method in notImplementedMethods {
            add(method, "/Me", .notImplemented(feature: "/Me"))
        }
        return routes
    }
}
