import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The process's metrics in Prometheus form: swift-metrics bootstrapped once with
/// swift-prometheus, so what the store and Hummingbird record lands in one registry, plus
/// gauges read at each scrape (resources, packs, memory, guard, mirrors, replica).
final class PrometheusMetrics: Sendable {
    static let shared = PrometheusMetrics()

    let registry = PrometheusCollectorRegistry()
    /// Read before each scrape: each sets the gauges it owns.
    private let collectors = Mutex<[@Sendable (PrometheusCollectorRegistry) -> Void]>([])

    private init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = PrometheusMetrics.sanitize
        factory.valueHistogramBuckets["scimgit_write_batch_size"] = [1, 2, 4, 8, 16, 32, 64]
        factory.durationHistogramBuckets["scimgit_write_durable_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        factory.durationHistogramBuckets["scimgit_http_request_duration_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        // Counters the store increments rarely: scraped as 0 until then, not missing.
        for name in ["scimgit_repacks_total", "scimgit_head_moves_total", "scimgit_writes_committed_total"] {
            CoreMetrics.Counter(label: name).increment(by: 0)
        }
    }

    func addCollector(_ collect: @escaping @Sendable (PrometheusCollectorRegistry) -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// The text exposition, gauges brought up to date first.
    func scrape() -> [UInt8] {
        for collect in collectors.withLock({ $0 }) { collect(registry) }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// Hummingbird's metric names (`hb.requests`, `http.server.request.duration`) in
    /// scimgit's namespace, and their dotted label names as Prometheus spells labels.
    @Sendable static func sanitize(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        let names = [
            "hb.requests": "scimgit_http_requests_total",
            "http.server.request.duration": "scimgit_http_request_duration_seconds",
            "hb.request.errors": "scimgit_http_request_errors_total",
            "http.server.active_requests": "scimgit_http_active_requests",
        ]
        let labelNames = ["http.route": "route", "http.request.method": "method", "http.response.status_code": "status"]
        let renamed = names[name] ?? name.replacingOccurrences(of: ".", with: "_")
        return (renamed, labels.map { (labelNames[$0.0] ?? $0.0.replacingOccurrences(of: ".", with: "_"), $0.1) })
    }

    /// Resident memory of the process (`/proc/self/statm`), nil where there is none.
    static var residentBytes: Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
