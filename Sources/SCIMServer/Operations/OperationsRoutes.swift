import Hummingbird
import Logging
import Synchronization

/// `/healthz`, `/readyz` and `/metrics`: without a token (probes and scrapers carry
/// none), outside the SCIM base path, and saying nothing an attacker could use — a
/// reason for unreadiness goes to the log, the answer is only `ready` or `not ready`.
enum OperationsRoutes {
    static let health = "/healthz"
    static let ready = "/readyz"
    static let metrics = "/metrics"

    /// Whether a path is one of these (the SCIM error mapping and the request log leave
    /// them alone).
    static func handles(_ path: String) -> Bool {
        path == health || path == ready || path == metrics
    }

    static func install(on router: Router<SCIMRequestContext>, _ operations: OperationsConfiguration, logger: Logger) {
        router.get(RouterPath(health)) { _, _ in text("ok\n") }
        let lastReason = ReasonLog()
        router.get(RouterPath(ready)) { _, _ in
            let reason = await operations.readiness()
            if let reason, lastReason.changed(to: reason) { logger.warning("not ready: \(reason)") }
            if reason == nil, lastReason.changed(to: nil) { logger.notice("ready again") }
            return reason == nil ? text("ready\n") : text("not ready\n", status: .serviceUnavailable)
        }
        if let render = operations.metrics, operations.metricsListener == nil {
            installMetrics(on: router, render)
        }
    }

    static func installMetrics<Context: RequestContext>(on router: Router<Context>, _ render: @escaping @Sendable () -> [UInt8]) {
        router.get(RouterPath(metrics)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: render())))
        }
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Logs a reason once when it appears or changes, not at every probe.
private final class ReasonLog: Sendable {
    /// nil until the first probe; then the last answer's reason.
    private let last = Mutex<String??>(nil)

    func changed(to reason: String?) -> Bool {
        last.withLock { last in
            if case let .some(previous) = last, previous == reason { return false }
            let first = last == nil
            last = .some(reason)
            return !(first && reason == nil)
        }
    }
}
