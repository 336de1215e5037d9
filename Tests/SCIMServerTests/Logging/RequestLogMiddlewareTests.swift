import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
import Testing
@testable import SCIMServer

/// One log line per request with method, path, status, duration, client and request id —
/// and never a token, a query string or a body.
@Suite struct RequestLogMiddlewareTests {
    private func requestLines(_ capture: LogCapture) -> [LogCapture.Entry] {
        capture.entries.filter { $0.level == .info && $0.metadata["status"] != nil }
    }

    @Test func oneLinePerRequestWithTheFields() async throws {
        let capture = LogCapture()
        let app = try TestServer.application(logger: capture.logger)
        try await app.test(.router) { client in
            _ = try await client.scim(.get, "Users?filter=userName+eq+%22private.person%40example.com%22", headers: [.requestID: "okta-123"])
            _ = try await client.scim(.get, "Users", token: nil)
            _ = try await client.scim(.get, "Nowhere", token: TestServer.entraToken)
        }
        let lines = requestLines(capture)
        #expect(lines.count == 3)
        let first = try #require(lines.first)
        #expect(first.metadata["method"] == "GET")
        #expect(first.metadata["path"] == "/scim/v2/Users")
        #expect(first.metadata["status"] == "200")
        #expect(first.metadata["client"] == "okta")
        #expect(first.metadata["request_id"] == "okta-123")
        #expect(first.metadata["duration_ms"] != nil)
        #expect(first.message == "GET /scim/v2/Users 200")
        #expect(lines[1].metadata["status"] == "401")
        #expect(lines[1].metadata["client"] == "-")
        #expect(lines[2].metadata["status"] == "404")
        #expect(lines[2].metadata["client"] == "entra")
        for entry in capture.entries {
            #expect(!entry.line.contains("private.person"))
            #expect(!entry.line.contains("filter"))
        }
    }

    @Test func secretsAndBodiesNeverReachTheLog() async throws {
        let capture = LogCapture()
        let app = try TestServer.application(logger: capture.logger)
        try await app.test(.router) { client in
            _ = try await client.createUser("ada@example.com")  // the fixture carries "password": "1mz050nq"
            _ = try await client.scim(.get, "Users", headers: [.authorization: TestServer.entraToken])
            _ = try await client.scim(.get, "Users", headers: [.authorization: "Bearer wrong-but-secret-looking-token"])
            _ = try await client.scim(.post, "Users", body: Array("{\"password\":\"hunter2-hunter2\"".utf8))
        }
        #expect(requestLines(capture).count == 4)
        for entry in capture.entries {
            for secret in [TestServer.oktaToken, TestServer.entraToken, "wrong-but-secret", "1mz050nq", "hunter2", "ada@example.com"] {
                #expect(!entry.line.contains(secret), "\(entry.line)")
            }
        }
    }

    @Test func requestIDsAreEchoedOrGenerated() async throws {
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service)
        try await app.test(.router) { client in
            let echoed = try await client.scim(.get, "Users", headers: [.requestID: "5f0c6d1e-okta.req:1"])
            #expect(echoed.headers[.requestID] == "5f0c6d1e-okta.req:1")

            let generated = try await client.scim(.get, "Users")
            let id = try #require(generated.headers[.requestID])
            #expect(id.count == 36)
            #expect(service.lastCall?.context.requestID == id)
            let another = try await client.scim(.get, "Users")
            #expect(another.headers[.requestID] != id)

            for insane in ["has spaces", String(repeating: "a", count: 129), "semi;colon", "quote\"s", "ünïcode"] {
                let response = try await client.scim(.get, "Users", headers: [.requestID: insane])
                let replaced = try #require(response.headers[.requestID])
                #expect(replaced != insane)
                #expect(replaced.count == 36)
            }
        }
    }
}
