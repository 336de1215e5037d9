import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SCIMServer

/// A response that says `Connection: close` is followed by the server's end of the stream
/// and the socket's release, long before the idle timeout.
@Suite struct ConnectionCloseTests {
    static let head = "POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(TestServer.oktaToken)\r\nContent-Type: application/scim+json\r\n"

    @Test func aRefusedBodyIsNotReadToItsEnd() async throws {
        let app = try TestServer.application { $0.idleTimeout = .seconds(300) }
        try await app.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            // Declares 20 MiB and sends a few bytes: the answer must not wait for the rest.
            try connection.transmit(Self.head + "Content-Length: \(20 << 20)\r\n\r\n{\"userName\": ")
            let outcome = await connection.waitForClose(limit: .seconds(30))
            #expect(outcome.closed)
            #expect(RawResponse(outcome.received)?.status == 413)
            #expect(await connection.waitForRelease(limit: .seconds(30)))
        }
    }

    @Test func brokenFramingReleasesTheSocketEvenIfTheClientStaysConnected() async throws {
        let app = try TestServer.application { $0.idleTimeout = .seconds(300) }
        try await app.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            try connection.transmit(Self.head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let outcome = await connection.waitForClose(limit: .seconds(30))
            #expect(RawResponse(outcome.received)?.status == 400)
            #expect(await connection.waitForRelease(limit: .seconds(30)))
        }
    }

    @Test func onlyTheCloseOptionCounts() {
        #expect(ConnectionCloseHandler.asksToClose([.connection: "close"]))
        #expect(ConnectionCloseHandler.asksToClose([.connection: "keep-alive, Close"]))
        #expect(!ConnectionCloseHandler.asksToClose([.connection: "keep-alive"]))
        #expect(!ConnectionCloseHandler.asksToClose([.connection: "closed"]))
        #expect(!ConnectionCloseHandler.asksToClose([:]))
    }
}
