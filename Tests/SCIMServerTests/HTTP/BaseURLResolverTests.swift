import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// The base URL in `meta.location` and `Location`: from `Host`, the server's own scheme,
/// forwarded headers only when trusted, or the configured public URL.
@Suite struct BaseURLResolverTests {
    private func request(authority: String?, headers: HTTPFields = [:]) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/scim/v2/Users", headerFields: headers),
            body: RequestBody(buffer: ByteBuffer()))
    }

    private func resolver(_ adjust: (inout SCIMServerConfiguration) -> Void = { _ in }) -> BaseURLResolver {
        var configuration = SCIMServerConfiguration()
        adjust(&configuration)
        return BaseURLResolver(configuration: configuration)
    }

    @Test func fromTheHostHeader() {
        #expect(resolver().baseURL(for: request(authority: "scim.example.com:8443")) == "http://scim.example.com:8443/scim/v2")
        #expect(resolver().baseURL(for: request(authority: "SCIM.Example.com")) == "http://scim.example.com/scim/v2")
        #expect(resolver().baseURL(for: request(authority: "[::1]:8080")) == "http://[::1]:8080/scim/v2")
    }

    @Test func httpsWhenServingTLS() {
        let tls = resolver { $0.tls = TLSFiles(certificateChainPath: "c.pem", privateKeyPath: "k.pem") }
        #expect(tls.baseURL(for: request(authority: "scim.example.com")) == "https://scim.example.com/scim/v2")
    }

    @Test(arguments: ["evil.com/path", "a b", "host:99999", "host:port", "[zz]", "x\"y", "", "host:", "host:123456", "[::1]x", "[]", "[::1]:", "münchen.de", ":80"])
    func anImplausibleHostFallsBackToTheListeningAddress(host: String) {
        #expect(resolver().baseURL(for: request(authority: host)) == "http://127.0.0.1:8080/scim/v2")
    }

    @Test func forwardedHeadersOnlyWhenTrusted() {
        let headers: HTTPFields = [.forwardedProto: "https", .forwardedHost: "scim.example.com, proxy.internal"]
        #expect(resolver().baseURL(for: request(authority: "10.0.0.5:8080", headers: headers)) == "http://10.0.0.5:8080/scim/v2")
        let trusting = resolver { $0.trustForwardedHeaders = true }
        #expect(trusting.baseURL(for: request(authority: "10.0.0.5:8080", headers: headers)) == "https://scim.example.com/scim/v2")
        let bad: HTTPFields = [.forwardedProto: "gopher", .forwardedHost: "bad host"]
        #expect(trusting.baseURL(for: request(authority: "10.0.0.5:8080", headers: bad)) == "http://10.0.0.5:8080/scim/v2")
    }

    @Test func aPublicBaseURLWins() {
        let fixed = resolver {
            $0.publicBaseURL = "https://idp-facing.example.com/tenant/scim/v2/"
            $0.trustForwardedHeaders = true
        }
        #expect(fixed.baseURL(for: request(authority: "10.0.0.5", headers: [.forwardedHost: "other"])) == "https://idp-facing.example.com/tenant/scim/v2")
    }

    @Test func locationAndMetaFollowTrustedForwardedHeaders() async throws {
        let app = try TestServer.application { $0.trustForwardedHeaders = true }
        try await app.test(.router) { client in
            let response = try await client.scim(
                .post, "Users", headers: [.forwardedProto: "https", .forwardedHost: "scim.example.com"],
                json: try Fixtures.json("okta/create-user.json"))
            let id = try #require(try response.json["id"]?.stringValue)
            #expect(response.headers[.location] == "https://scim.example.com/scim/v2/Users/\(id)")
            #expect(try response.json["meta"]?["location"]?.stringValue == "https://scim.example.com/scim/v2/Users/\(id)")
        }
    }

    @Test func locationFollowsThePublicBaseURL() async throws {
        let app = try TestServer.application { $0.publicBaseURL = "https://scim.example.com/scim/v2" }
        try await app.test(.router) { client in
            let response = try await client.scim(.post, "Users", json: try Fixtures.json("okta/create-user.json"))
            let id = try #require(try response.json["id"]?.stringValue)
            #expect(response.headers[.location] == "https://scim.example.com/scim/v2/Users/\(id)")
            let discovery = try await client.scim(.get, "ServiceProviderConfig", token: nil)
            #expect(try discovery.json["meta"]?["location"] == "https://scim.example.com/scim/v2/ServiceProviderConfig")
        }
    }
}
