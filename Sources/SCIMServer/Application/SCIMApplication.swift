import SCIMService
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import SCIM

/// Builds the SCIM server for one store: a Hummingbird application serving `service` over
/// HTTP(S) as configured, at the base path (`/scim/v2/Users`…).
///
/// Run it with `try await app.runService()`: it listens on `configuration.host:port`,
/// and shuts down gracefully on SIGTERM/SIGINT (ServiceLifecycle: the listener closes,
/// requests in flight finish). `onServerRunning` is called once the socket is bound, with
/// the bound port (useful with port 0; print `configuration.displayBaseURL(boundPort:)`).
///
/// Connections are capped at `configuration.maxConnections` (`ConnectionTracker`), closed
/// when they send no request within `firstRequestTimeout` (`FirstRequestTimeoutHandler`),
/// and after a response that says `Connection: close` (`ConnectionCloseHandler`).
///
/// What every request goes through, outermost first: request id → authentication
/// (resolving the client) → the request log line → error mapping and SCIM headers → rate
/// limit → (protected routes) the token requirement → the handler.
///
/// - Throws: `SCIMServerConfigurationError` for an unusable configuration (port, limits,
///   public base URL, unreadable TLS files).
public func buildSCIMApplication<Service: ResourceService>(
    service: Service,
    configuration: SCIMServerConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    if configuration.tokenVerifiers.isEmpty {
        logger.warning("no API token is configured: every request to /Users and /Groups will be refused with 401")
    }
    return try buildApplication(.single(service), configuration: configuration, logger: logger, onServerRunning: onServerRunning)
}

/// Builds the SCIM server for many organisations: each tenant of `tenants` at
/// `/scim/v2/{tenant}/…` (every endpoint of the one-store server), authenticated with that
/// tenant's own tokens (`configuration.tokenVerifiers` is not used), its discovery
/// documents and links carrying its own base URL. Every endpoint needs a token: an unknown
/// tenant is answered as a wrong token is, so names cannot be probed.
public func buildSCIMApplication(
    tenants: any TenantDirectory,
    registry: SchemaRegistry,
    configuration: SCIMServerConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try buildApplication(.tenants(tenants, registry: registry), configuration: configuration, logger: logger, onServerRunning: onServerRunning)
}

/// What a server serves: one store at the base path, or one store per tenant below it.
enum ServedStores: Sendable {
    case single(any ResourceService)
    case tenants(any TenantDirectory, registry: SchemaRegistry)
}

func buildApplication(
    _ stores: ServedStores,
    configuration: SCIMServerConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void
) throws -> some ApplicationProtocol {
    let parts = try SCIMServerParts(stores, configuration: configuration, logger: logger)
    let fallbackPort = parts.fallbackPort
    return Application(
        router: parts.router,
        server: parts.serverBuilder,
        configuration: ApplicationConfiguration(
            address: parts.serverConfiguration.address,
            serverName: parts.serverConfiguration.serverName,
            availableConnectionsDelegate: parts.serverConfiguration.availableConnectionsDelegate),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? fallbackPort)
        },
        logger: logger)
}

/// What a SCIM server is made of, however it is run: the router (middlewares and routes),
/// the HTTP/1 child channel (connection tracking, the first-request timeout, closing after
/// `Connection: close`, TLS), and the listener's settings.
struct SCIMServerParts {
    let router: Router<SCIMRequestContext>
    let serverBuilder: HTTPServerBuilder
    let serverConfiguration: ServerConfiguration
    let fallbackPort: Int

    init(_ stores: ServedStores, configuration: SCIMServerConfiguration, logger: Logger) throws {
        try configuration.validate()
        let connections = ConnectionTracker(maxConnections: configuration.maxConnections, logger: logger)
        router = SCIMRouterFactory.makeRouter(stores, configuration: configuration, connections: connections, logger: logger)
        let firstRequestTimeout = TimeAmount(configuration.firstRequestTimeout)
        let http1: HTTPServerBuilder = .http1(configuration: .init(
            additionalChannelHandlers: [
                ConnectionTrackingHandler(tracker: connections),
                FirstRequestTimeoutHandler(timeout: firstRequestTimeout),
                ConnectionCloseHandler(),
            ],
            idleTimeout: TimeAmount(configuration.idleTimeout)))
        if let tls = configuration.tls {
            serverBuilder = try .tls(http1, tlsConfiguration: tls.serverConfiguration())
        } else {
            serverBuilder = http1
        }
        serverConfiguration = ServerConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: configuration.serverName,
            // The backstop: past the cap plus the sockets of evicted connections not yet
            // released, stop accepting until one closes rather than run out of descriptors.
            availableConnectionsDelegate: .maximum(configuration.maxConnections + ConnectionTracker.closingAllowance, logger: logger))
        fallbackPort = configuration.port
    }
}

/// Assembles the router: middlewares in order, then every route of `SCIMRoutes` under the
/// base path (and, for tenants, the tenant's segment), the discovery ones public for one
/// store and every one behind the token requirement for tenants.
enum SCIMRouterFactory {
    static func makeRouter<Service: ResourceService>(
        service: Service, configuration: SCIMServerConfiguration, connections: ConnectionTracker? = nil, logger: Logger
    ) -> Router<SCIMRequestContext> {
        makeRouter(.single(service), configuration: configuration, connections: connections, logger: logger)
    }

    static func makeRouter(
        _ stores: ServedStores, configuration: SCIMServerConfiguration, connections: ConnectionTracker? = nil, logger: Logger
    ) -> Router<SCIMRequestContext> {
        let basePath = configuration.normalizedBasePath
        let registry: SchemaRegistry
        let prefix: String
        switch stores {
        case let .single(service):
            registry = service.registry
            prefix = basePath
        case let .tenants(_, tenantRegistry):
            registry = tenantRegistry
            prefix = basePath + "/:tenant"
        }
        let routes = SCIMRoutes.all(for: registry)
        let settings = SCIMHandlers.Settings(
            paging: configuration.paging,
            bodyReader: RequestBodyReader(maxBodySize: configuration.maxBodySize, maxDepth: configuration.maxJSONDepth),
            baseURLs: BaseURLResolver(configuration: configuration),
            serviceProvider: configuration.effectiveServiceProvider,
            bulkMaxOperations: configuration.bulkMaxOperations)

        let router = Router(context: SCIMRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: RequestIDMiddleware())
        // Requests by route template (never the path: ids would make labels unbounded),
        // method and status, with their durations.
        router.add(middleware: MetricsMiddleware())
        switch stores {
        case .single:
            router.add(middleware: AuthenticationMiddleware(verifiers: configuration.tokenVerifiers, connections: connections))
        case let .tenants(tenants, _):
            router.add(middleware: TenantMiddleware(tenants: tenants, basePath: basePath, connections: connections))
        }
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: SCIMErrorMiddleware(routes: RouteTable(routes: routes, basePath: prefix), logger: logger))
        if let rateLimit = configuration.rateLimit {
            router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(rateLimit)))
        }
        OperationsRoutes.install(on: router, configuration.operations ?? OperationsConfiguration(), logger: logger)
        if let console = configuration.console {
            let secure = configuration.tls != nil || (configuration.publicBaseURL?.lowercased().hasPrefix("https://") ?? false)
            ConsoleRoutes(source: console.source, secureCookies: secure, sessions: ConsoleSessions(), logger: logger).install(on: router)
        }
        let publicRoutes = router.group()
        let protectedRoutes = router.group().add(middleware: RequireAuthenticationMiddleware())
        for route in routes {
            let endpoint = route.endpoint
            switch stores {
            case let .single(service):
                let handlers = SCIMHandlers(service: service, settings: settings)
                (route.isPublic ? publicRoutes : protectedRoutes).on(RouterPath(prefix + route.path), method: route.method) { request, context in
                    try await handlers.respond(to: endpoint, request: request, context: context)
                }
            case .tenants:
                protectedRoutes.on(RouterPath(prefix + route.path), method: route.method) { request, context in
                    guard let lease = context.tenant else { throw SCIMHTTPError(.unauthorized("authentication required: the API token is not valid"), headers: [.wwwAuthenticate: "Bearer realm=\"scimgit\""]) }
                    return try await SCIMHandlers(service: lease.service, settings: settings, tenant: lease.name)
                        .respond(to: endpoint, request: request, context: context)
                }
            }
        }
        return router
    }
}
