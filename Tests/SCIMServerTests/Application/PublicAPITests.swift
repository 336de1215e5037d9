import SCIMService
import Hummingbird
import Logging
import SCIM
import SCIMServer
import Testing

/// What `scimgit serve` uses, compiled without `@testable`: the public API is enough to
/// configure, build and run the server.
@Suite struct PublicAPITests {
    @Test func serveCanBeWrittenAgainstThePublicAPI() throws {
        let tokens = try ConfiguredTokens.verifier(entries: ["okta=okta-secret-0123456789"], environment: ["SCIMGIT_TOKENS": "entra=entra-secret-0123456789"])
        let directory = try TemporaryDirectory()
        var configuration = SCIMServerConfiguration(host: "0.0.0.0", port: 0)
        configuration.tokenVerifiers = [tokens, TokenStore(path: TokenStore.path(forStore: directory.path))]
        configuration.rateLimit = RateLimit(requestsPerSecond: 25)
        configuration.idleTimeout = .seconds(30)
        configuration.firstRequestTimeout = .seconds(5)
        let descriptors = try DescriptorLimit.current()
        configuration.maxConnections = min(SCIMServerConfiguration.defaultMaxConnections, max(1, descriptors.connectionCapacity))
        _ = { try DescriptorLimit.raiseSoftLimitToHardLimit() }
        _ = { try TokenFile.load("/etc/scimgit/tokens") }
        _ = { try ConfiguredTokens.verifier(entries: [], files: ["/etc/scimgit/tokens"], environment: [:]) }
        configuration.paging = PagingLimits(defaultCount: 100, maxCount: 500)
        let settings = configuration
        let app = try buildSCIMApplication(
            service: InMemoryResourceService(), configuration: settings, logger: Logger(label: "scimgit"),
            onServerRunning: { port in print("SCIM base URL: \(settings.displayBaseURL(boundPort: port))") })
        let run: () async throws -> Void = { try await app.runService() }
        _ = run
        #expect(tokens.names == ["okta", "entra"])
        #expect(settings.displayBaseURL(boundPort: 8443) == "http://localhost:8443/scim/v2")
    }
}
