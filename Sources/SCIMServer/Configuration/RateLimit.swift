/// A per-client request rate: a token bucket of `burst` requests refilled at
/// `requestsPerSecond`. Okta and Entra back off on `429` with an integer `Retry-After`, so
/// limiting protects the store's single writer without failing provisioning.
public struct RateLimit: Sendable, Hashable {
    /// Sustained rate per client (token name). Entra asks for at least 25.
    public var requestsPerSecond: Double
    /// Requests a client may send at once after being quiet.
    public var burst: Int

    /// `burst` defaults to one second's worth of requests (at least 1).
    public init(requestsPerSecond: Double, burst: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        let oneSecond = requestsPerSecond.isFinite ? Int(requestsPerSecond.rounded(.up)) : 1
        self.burst = burst ?? max(1, oneSecond)
    }
}
