import Synchronization

/// Token buckets, one per client name: each request takes a token; tokens come back at
/// `requestsPerSecond` up to `burst`. A request finding the bucket empty is told how many
/// whole seconds to wait (`Retry-After` must be an integer for Okta).
///
/// Buckets are keyed by token name, so their number is bounded by the configured tokens
/// (plus one shared bucket for unauthenticated requests).
final class RateLimiter: Sendable {
    enum Decision: Equatable {
        case allowed
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let limit: RateLimit
    private let now: @Sendable () -> ContinuousClock.Instant
    private let buckets = Mutex<[String: Bucket]>([:])

    init(_ limit: RateLimit, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.limit = limit
        self.now = now
    }

    func acquire(for client: String) -> Decision {
        let rate = limit.requestsPerSecond
        let capacity = Double(limit.burst)
        let instant = now()
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: instant)
            let elapsed = instant - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = instant
            defer { buckets[client] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .allowed
            }
            let wait = (1 - bucket.tokens) / rate
            return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
    }
}
