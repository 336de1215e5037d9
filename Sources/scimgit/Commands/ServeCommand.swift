import ArgumentParser
import Directory
import Foundation
import GitStore
import Logging
import SCIM
import SCIMServer

/// `scimgit serve`: the SCIM 2.0 API over a store, ready for Okta and Entra ID.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the SCIM 2.0 API over a store (created if missing).",
        discussion: """
        Prints the Base URL to paste into the identity provider (Okta's "SCIM 2.0 Test App \
        (Header Auth)" or Entra's provisioning page).

        API tokens come from --token-file FILE (one NAME=SECRET or SECRET per line), from the \
        SCIMGIT_TOKENS environment variable (the same forms, comma-separated), from \
        `scimgit token add` (kept as salted hashes in the store), and from --token \
        NAME=SECRET. A bare SECRET is named "default". With none of them, a token named \
        "default" is generated, printed once, and only its hash is kept. The token's name is \
        the author of every commit its requests make. A --token is visible to every user of \
        this machine in the process list (ps); a token file must be readable by its owner \
        only (chmod 600), or the server refuses to start.

        Okta only connects to https:// base URLs: serve HTTPS here with --tls-cert and \
        --tls-key, or put a TLS-terminating reverse proxy in front (then --public-url and \
        --trust-proxy). SIGTERM finishes in-flight writes and leaves `git status` clean.

        Connections: at most --max-connections at once (the open-file limit is raised to its \
        hard limit at start; 256 descriptors are kept for the store). At the cap, the oldest \
        idle connection that has not sent a valid token is closed to make room, so idle \
        sockets cannot lock the identity providers out. A new connection must send its \
        first request within --first-request-timeout; after that, --idle-timeout applies.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(
        name: .customLong("token"),
        help: ArgumentHelp(
            "An API token, NAME=SECRET or SECRET (repeatable). Visible to every user of this machine in the process list (ps): prefer --token-file or SCIMGIT_TOKENS.",
            valueName: "NAME=SECRET"))
    var tokens: [String] = []
    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "A file of API tokens, one NAME=SECRET or SECRET per line; blank lines and lines starting with # are ignored (repeatable). Refused unless only its owner may read it (chmod 600).",
            valueName: "FILE"))
    var tokenFiles: [String] = []
    @Option(help: "Where the SCIM endpoints live.") var basePath = "/scim/v2"
    @Option(help: "Largest request body (bytes, or 10MiB, 512KiB…); larger ones get 413.") var maxBody = "10MiB"
    @Option(help: "durable: each acknowledged write is on disk (fsync, batched); fast: no fsync.") var durability = Durability.durable
    @Option(help: "PEM certificate chain: serve HTTPS.") var tlsCert: String?
    @Option(help: "PEM private key for --tls-cert.") var tlsKey: String?
    @Option(help: "Per-client request limit, e.g. 50/s or 3000/min; beyond it 429 with Retry-After.") var rateLimit: String?
    @Option(help: "The Base URL clients use (behind a proxy), e.g. https://scim.example.com/scim/v2.") var publicURL: String?
    @Flag(help: "Honour X-Forwarded-Proto/-Host (only behind a proxy that sets them).") var trustProxy = false
    @Option(help: "Seconds before an idle or stalled connection is closed.") var idleTimeout = 60
    @Option(help: "Seconds a new connection has to send its first request (for HTTPS, the TLS handshake included) before it is closed. Shorter than --idle-timeout, since identity providers send their request as soon as they connect.")
    var firstRequestTimeout = 10
    @Option(help: "The most connections open at once (default: 1024, or fewer if the open-file limit leaves less room). At the cap, the oldest idle connection that has not authenticated is closed to make room; connections that sent a valid token are kept.")
    var maxConnections: Int?
    @Option(help: "Seconds a write waits for a lock another process holds (a git command, a CLI command) before answering 503.")
    var lockTimeout = 5.0
    @Option(help: "Merge packs (background git repack) once there are more than this many; 0 never merges.")
    var repackThreshold = 32
    @Option(name: .customLong("schema-extension"), help: "A JSON file with extra User extension schemas for every store this server serves (repeatable). A store's own schemas: `scimgit schema add`.")
    var schemaExtensions: [String] = []
    @Flag(help: "Refuse (400) attributes no schema declares: an undeclared extension URN, and unknown core attributes. By default an undeclared extension is kept as sent and an unknown core attribute ignored.")
    var strictSchemas = false
    @Option(
        name: .customLong("guard"),
        help: ArgumentHelp(
            "When the deprovisioning guard holds deactivations, deletions and member removals (503 with Retry-After until `scimgit guard release`): a share of the active users, a count and a window, all of them reached, e.g. 10%,25,1h (the default), 50,30m, 5%,2h; or off.",
            valueName: "SETTING"))
    var guardSetting = GuardPolicy.standard.spec
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @OptionGroup(title: "Production") var operations: OperationsOptions
    @Option(help: ArgumentHelp("Serve many organisations: every store in ROOT (one per tenant, see `scimgit tenant`) at /scim/v2/NAME, with each tenant's own tokens. Instead of --repo.", valueName: "ROOT"))
    var tenants: String?
    @Option(help: "With --tenants: seconds a tenant's store stays open after its last request (then its index and snapshot are written and it is closed).")
    var tenantIdle = 300

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        _ = try ByteSize.parse(maxBody)
        if let rateLimit { _ = try RateLimitOption.parse(rateLimit) }
        do {
            _ = try GuardPolicy.parse(guardSetting)
        } catch {
            throw ValidationError("--guard \(guardSetting): \(error)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \(logLevel)") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard idleTimeout > 0, firstRequestTimeout > 0 else { throw ValidationError("timeouts must be at least 1 second") }
        if tenants != nil {
            if !tokens.isEmpty || !tokenFiles.isEmpty || ProcessInfo.processInfo.environment["SCIMGIT_TOKENS"] != nil {
                throw ValidationError("--token, --token-file and SCIMGIT_TOKENS do not apply with --tenants: each tenant has its own tokens (scimgit tenant add, scimgit token add NAME --repo ROOT/TENANT)")
            }
            guard tenantIdle > 0 else { throw ValidationError("--tenant-idle must be at least 1 second") }
            if !operations.mirror.isEmpty || operations.replicaOf != nil {
                throw ValidationError("--mirror and --replica-of serve one store (--repo); with --tenants, mirror each tenant's store with git for now")
            }
        }
    }

    func run() async throws {
        EventLoopExecutor.install()
        var logger = operations.logFormat == .json ? Logger(label: "scimgit") { JSONLogHandler(label: $0) } : Logger(label: "scimgit")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let connectionLimit = try MaxConnectionsOption.resolve(maxConnections, within: raiseOpenFileLimit(logger: logger))
        logger.info("accepting at most \(connectionLimit) connections")

        var registry = SchemaRegistry.standard
        if strictSchemas { registry.undeclaredAttributes = .refuse }
        for file in schemaExtensions {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file)))
            do {
                _ = try registry.loadExtensions(from: bytes, to: "User")
            } catch {
                throw CLIError("cannot load schema extensions from \(file): \(error.detail)")
            }
        }

        let storeOptions = GitStoreOptions(
            durability: durability, lockTimeout: .milliseconds(Int(lockTimeout * 1000)),
            repackThreshold: repackThreshold > 0 ? repackThreshold : Int.max,
            servesWorkingTree: true, processName: "scimgit serve", logger: logger
        )
        var configuration = SCIMServerConfiguration(
            host: host, port: port, basePath: basePath, maxBodySize: try ByteSize.parse(maxBody),
            tls: tlsCert.map { TLSFiles(certificateChainPath: $0, privateKeyPath: tlsKey!) },
            rateLimit: try rateLimit.map(RateLimitOption.parse), idleTimeout: .seconds(idleTimeout),
            firstRequestTimeout: .seconds(firstRequestTimeout), maxConnections: connectionLimit,
            publicBaseURL: publicURL, trustForwardedHeaders: trustProxy,
            serverName: "scimgit/\(Version.current)"
        )
        configuration.serviceProvider.documentationURI = "https://github.com/scimgit/scimgit#readme"
        let metrics = PrometheusMetrics.shared
        configuration.operations = OperationsConfiguration(
            metrics: { metrics.scrape() }, metricsListener: operations.metricsListen.flatMap(MetricsListenAddress.parse))
        if let tenants {
            try await serveTenants(in: tenants, registry: registry, storeOptions: storeOptions, configuration: configuration, logger: logger)
        } else {
            try await serveOneStore(registry: registry, storeOptions: storeOptions, configuration: configuration, logger: logger)
        }
    }

    private func serveOneStore(registry: SchemaRegistry, storeOptions: GitStoreOptions, configuration: SCIMServerConfiguration, logger: Logger) async throws {
        var configuration = configuration
        let opening = ContinuousClock.now
        if let source = operations.replicaOf {
            try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
            if try StoreFollower.cloneIfEmpty(source, into: store.path, access: RemoteAccess.fromEnvironment()) {
                logger.notice("cloned \(RemoteAccess.redacted(source)) into \(store.path) in \(ContinuousClock.now - opening)")
            }
        }
        let gitStore = try StoreSetup.open(at: store.path, create: true, options: storeOptions)
        logger.info("opened \(store.path) in \(ContinuousClock.now - opening)")
        let directory = try DirectoryService(store: gitStore, registry: registry, guardPolicy: guardPolicy, logger: logger)
        let production: StoreOperations
        do {
            production = try StoreOperations(directory: directory, options: operations, logger: logger)
        } catch {
            try? directory.close()
            throw error
        }
        PrometheusMetrics.shared.addCollector { production.collect($0) }
        configuration.operations?.readiness = { await production.unreadiness() }
        production.start()
        let tokenStore = try store.tokenStore()
        let configured: ConfiguredTokenVerifier
        do {
            configured = try ConfiguredTokens.verifier(entries: tokens, files: tokenFiles, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError("\(error)")
        }
        var generated: String?
        if configured.names.isEmpty, try tokenStore.list().isEmpty {
            generated = try tokenStore.add(name: "default")
        }
        configuration.tokenVerifiers = [configured, tokenStore]
        configuration.console = ConsoleConfiguration(
            service: DirectoryAdmin(directory: directory, path: store.path, logger: logger),
            adminTokens: try store.adminTokenStore())
        let counts = directory.counts
        let banner = "scimgit \(Version.current) serving \(store.path) (\(counts.users) users, \(counts.groups) groups, \(durability.rawValue) writes, \(guardWords))"
        let tokenLine = generated.map { "API token (shown once; only its hash is kept): \($0)" }
            ?? "API tokens: \((configured.names + ((try? tokenStore.list().map(\.name)) ?? [])).joined(separator: ", "))"
        do {
            try await SCIMServerRunner.run(service: directory, configuration: configuration, logger: logger) { [configuration] port in
                // Unbuffered: scripts and tests wait for the Base URL line.
                let console = configuration.displayConsoleURL(boundPort: port)
                FileHandle.standardOutput.write(Data("\(banner)\nBase URL: \(configuration.displayBaseURL(boundPort: port))\n\(tokenLine)\nAdmin console: \(console) (sign in with a token from `scimgit token add NAME --admin`)\n".utf8))
            }
        } catch {
            production.stopFollowing()
            try? directory.close()
            production.stopMirrors()
            throw error
        }
        production.stopFollowing()
        try directory.close()
        production.stopMirrors()
        logger.info("stopped; store \(store.path) is clean")
    }

    private func serveTenants(
        in rootPath: String, registry: SchemaRegistry, storeOptions: GitStoreOptions, configuration: SCIMServerConfiguration, logger: Logger
    ) async throws {
        let root = try TenantRoot(path: URL(fileURLWithPath: rootPath).standardizedFileURL.path, create: true)
        var options = storeOptions
        // A tenant is opened for a request: wait for a command holding it no longer than a write would.
        options.ownershipTimeout = storeOptions.lockTimeout
        let stores = TenantStores(root: root, settings: .init(idle: .seconds(tenantIdle), storeOptions: options, registry: registry, guardPolicy: guardPolicy, logger: logger))
        stores.start()
        var configuration = configuration
        configuration.console = ConsoleConfiguration(tenants: TenantConsole(root: root, stores: stores, logger: logger))
        let count = try root.tenants().count
        let banner = "scimgit \(Version.current) serving \(count) tenant\(count == 1 ? "" : "s") in \(root.path) (\(durability.rawValue) writes, \(guardWords); tenants added later are served too)"
        do {
            try await SCIMServerRunner.run(tenants: stores, registry: registry, configuration: configuration, logger: logger) { [configuration] port in
                FileHandle.standardOutput.write(Data("\(banner)\nBase URL: \(configuration.displayBaseURL(boundPort: port))/{tenant}\nAPI tokens: each tenant's own (scimgit tenant add, scimgit token add NAME --repo \(root.path)/TENANT)\nAdmin console: \(configuration.displayConsoleURL(boundPort: port)) (a tenant's admins: scimgit token add NAME --admin --repo \(root.path)/TENANT; operators: scimgit token add NAME --admin --root \(root.path))\n".utf8))
            }
        } catch {
            await stores.closeAll()
            throw error
        }
        await stores.closeAll()
        logger.info("stopped; every tenant's store is clean")
    }

    /// `--guard`, checked by `validate`.
    private var guardPolicy: GuardPolicy? {
        do { return try GuardPolicy.parse(guardSetting) } catch { return GuardPolicy.standard }
    }

    private var guardWords: String {
        guard let guardPolicy else { return "deprovisioning guard off" }
        return "deprovisioning guard at \(guardPolicy.spec)"
    }

    /// Raises the soft open-file limit to the hard one: every connection is a descriptor,
    /// and the usual soft limit of 1,024 is soon used up by idle sockets.
    private func raiseOpenFileLimit(logger: Logger) -> DescriptorLimit? {
        do {
            let before = try DescriptorLimit.current()
            let after = try DescriptorLimit.raiseSoftLimitToHardLimit()
            if after.soft > before.soft {
                logger.info("raised the open-file limit from \(before.soft) to \(after)")
            } else {
                logger.info("open-file limit: \(after)")
            }
            return after
        } catch {
            logger.warning("cannot raise the open-file limit: \(error)")
            return try? DescriptorLimit.current()
        }
    }
}
