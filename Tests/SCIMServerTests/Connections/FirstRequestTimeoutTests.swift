import Hummingbird
import HummingbirdTesting
import Testing
@testable import SCIMServer

/// A connection that has not sent a complete request head is closed after the
/// first-request timeout; one that has been served stays for the idle timeout.
@Suite struct FirstRequestTimeoutTests {
    @Test func silentAndHalfSentConnectionsCloseWhileAServedOneStays() async throws {
        let app = try TestServer.application {
            $0.firstRequestTimeout = .seconds(1)
            $0.idleTimeout = .seconds(120)
        }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let served = try RawConnection(port: port)
            try served.transmit("GET /scim/v2/ServiceProviderConfig HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await served.receiveResponse(limit: .seconds(30))?.status == 200)

            let opened = ContinuousClock.now
            let silent = try RawConnection(port: port)
            let halfHead = try RawConnection(port: port)
            try halfHead.transmit("GET /scim/v2/Users HTTP/1.1\r\nHost: local")
            #expect(await silent.waitForClose(limit: .seconds(30)) == (true, ""))
            #expect(await halfHead.waitForClose(limit: .seconds(30)) == (true, ""))
            #expect(ContinuousClock.now - opened >= .milliseconds(900))

            // Served before the others opened, so older than the first-request timeout.
            #expect(served.isOpen)
            try served.transmit("GET /scim/v2/ServiceProviderConfig HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await served.receiveResponse(limit: .seconds(30))?.status == 200)
        }
    }

    @Test func theDefaultIsTenSeconds() {
        #expect(SCIMServerConfiguration().firstRequestTimeout == .seconds(10))
        #expect(SCIMServerConfiguration().idleTimeout == .seconds(60))
    }
}
