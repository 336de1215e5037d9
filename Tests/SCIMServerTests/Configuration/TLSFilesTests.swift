import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// HTTPS with a PEM certificate and key, served with HummingbirdTLS, spoken to by a real
/// TLS client (AsyncHTTPClient through HummingbirdTesting).
@Suite struct TLSFilesTests {
    @Test func servesSCIMOverTLS() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try SelfSignedCertificate(in: directory)
        let app = try TestServer.application {
            $0.tls = TLSFiles(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
        }
        try await app.test(.ahc(.https)) { client in
            let port = try #require(client.port)
            let discovery = try await client.scim(.get, "ServiceProviderConfig", token: nil)
            #expect(discovery.status == .ok)
            #expect(discovery.headers[.contentType] == "application/scim+json")
            #expect(try discovery.json["meta"]?["location"]?.stringValue == "https://localhost:\(port)/scim/v2/ServiceProviderConfig")

            let created = try await client.scim(.post, "Users", json: try Fixtures.json("okta/create-user.json"))
            #expect(created.status == .created)
            let id = try #require(try created.json["id"]?.stringValue)
            #expect(created.headers[.location] == "https://localhost:\(port)/scim/v2/Users/\(id)")

            let refused = try await client.scim(.get, "Users", token: nil)
            #expect(refused.status == .unauthorized)
            #expect(refused.scimError?.status == 401)
        }
    }

    @Test func unreadableFilesAreAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: SCIMServerConfigurationError.self) {
            _ = try TestServer.application {
                $0.tls = TLSFiles(certificateChainPath: directory.path + "/missing.pem", privateKeyPath: directory.path + "/missing-key.pem")
            }
        }
        let certificate = try SelfSignedCertificate(in: directory)
        do {
            _ = try TestServer.application {
                $0.tls = TLSFiles(certificateChainPath: certificate.certificatePath, privateKeyPath: directory.path + "/nope.pem")
            }
            Issue.record("a missing key was accepted")
        } catch let error as SCIMServerConfigurationError {
            #expect(error.description.contains("nope.pem"))
        }
    }
}
