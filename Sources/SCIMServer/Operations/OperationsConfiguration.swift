/// What the server tells the machines that run it: Prometheus metrics, and whether it is
/// up and ready. Filled in by whoever knows the store (the server knows none): `metrics`
/// renders the scrape, `readiness` says why the server cannot take traffic (nil: ready).
public struct OperationsConfiguration: Sendable {
    /// The Prometheus text exposition of every metric.
    public var metrics: (@Sendable () -> [UInt8])?
    /// Serve `/metrics` on its own listener instead of the main one (`--metrics-listen`).
    public var metricsListener: (host: String, port: Int)?
    public var readiness: @Sendable () async -> String?

    public init(metrics: (@Sendable () -> [UInt8])? = nil, metricsListener: (host: String, port: Int)? = nil, readiness: @escaping @Sendable () async -> String? = { nil }) {
        self.metrics = metrics
        self.metricsListener = metricsListener
        self.readiness = readiness
    }
}
