import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SCIM
import SCIMService
import ServiceLifecycle

/// Runs a SCIM server until SIGTERM or SIGINT, then stops gracefully (the listener closes,
/// requests in flight finish) — as Hummingbird's `Application.runService()` does, with one
/// difference: the `Date` header comes from `HTTPDateHeader`, not Hummingbird's DateCache.
///
/// DateCache ticks through swift-async-algorithms' `merge` (`cancelOnGracefulShutdown`),
/// whose 1.1.4 `MergeStorage.next()` holds a lock across `withUnsafeThrowingContinuation`
/// (apple/swift-async-algorithms#430). With the event loops as Swift's global executor
/// (`EventLoopExecutor`) the continuation's job can be queued on the very event loop that
/// then blocks on that lock: one event loop deadlocked. Seen as a `scimgit serve` that
/// never finished its SIGTERM, with an event loop parked in `MergeStorage`'s lock.
public enum SCIMServerRunner {
    /// One store (`buildSCIMApplication(service:…)`'s server), run until a signal.
    public static func run<Service: ResourceService>(
        service: Service, configuration: SCIMServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
    ) async throws {
        if configuration.tokenVerifiers.isEmpty {
            logger.warning("no API token is configured: every request to /Users and /Groups will be refused with 401")
        }
        try await run(SCIMServerParts(.single(service), configuration: configuration, logger: logger), operations: configuration.operations, logger: logger, onServerRunning: onServerRunning)
    }

    /// Many organisations (`buildSCIMApplication(tenants:…)`'s server), run until a signal.
    public static func run(
        tenants: any TenantDirectory, registry: SchemaRegistry, configuration: SCIMServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
    ) async throws {
        try await run(
            SCIMServerParts(.tenants(tenants, registry: registry), configuration: configuration, logger: logger), operations: configuration.operations, logger: logger,
            onServerRunning: onServerRunning)
    }

    private static func run(_ parts: SCIMServerParts, operations: OperationsConfiguration?, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let responder = parts.router.buildResponder()
        let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let dates = HTTPDateHeader(eventLoop: eventLoopGroup.next())
        defer { dates.stop() }
        let serverName = parts.serverConfiguration.serverName
        let fallbackPort = parts.fallbackPort
        let server = try parts.serverBuilder.buildServer(
            configuration: parts.serverConfiguration, eventLoopGroup: eventLoopGroup, logger: logger
        ) { (request, responseWriter: consuming ResponseWriter, channel) in
            let context = SCIMRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error  // the channel answers a request it could not parse
            } catch {
                logger.debug("unhandled error from the router", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError, body: .init())
            }
            response.headers[.date] = dates.current
            if let serverName { response.headers[.server] = serverName }
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // Rethrown, a parse error would make the channel write a second response.
                throw ResponseNotWritten()
            }
        } onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? fallbackPort)
        }
        var services: [any Service] = [server]
        if let operations, let render = operations.metrics, let listener = operations.metricsListener {
            services.append(try metricsServer(render, host: listener.host, port: listener.port, eventLoopGroup: eventLoopGroup, logger: logger))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// `--metrics-listen`: `/metrics` alone, on an address of its own (a port only the
    /// scraper's network reaches).
    private static func metricsServer(
        _ render: @escaping @Sendable () -> [UInt8], host: String, port: Int, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) throws -> any Service {
        let router = Router()
        OperationsRoutes.installMetrics(on: router, render)
        let responder = router.buildResponder()
        return try HTTPServerBuilder.http1().buildServer(
            configuration: ServerConfiguration(address: .hostname(host, port: port)), eventLoopGroup: eventLoopGroup, logger: logger
        ) { (request, responseWriter: consuming ResponseWriter, channel) in
            let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            let response = (try? await responder.respond(to: request, context: context)) ?? Response(status: .notFound)
            try await responseWriter.write(response: response.head, body: response.body)
        } onServerRunning: { channel in
            logger.info("metrics at http://\(host):\(channel.localAddress?.port ?? port)/metrics")
        }
    }

    private struct ResponseNotWritten: Error {}
}
