import Hummingbird
import HummingbirdTesting
import Testing
@testable import SCIMServer

/// At the connection cap, idle unauthenticated sockets give way: a connection that has
/// authenticated keeps being served, and so is a new one.
@Suite struct ConnectionLimitTests {
    static let request = "GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(TestServer.oktaToken)\r\n\r\n"

    /// Waits until at least `count` of `connections` have been closed by the server.
    static func waitUntilClosed(atLeast count: Int, of connections: [RawConnection], limit: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + limit
        while true {
            let closed = connections.count { !$0.isOpen }
            if closed >= count || ContinuousClock.now >= deadline { return closed }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Opens a connection and sends one authenticated request on it.
    static func authenticatedRequest(port: Int, on existing: RawConnection? = nil) async throws -> (RawConnection, RawResponse?) {
        let connection = try existing ?? RawConnection(port: port)
        try connection.transmit(request)
        return (connection, await connection.receiveResponse(limit: .seconds(30)))
    }

    @Test func idleSocketsAtTheCapGiveWayToAuthenticatedClients() async throws {
        let capture = LogCapture()
        let app = try TestServer.application(logger: capture.logger) { $0.maxConnections = 20 }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (trusted, first) = try await Self.authenticatedRequest(port: port)
            #expect(first?.status == 200)

            // 60 idle sockets against 19 free slots: 41 are closed as later ones arrive (the
            // oldest, as far as the event loops saw them arrive: ConnectionTableTests).
            var idle: [RawConnection] = []
            for _ in 0..<60 { idle.append(try RawConnection(port: port)) }
            #expect(try await Self.waitUntilClosed(atLeast: 41, of: idle) == 41)

            // The authenticated connection is still served; a new one displaces an idle socket.
            #expect(try await Self.authenticatedRequest(port: port, on: trusted).1?.status == 200)
            let (fresh, response) = try await Self.authenticatedRequest(port: port)
            #expect(response?.status == 200)
            #expect(try await Self.waitUntilClosed(atLeast: 42, of: idle) == 42)
            #expect(fresh.isOpen && trusted.isOpen)
        }
        // Reaching the cap is one warning, not one per connection closed.
        let warnings = capture.entries.filter { $0.level >= .warning }
        #expect(warnings.map(\.message) == ["connection limit reached: idle unauthenticated connections are closed to make room, new ones refused when none is idle"])
    }

    @Test func whenEveryConnectionHasAuthenticatedANewOneIsClosedAtOnce() async throws {
        let app = try TestServer.application { $0.maxConnections = 3 }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var trusted: [RawConnection] = []
            for _ in 0..<3 {
                let (connection, response) = try await Self.authenticatedRequest(port: port)
                #expect(response?.status == 200)
                trusted.append(connection)
            }
            let refused = try RawConnection(port: port)
            let outcome = await refused.waitForClose(limit: .seconds(30))
            #expect(outcome.closed && outcome.received.isEmpty)
            for connection in trusted {
                #expect(try await Self.authenticatedRequest(port: port, on: connection).1?.status == 200)
            }
        }
    }

    @Test func anInvalidTokenDoesNotEarnTrust() async throws {
        let app = try TestServer.application { $0.maxConnections = 2 }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let guessing = try RawConnection(port: port)
            try guessing.transmit("GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer not-a-valid-token-at-all\r\n\r\n")
            #expect(await guessing.receiveResponse(limit: .seconds(30))?.status == 401)
            let (trusted, response) = try await Self.authenticatedRequest(port: port)
            #expect(response?.status == 200)
            // At the cap: the connection that only ever failed to authenticate makes room.
            let (fresh, freshResponse) = try await Self.authenticatedRequest(port: port)
            #expect(freshResponse?.status == 200)
            #expect(await guessing.waitForClose(limit: .seconds(30)).closed)
            #expect(trusted.isOpen && fresh.isOpen)
        }
    }
}
