import SCIMService
import SCIM

/// Everything `scimgit serve` can tune about the HTTP layer, in one value.
///
/// It exists so that the command line (and tests) describe a server declaratively and
/// `buildSCIMApplication` turns that description into a running Hummingbird application;
/// nothing in the HTTP layer reads global state or the environment. Defaults are what Okta
/// and Entra need out of the box (README, "Connecting Okta and Entra ID"): base path `/scim/v2`, 10 MiB bodies,
/// pages of at most 1000 resources, ETags on.
public struct SCIMServerConfiguration: Sendable {
    /// Address to listen on. Loopback by default: expose the server deliberately
    /// (`0.0.0.0`) or put a TLS-terminating proxy in front of it.
    public var host: String
    /// Port to listen on; 0 picks a free one (see `onServerRunning` for the bound port).
    public var port: Int
    /// Where the SCIM endpoints live, e.g. `/scim/v2` (`/scim/v2/Users`…). `""` or `/`
    /// serves them at the root.
    public var basePath: String
    /// Largest request body accepted, in bytes; larger ones get `413` without being read.
    public var maxBodySize: Int
    /// Deepest JSON nesting accepted in a request body (`400 invalidSyntax` beyond).
    public var maxJSONDepth: Int
    /// Serve HTTPS with this certificate chain and key (PEM files). Nil: plain HTTP.
    public var tls: TLSFiles?
    /// Per-client request rate limit; nil: unlimited.
    public var rateLimit: RateLimit?
    /// A connection that sends nothing for this long (no complete request head, no body
    /// bytes, no new request) is closed, so slow or idle clients cannot hold sockets.
    public var idleTimeout: Duration
    /// A new connection that has not sent a complete request head this long after opening
    /// (TLS handshake included) is closed: an idle socket costs an attacker nothing, an
    /// identity provider sends its request at once. After the first request, `idleTimeout`
    /// applies (and it also applies before, if it is the shorter).
    public var firstRequestTimeout: Duration
    /// The most connections open at once. At the cap, a new connection makes room by
    /// closing the oldest one that has not sent an authenticated request and is not in the
    /// middle of one, or is closed itself when there is none; so idle sockets cannot lock
    /// the identity providers out. Each connection is a descriptor: `scimgit serve` keeps
    /// this within the open-file limit (`DescriptorLimit.connectionCapacity`).
    public var maxConnections: Int
    /// The SCIM base URL clients use, e.g. `https://scim.example.com/scim/v2`, used as is
    /// for `meta.location` and `Location`. Nil: derived from each request (`Host`, the
    /// scheme this server speaks, `basePath`).
    public var publicBaseURL: String?
    /// Honour `X-Forwarded-Proto` / `X-Forwarded-Host` when deriving the base URL. Only turn
    /// this on behind a proxy that sets (and overwrites) them.
    public var trustForwardedHeaders: Bool
    /// Where API tokens are checked, in order: e.g. a `ConfiguredTokenVerifier` built from
    /// `--token`/`SCIMGIT_TOKENS` and a `TokenStore`. Empty: every protected request is 401.
    public var tokenVerifiers: [any TokenVerifier]
    /// The admin console under `/admin/` (one store only): nil serves none.
    public var console: ConsoleConfiguration?
    /// Metrics and health checks (nil: `/healthz` only says the process is up).
    public var operations: OperationsConfiguration?
    /// Default and maximum page sizes for lists and searches (`filter.maxResults`).
    public var paging: PagingLimits
    /// What `/ServiceProviderConfig` advertises. `filter.maxResults` is replaced by
    /// `paging.maxCount`, bulk's limits by `bulkMaxOperations` and `maxBodySize`, and ETags
    /// are always supported, so the
    /// document cannot disagree with the server.
    public var serviceProvider: ServiceProviderSettings
    /// Most operations one `POST /Bulk` may hold (a bulk request's bytes are bounded by
    /// `maxBodySize`, advertised as its `maxPayloadSize`).
    public var bulkMaxOperations = 1000
    /// Value of the `Server` response header; nil sends none.
    public var serverName: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        basePath: String = "/scim/v2",
        maxBodySize: Int = 10 * 1024 * 1024,
        maxJSONDepth: Int = JSONValue.defaultMaxDepth,
        tls: TLSFiles? = nil,
        rateLimit: RateLimit? = nil,
        idleTimeout: Duration = .seconds(60),
        firstRequestTimeout: Duration = .seconds(10),
        maxConnections: Int = SCIMServerConfiguration.defaultMaxConnections,
        publicBaseURL: String? = nil,
        trustForwardedHeaders: Bool = false,
        tokenVerifiers: [any TokenVerifier] = [],
        paging: PagingLimits = PagingLimits(),
        serviceProvider: ServiceProviderSettings = ServiceProviderSettings(),
        serverName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.basePath = basePath
        self.maxBodySize = maxBodySize
        self.maxJSONDepth = maxJSONDepth
        self.tls = tls
        self.rateLimit = rateLimit
        self.idleTimeout = idleTimeout
        self.firstRequestTimeout = firstRequestTimeout
        self.maxConnections = maxConnections
        self.publicBaseURL = publicBaseURL
        self.trustForwardedHeaders = trustForwardedHeaders
        self.tokenVerifiers = tokenVerifiers
        self.paging = paging
        self.serviceProvider = serviceProvider
        self.serverName = serverName
    }

    /// Plenty for identity providers (Okta and Entra open a few dozen connections at most),
    /// small enough for the usual open-file limits.
    public static let defaultMaxConnections = 1024

    /// `basePath` with one leading slash and no trailing one (`""` for the root).
    public var normalizedBasePath: String {
        let trimmed = basePath.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return trimmed.isEmpty ? "" : "/" + trimmed
    }

    /// The base URL to print once the server listens on `boundPort`: `publicBaseURL` when
    /// set, else `http(s)://host:port/basePath` (`localhost` for a wildcard host).
    public func displayBaseURL(boundPort: Int) -> String {
        if let publicBaseURL { return BaseURLResolver.trimmingTrailingSlashes(publicBaseURL) }
        var displayHost = host
        if host == "0.0.0.0" || host == "::" || host.isEmpty { displayHost = "localhost" }
        if displayHost.contains(":") { displayHost = "[\(displayHost)]" }
        return "\(tls == nil ? "http" : "https")://\(displayHost):\(boundPort)\(normalizedBasePath)"
    }

    /// Where the admin console is, as the Base URL is shown: its scheme, host and port
    /// with `/admin/` (the console always lives at the root, whatever the base path).
    public func displayConsoleURL(boundPort: Int) -> String {
        let base = displayBaseURL(boundPort: boundPort)
        guard let schemeEnd = base.range(of: "://") else { return "/admin/" }
        let rest = base[schemeEnd.upperBound...]
        let origin = base[..<schemeEnd.upperBound] + (rest.split(separator: "/", maxSplits: 1).first ?? "")
        return origin + "/admin/"
    }

    /// The settings `/ServiceProviderConfig` shows, made consistent with this configuration.
    var effectiveServiceProvider: ServiceProviderSettings {
        var settings = serviceProvider
        settings.filterSupported = true
        settings.filterMaxResults = paging.maxCount
        settings.bulkSupported = true
        settings.bulkMaxOperations = bulkMaxOperations
        settings.bulkMaxPayloadSize = maxBodySize
        settings.etagSupported = true
        settings.patchSupported = true
        return settings
    }

    /// Refuses settings that cannot work, before anything listens.
    func validate() throws(SCIMServerConfigurationError) {
        guard (0...65535).contains(port) else { throw .init("port \(port) is not between 0 and 65535") }
        guard maxBodySize > 0 else { throw .init("the maximum body size must be positive") }
        guard maxJSONDepth > 0 else { throw .init("the maximum JSON depth must be positive") }
        guard idleTimeout > .zero else { throw .init("the idle timeout must be positive") }
        guard firstRequestTimeout > .zero else { throw .init("the first-request timeout must be positive") }
        guard maxConnections > 0 else { throw .init("the maximum number of connections must be positive") }
        if let publicBaseURL {
            let lower = publicBaseURL.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
                  publicBaseURL.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "?" && $0 != "#" })
            else {
                throw .init("the public base URL must be an http:// or https:// URL without spaces, query or fragment, e.g. https://scim.example.com/scim/v2")
            }
        }
        if let rateLimit {
            guard rateLimit.requestsPerSecond > 0, rateLimit.requestsPerSecond.isFinite else {
                throw .init("the rate limit must be a positive number of requests per second")
            }
            guard rateLimit.burst >= 1 else { throw .init("the rate limit burst must be at least 1") }
        }
    }
}

/// A configuration `buildSCIMApplication` cannot serve (bad port, unreadable certificate…).
public struct SCIMServerConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// What the admin console runs on: the store's history and changes, and the admin tokens
/// that may sign in (the API tokens of identity providers cannot); or, for a server of
/// many organisations, each one's.
public struct ConsoleConfiguration: Sendable {
    let source: ConsoleRoutes.Source

    public init(service: any AdminService, adminTokens: any TokenVerifier) {
        source = .single(service, adminTokens: adminTokens)
    }

    public init(tenants: any ConsoleTenants) {
        source = .tenants(tenants)
    }
}

/// The organisations of a server of many, as the console sees them: each one's admin
/// tokens and store, and the operators of the whole server.
public protocol ConsoleTenants: Sendable {
    func names() -> [String]
    /// The organisation's own admin tokens; nil when there is no such organisation.
    func adminTokens(of tenant: String) -> (any TokenVerifier)?
    /// Admins of the whole server, who may open any organisation.
    var operatorTokens: any TokenVerifier { get }
    /// The organisation's store for one page, held open until `done`; nil when there is none.
    func admin(of tenant: String) async -> ConsoleLease?
}

public struct ConsoleLease: Sendable {
    public var service: any AdminService
    public var done: @Sendable () -> Void
    public init(service: any AdminService, done: @escaping @Sendable () -> Void) {
        self.service = service
        self.done = done
    }
}
