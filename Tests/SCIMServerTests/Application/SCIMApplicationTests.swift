import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
import ServiceLifecycle
import Synchronization
import Testing
@testable import SCIMServer

/// The application as `scimgit serve` runs it: bound port reported, graceful shutdown,
/// configuration checked up front.
@Suite struct SCIMApplicationTests {
    @Test func theBoundPortIsReportedOnceListening() async throws {
        let reported = Mutex<Int?>(nil)
        let app = try TestServer.application(onServerRunning: { port in reported.withLock { $0 = port } })
        try await app.test(.live) { client in
            let port = try #require(client.port)
            #expect(port > 0)
            #expect(reported.withLock { $0 } == port)
            #expect(try await client.scim(.get, "Users").status == .ok)
        }
    }

    @Test func aGracefulShutdownStopsTheServer() async throws {
        let reported = Mutex<Int?>(nil)
        let app = try TestServer.application({ $0.host = "127.0.0.1"; $0.port = 0 }, onServerRunning: { port in reported.withLock { $0 = port } })
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        // Generous: with the whole suite running on two cores this test has waited 15 s for
        // a thread before its first step.
        try await withTimeout(.seconds(60)) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while reported.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
                let port = try #require(reported.withLock { $0 })
                let connection = try RawConnection(port: port)
                try connection.transmit("GET /scim/v2/ServiceProviderConfig HTTP/1.1\r\nHost: localhost\r\n\r\n")
                // The connection stays open (keep-alive); the answer may be slow on a loaded machine.
                let response = await connection.receiveResponse(limit: .seconds(30))
                #expect(response?.status == 200)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                #expect(throws: (any Error).self) { try RawConnection(port: port) }
            }
        }
    }

    @Test func displayBaseURL() {
        #expect(SCIMServerConfiguration(host: "0.0.0.0").displayBaseURL(boundPort: 8443) == "http://localhost:8443/scim/v2")
        var tls = SCIMServerConfiguration(host: "scim.example.com", basePath: "scim/v2/")
        tls.tls = TLSFiles(certificateChainPath: "c", privateKeyPath: "k")
        #expect(tls.displayBaseURL(boundPort: 443) == "https://scim.example.com:443/scim/v2")
        #expect(SCIMServerConfiguration(host: "::1").displayBaseURL(boundPort: 80) == "http://[::1]:80/scim/v2")
        #expect(SCIMServerConfiguration(publicBaseURL: "https://x.example.com/scim/v2/").displayBaseURL(boundPort: 1) == "https://x.example.com/scim/v2")
    }

    @Test(arguments: [
        SCIMServerConfiguration(port: 70000),
        SCIMServerConfiguration(maxBodySize: 0),
        SCIMServerConfiguration(idleTimeout: .zero),
        SCIMServerConfiguration(rateLimit: RateLimit(requestsPerSecond: 0)),
        SCIMServerConfiguration(publicBaseURL: "scim.example.com/scim/v2"),
        SCIMServerConfiguration(publicBaseURL: "https://scim.example.com/scim v2"),
    ])
    func unusableConfigurationsAreRefused(configuration: SCIMServerConfiguration) {
        #expect(throws: SCIMServerConfigurationError.self) {
            _ = try buildSCIMApplication(service: InMemoryResourceService(), configuration: configuration, logger: Logger(label: "test"))
        }
    }

    @Test func aServerWithoutTokensWarns() throws {
        let capture = LogCapture()
        _ = try buildSCIMApplication(service: InMemoryResourceService(), configuration: SCIMServerConfiguration(), logger: capture.logger)
        #expect(capture.entries.contains { $0.level == .warning && $0.message.contains("no API token") })
    }
}
