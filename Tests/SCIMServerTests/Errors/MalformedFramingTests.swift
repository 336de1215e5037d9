import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
import Testing
@testable import SCIMServer

/// A body whose HTTP framing is broken is the client's mistake: `400 invalidSyntax` with a
/// SCIM error body, nothing logged at error level, nothing handed to the service, and the
/// connection closed.
@Suite struct MalformedFramingTests {
    static let head = "POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(TestServer.oktaToken)\r\nContent-Type: application/scim+json\r\n"

    /// (name, the request after `head`, whether the client then stops sending)
    static let requests: [(String, String, Bool)] = [
        ("a chunk size that is not hex", "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", false),
        ("a chunk longer than its size", "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"userName\": \"ada\"}\r\n0\r\n\r\n", false),
        ("a chunked body cut short", "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"userName\": \"ada", true),
        ("a body shorter than its Content-Length", "Content-Length: 100\r\n\r\n{\"userName\": \"ada", true),
    ]

    @Test(arguments: requests)
    func isA400WithASCIMErrorAndTheConnectionCloses(name: String, request: String, stopsSending: Bool) async throws {
        let capture = LogCapture()
        let service = InMemoryResourceService()
        let app = try TestServer.application(service: service, logger: capture.logger)
        try await app.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            try connection.transmit(Self.head + request)
            if stopsSending { connection.finishSending() }
            let outcome = await connection.waitForClose(limit: .seconds(30))
            #expect(outcome.closed, "\(name)")
            let response = try #require(RawResponse(outcome.received), "\(name): \(outcome.received)")
            #expect(response.status == 400, "\(name)")
            #expect(response.headers["connection"] == "close", "\(name)")
            #expect(response.headers["content-type"] == "application/scim+json", "\(name)")
            let error = try #require(SCIMError(body: try JSONValue.parse(Array(response.body.utf8))), "\(name): \(response.body)")
            #expect(error.status == 400 && error.scimType == .invalidSyntax, "\(name)")
            let rest = String(decoding: Array(outcome.received.utf8).dropFirst(response.length), as: UTF8.self)
            #expect(!rest.contains("HTTP/1.1"), "\(name): a second response followed: \(rest)")
        }
        #expect(service.calls.isEmpty, "\(name)")
        let loud = capture.entries.filter { $0.level >= .error }
        #expect(loud.isEmpty, "\(name): \(loud.map(\.line))")
    }
}
