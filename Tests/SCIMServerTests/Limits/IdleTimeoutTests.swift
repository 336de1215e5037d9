import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SCIMServer

/// Slow and idle connections are closed after the idle timeout, and do not hold up other
/// clients meanwhile.
@Suite struct IdleTimeoutTests {
    @Test func aHalfSentRequestIsDroppedWhileOthersAreServed() async throws {
        // Long enough that the request below is served before it runs out on a loaded
        // machine; only the lower bound of the close is asserted.
        let app = try TestServer.application { $0.idleTimeout = .seconds(8) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let start = ContinuousClock.now
            let slow = try RawConnection(port: port)
            try slow.transmit("GET /scim/v2/ServiceProviderConfig HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            let idle = try RawConnection(port: port)

            // Served while the slow and idle connections are still open.
            let served = try await client.scim(.get, "Users")
            #expect(served.status == .ok)
            // (When the whole suite loads the machine, the answer can come after the timeout
            // has closed them; they must be open whenever it came well within it.)
            if ContinuousClock.now - start < .seconds(6) { #expect(slow.isOpen && idle.isOpen) }

            let slowOutcome = await slow.waitForClose(limit: .seconds(30))
            #expect(slowOutcome.closed)
            #expect(!slowOutcome.received.contains("200 OK"))
            let idleOutcome = await idle.waitForClose(limit: .seconds(30))
            #expect(idleOutcome.closed)
            #expect(ContinuousClock.now - start >= .milliseconds(7900))
        }
    }

    @Test func aConnectionWithinTheTimeoutIsKeptAlive() async throws {
        // The response may be slow on a loaded machine; only the idle second after it is
        // measured against the timeout, and the connection must still serve a second request.
        let app = try TestServer.application { $0.idleTimeout = .seconds(10) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            let request = "GET /scim/v2/ServiceProviderConfig HTTP/1.1\r\nHost: localhost\r\n\r\n"
            try connection.transmit(request)
            let first = await connection.receiveResponse(limit: .seconds(60))
            #expect(first?.status == 200)
            let idle = await connection.waitForClose(limit: .seconds(1))
            #expect(!idle.closed)
            try connection.transmit(request)
            let second = await connection.receiveResponse(limit: .seconds(60))
            #expect(second?.status == 200)
        }
    }
}
