import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// `Authorization` as Okta (Header Auth: the token verbatim, or `Bearer …`) and Entra
/// (`Bearer …`) send it; everything else is a 401 SCIM error.
@Suite struct AuthenticationTests {
    @Test(arguments: [
        "Bearer \(TestServer.oktaToken)",
        "bearer \(TestServer.oktaToken)",
        "BEARER   \(TestServer.oktaToken)  ",
        TestServer.oktaToken,
        " \(TestServer.oktaToken) ",
    ])
    func acceptedForms(header: String) async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            let response = try await client.scim(.get, "Users?startIndex=1&count=2", headers: [.authorization: header])
            #expect(response.status == .ok)
            #expect(service.lastCall?.context.client == "okta")
        }
    }

    @Test func eachTokenIsItsOwnClient() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            _ = try await client.createUser("entra@example.com", token: TestServer.entraToken)
            #expect(service.lastCall?.context.client == "entra")
            _ = try await client.createUser("okta@example.com", token: TestServer.oktaToken)
            #expect(service.lastCall?.context.client == "okta")
        }
    }

    static let refused: [String?] = [
        nil,
        "",
        "Bearer",
        "Bearer ",
        "Basic b2t0YTpzZWNyZXQ=",
        "Basic \(TestServer.oktaToken)",
        "non-token",
        "Bearer " + TestServer.oktaToken.dropLast(),
        "Bearer " + TestServer.oktaToken + "x",
        "Bearer " + TestServer.oktaToken.uppercased(),
        TestServer.oktaToken.uppercased(),
        "Bearer \(TestServer.oktaToken) extra",
    ]

    @Test(arguments: refused)
    func refusedWith401SCIMErrorAndWWWAuthenticate(header: String?) async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            var headers: HTTPFields = [:]
            if let header { headers[.authorization] = header }
            let response = try await client.scim(.get, "Users", token: nil, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/scim+json")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let error = try #require(response.scimError)
            #expect(error.status == 401)
            #expect(!response.text.contains(TestServer.oktaToken))
            #expect(!response.text.lowercased().contains(TestServer.oktaToken.lowercased().prefix(12)))
            #expect(service.calls.isEmpty)
        }
    }

    @Test func twoAuthorizationHeadersAreRefused() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            var headers = HTTPFields()
            headers.append(HTTPField(name: .authorization, value: "Bearer \(TestServer.oktaToken)"))
            headers.append(HTTPField(name: .authorization, value: "Bearer \(TestServer.entraToken)"))
            let response = try await client.scim(.get, "Users", token: nil, headers: headers)
            #expect(response.status == .unauthorized)
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.post, "Users"), (.get, "Users/1"), (.put, "Users/1"), (.patch, "Users/1"), (.delete, "Users/1"),
        (.post, "Users/.search"), (.post, ".search"), (.get, "Groups"), (.get, "Me"), (.post, "Bulk"),
    ])
    func everyResourceEndpointRequiresAToken(method: HTTPRequest.Method, path: String) async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            let response = try await client.scim(method, path, token: nil, json: method == .get || method == .delete ? nil : ["schemas": []])
            #expect(response.status == .unauthorized)
        }
    }

    @Test func withNoTokenConfiguredEverythingProtectedIs401() async throws {
        let app = try TestServer.application { $0.tokenVerifiers = [] }
        try await app.test(.router) { client in
            #expect(try await client.scim(.get, "Users").status == .unauthorized)
            let discovery = try await client.scim(.get, "ServiceProviderConfig", token: nil)
            #expect(discovery.status == .ok)
        }
    }

    @Test func tokensFromATokenStoreWork() async throws {
        let directory = try TemporaryDirectory()
        let store = TokenStore(path: directory.path + "/tokens.json")
        let secret = try store.add(name: "okta-prod")
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service) { $0.tokenVerifiers = [store] }
        try await app.test(.router) { client in
            #expect(try await client.scim(.get, "Users", token: secret).status == .ok)
            #expect(service.lastCall?.context.client == "okta-prod")
            try store.revoke(name: "okta-prod")
            #expect(try await client.scim(.get, "Users", token: secret).status == .unauthorized)
        }
    }

    @Test func headerParsing() {
        #expect(AuthorizationHeader.credential(from: ["Bearer abc"]) == .token("abc"))
        #expect(AuthorizationHeader.credential(from: ["abc"]) == .token("abc"))
        #expect(AuthorizationHeader.credential(from: ["bEaReR\tabc"]) == .token("abc"))
        if case .token = AuthorizationHeader.credential(from: ["Basic abc"]) { Issue.record("Basic accepted") }
        if case .token = AuthorizationHeader.credential(from: []) { Issue.record("missing header accepted") }
        if case .rejected(let reason) = AuthorizationHeader.credential(from: ["secretvalue trailing"]) {
            #expect(!reason.contains("secretvalue"))
        } else {
            Issue.record("a two-word header with an unknown scheme was accepted")
        }
    }
}
