import Directory
import Foundation
import GitStore
import Logging
import Prometheus
import SCIMServer
import Synchronization

/// What `serve` runs beside one store for production: its mirrors, the follower of a
/// replica, the gauges a scrape reads, and the readiness `/readyz` answers.
final class StoreOperations: Sendable {
    let directory: DirectoryService
    let mirrors: [StoreMirror]
    let follower: StoreFollower?
    let maxReplicaLag: TimeInterval
    private let logger: Logger
    /// The last readiness answer and when it was taken: probes come often, and each check
    /// waits for the writer lock and flushes a file.
    private let lastCheck = Mutex<(at: ContinuousClock.Instant, reason: String?)?>(nil)

    init(directory: DirectoryService, options: OperationsOptions, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        maxReplicaLag = options.maxReplicaLag
        let store = directory.store
        let access = RemoteAccess.fromEnvironment()
        if let source = options.replicaOf {
            if try store.configFlag(StoreFollower.promotedKey) == true {
                throw CLIError("this store was promoted to a primary (scimgit promote): serve it without --replica-of, or give an empty --repo for a new replica")
            }
            try store.setConfigString(StoreFollower.configKey, source)
            let reason = "this server is a read-only replica of \(RemoteAccess.redacted(source)): send writes to the primary"
            directory.refuseWrites(reason)
            let follower = StoreFollower(store: store, url: source, interval: options.followInterval, access: access, logger: logger) { [directory] in
                directory.refuseWrites(nil)
            }
            self.follower = follower
        } else {
            if let source = try store.configString(StoreFollower.configKey) {
                throw CLIError("this store is a read replica of \(RemoteAccess.redacted(source)): serve it with --replica-of \(RemoteAccess.redacted(source)), or make it a primary first with `scimgit promote --repo \(store.root)`")
            }
            follower = nil
        }
        mirrors = options.mirror.map { StoreMirror(store: store, url: $0, access: access, logger: logger) }
    }

    func start() {
        follower?.start()
        for mirror in mirrors { mirror.start() }
        if let follower { logger.info("replica of \(follower.status.remote), fetching it every few seconds; writes are refused until `scimgit promote`") }
        for mirror in mirrors { logger.info("mirroring to \(mirror.status.remote)") }
    }

    /// The follower before the store closes; mirrors after (a last push of the final HEAD).
    func stopFollowing() { follower?.stop() }
    func stopMirrors() { for mirror in mirrors { mirror.stop() } }

    /// Why `/readyz` says not ready, nil when ready.
    func unreadiness() async -> String? {
        if let last = lastCheck.withLock({ $0 }), ContinuousClock.now - last.at < .seconds(1) { return last.reason }
        let reason: String? = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in continuation.resume(returning: check()) }
        }
        lastCheck.withLock { $0 = (ContinuousClock.now, reason) }
        return reason
    }

    private func check() -> String? {
        if let reason = directory.unreadiness() { return reason }
        if let follower {
            let status = follower.status
            if status.promoted { return nil }
            if let stopped = status.stopped { return "the replica stopped following: \(stopped)" }
            guard let last = status.lastFetch else { return "the replica has not fetched from \(status.remote) yet" }
            let age = Date().timeIntervalSince(last)
            if age > maxReplicaLag { return "the replica's last fetch was \(Int(age)) s ago (more than --max-replica-lag \(Int(maxReplicaLag)) s)" }
        }
        return nil
    }

    /// A gauge by its full name (no namespace or unit parts: the names are written out whole,
    /// as a dashboard searches for them).
    private func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// Sets the gauges of this store before a scrape.
    func collect(_ registry: PrometheusCollectorRegistry) {
        let counts = directory.counts
        gauge(registry, "scimgit_resources", "Resources in the store", labels: [("kind", "user")]).set(Double(counts.users))
        gauge(registry, "scimgit_resources", "Resources in the store", labels: [("kind", "group")]).set(Double(counts.groups))
        gauge(registry, "scimgit_packs", "Pack files in the store's object database").set(Double(directory.store.packCount))
        gauge(registry, "scimgit_index_bytes", "Estimated bytes held by the in-memory indexes of the store").set(Double(directory.indexBytes))
        if let resident = PrometheusMetrics.residentBytes {
            gauge(registry, "scimgit_resident_memory_bytes", "Resident memory of the process").set(resident)
        }
        let holding = directory.guardState?.trip != nil
        gauge(registry, "scimgit_guard_holding", "1 while the deprovisioning guard holds deprovisioning writes").set(holding ? 1.0 : 0.0)
        for (position, mirror) in mirrors.enumerated() {
            let status = mirror.status
            let labels = [("mirror", String(position))]
            gauge(registry, "scimgit_mirror_lag_commits", "Commits the mirror lacks", labels: labels).set(Double(status.lagCommits))
            gauge(registry, "scimgit_mirror_lag_seconds", "Seconds since the mirror first lacked a commit", labels: labels).set(status.lagSeconds)
            gauge(registry, "scimgit_mirror_failures", "Failed pushes since start", labels: labels).set(Double(status.failures))
            gauge(registry, "scimgit_mirror_stopped", "1 when the mirror stopped (its remote diverged)", labels: labels).set(status.stopped == nil ? 0.0 : 1.0)
        }
        if let follower {
            let status = follower.status
            let lag = status.lastFetch.map { Date().timeIntervalSince($0) } ?? -1
            gauge(registry, "scimgit_replica_lag_seconds", "Seconds since the replica's last successful fetch (-1: none yet)").set(status.promoted ? 0 : lag)
            gauge(registry, "scimgit_replica", "1 while this server is a read replica").set(status.promoted ? 0.0 : 1.0)
        }
    }
}
