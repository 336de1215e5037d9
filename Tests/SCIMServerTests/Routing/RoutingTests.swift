import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// Unknown routes, wrong methods, unsupported features and the base path: always a SCIM
/// error with the right status.
@Suite struct RoutingTests {
    @Test(arguments: ["/scim/v2/Devices", "/scim/v2/Users/1/extra", "/", "/scim/v1/Users", "/favicon.ico"])
    func unknownRoutesAre404SCIMErrors(path: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.get, path)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/scim+json")
            #expect(response.scimError?.status == 404)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.delete, "/scim/v2/Users", "GET, HEAD, POST"),
        (.post, "/scim/v2/Users/123", "GET, HEAD, PUT, PATCH, DELETE"),
        (.get, "/scim/v2/Users/.search", "POST"),
        (.put, "/scim/v2/ServiceProviderConfig", "GET, HEAD"),
        (.options, "/scim/v2/Groups", "GET, HEAD, POST"),
        (.get, "/scim/v2/.search", "POST"),
    ])
    func wrongMethodsAre405WithAllow(method: HTTPRequest.Method, path: String, allow: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(method, path)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allow)
            #expect(response.headers[.contentType] == "application/scim+json")
            #expect(response.scimError?.status == 405)
        }
    }

    @Test(arguments: [(HTTPRequest.Method.get, "Me"), (.post, "Me"), (.patch, "Me")])
    func meIs501(method: HTTPRequest.Method, path: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(method, path, json: method == .get ? nil : ["schemas": []])
            #expect(response.status == .notImplemented)
            #expect(response.scimError?.status == 501)
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test func headIsAnsweredLikeGetWithoutABody() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(.head, "ServiceProviderConfig", token: nil)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[.contentType] == "application/scim+json")
        }
    }

    @Test(arguments: ["/api/scim/", "api/scim", "/api/scim"])
    func theBasePathIsConfigurable(basePath: String) async throws {
        let app = try TestServer.application { $0.basePath = basePath }
        try await app.test(.router) { client in
            let id = try await client.createUser("ada@example.com", path: "/api/scim/Users")
            let read = try await client.scim(.get, "/api/scim/Users/\(id)")
            #expect(read.status == .ok)
            #expect(try read.json["meta"]?["location"]?.stringValue == "http://localhost/api/scim/Users/\(id)")
            #expect(try await client.scim(.get, "/scim/v2/Users").status == .notFound)
            #expect(try await client.scim(.delete, "/api/scim/Users").status == .methodNotAllowed)
        }
    }

    @Test func aRootBasePathServesAtTheRoot() async throws {
        let app = try TestServer.application { $0.basePath = "/" }
        try await app.test(.router) { client in
            let users = try await client.scim(.get, "/Users")
            #expect(users.status == .ok)
            let configuration = try await client.scim(.get, "/ServiceProviderConfig", token: nil)
            #expect(configuration.status == .ok)
        }
    }

    @Test func everyRouteIsInTheRouteTable() {
        let routes = SCIMRoutes.all(for: .standard)
        let table = RouteTable(routes: routes, basePath: "/scim/v2")
        for route in routes {
            let path = "/scim/v2" + route.path.replacingOccurrences(of: ":id", with: "some-id")
            #expect(table.allowedMethods(forPath: path)?.contains(route.method) == true, "\(route.method) \(path)")
        }
        #expect(table.allowedMethods(forPath: "/scim/v2/Nothing") == nil)
    }
}
