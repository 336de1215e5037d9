import Foundation
import Testing
import TestSupport

/// Idle sockets cannot exhaust the server: the open-file limit is raised at start,
/// connections are capped below it, an authenticated client is served at the cap, and a
/// connection that sends nothing is closed after the first-request timeout.
@Suite("End to end: connection limits", .serialized)
struct ConnectionLimitTests {
    /// A hard limit this process may lower the server's to, and a soft one below it.
    static var lowerable: (soft: Int, hard: Int) {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let hard = Int(clamping: min(limit.rlim_max, 4096))
        return (min(512, hard / 2), hard)
    }

    static let request = "GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(ServerProcess.oktaToken)\r\n\r\n"

    /// Waits until at least `count` of `connections` have been closed by the server.
    static func waitUntilClosed(atLeast count: Int, of connections: [RawConnection]) -> Int {
        _ = eventually(within: 60) { connections.count { !$0.isOpen } >= count }
        return connections.count { !$0.isOpen }
    }

    @Test func moreIdleSocketsThanTheOpenFileLimitDoNotLockOutAnAuthenticatedClient() async throws {
        // 400 descriptors: room for 144 connections by default, fewer than the idle sockets.
        let server = try ServerProcess(["--idle-timeout", "300"], openFileLimit: (soft: 400, hard: 400))
        let port = RawConnection.port(of: server.baseURL)
        var idle: [RawConnection] = []
        for _ in 0..<450 { idle.append(try RawConnection(port: port)) }
        #expect(Self.waitUntilClosed(atLeast: 450 - 144, of: idle) == 450 - 144)
        #expect(try server.openDescriptorCount() < 400)

        let connection = try RawConnection(port: port)
        connection.send(Self.request)
        #expect(connection.readResponse()?.status == 200)
        #expect(try await SCIMClient.okta(server).get("/Users").status == 200)
        #expect(server.errorLines.isEmpty, "\(server.errorLines)")
    }

    @Test func anAuthenticatedConnectionIsKeptAtTheCap() async throws {
        let server = try ServerProcess(["--max-connections", "50"])
        let port = RawConnection.port(of: server.baseURL)
        let trusted = try RawConnection(port: port)
        trusted.send(Self.request)
        #expect(trusted.readResponse()?.status == 200)

        var idle: [RawConnection] = []
        for _ in 0..<150 { idle.append(try RawConnection(port: port)) }
        #expect(Self.waitUntilClosed(atLeast: 150 - 49, of: idle) == 150 - 49)
        for _ in 0..<3 {
            trusted.send(Self.request)
            #expect(trusted.readResponse()?.status == 200)
        }
        let fresh = try RawConnection(port: port)
        fresh.send(Self.request)
        #expect(fresh.readResponse()?.status == 200)
        #expect(try server.openDescriptorCount() < 50 + 64 + 40)
    }

    @Test func aCapAboveTheOpenFileLimitIsRefusedAtStart() throws {
        do {
            _ = try ServerProcess(["--max-connections", "1000"], openFileLimit: (soft: 400, hard: 400))
            Issue.record("the server started")
        } catch let failure as ServerProcess.ServerFailed {
            #expect(failure.output.contains("--max-connections 1000 does not fit the open-file limit 400"), "\(failure.output)")
            #expect(failure.output.contains("at most 144"))
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedLongBeforeTheIdleTimeout() throws {
        let server = try ServerProcess(["--first-request-timeout", "1", "--idle-timeout", "120"])
        let port = RawConnection.port(of: server.baseURL)
        let served = try RawConnection(port: port)
        served.send(Self.request)
        #expect(served.readResponse()?.status == 200)
        let silent = try RawConnection(port: port)
        #expect(eventually(within: 60) { !silent.isOpen })
        // Served before the silent one opened: older than the first-request timeout, still open.
        #expect(served.isOpen)
        served.send(Self.request)
        #expect(served.readResponse()?.status == 200)
    }

    @Test func theSoftOpenFileLimitIsRaisedToTheHardLimit() throws {
        let started = Self.lowerable
        let server = try ServerProcess(openFileLimit: started)
        let limit = try server.openFileLimitInForce()
        #expect(limit.soft == started.hard)
        #expect(limit.hard == started.hard)
    }
}
