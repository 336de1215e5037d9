import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SCIM
import Testing
@testable import SCIMServer

/// Per-client token buckets, and the 429 + integer `Retry-After` clients see.
@Suite struct RateLimiterTests {
    @Test func aBucketRefillsAtTheRate() {
        let clock = FakeClock()
        let limiter = RateLimiter(RateLimit(requestsPerSecond: 1, burst: 2), now: { clock.now })
        #expect(limiter.acquire(for: "okta") == .allowed)
        #expect(limiter.acquire(for: "okta") == .allowed)
        #expect(limiter.acquire(for: "okta") == .limited(retryAfterSeconds: 1))
        #expect(limiter.acquire(for: "entra") == .allowed)
        clock.advance(by: .milliseconds(500))
        #expect(limiter.acquire(for: "okta") == .limited(retryAfterSeconds: 1))
        clock.advance(by: .milliseconds(500))
        #expect(limiter.acquire(for: "okta") == .allowed)
        clock.advance(by: .seconds(60))
        #expect(limiter.acquire(for: "okta") == .allowed)
        #expect(limiter.acquire(for: "okta") == .allowed)
        #expect(limiter.acquire(for: "okta") == .limited(retryAfterSeconds: 1))
    }

    @Test func retryAfterIsAWholeNumberOfSecondsRoundedUp() {
        let clock = FakeClock()
        let limiter = RateLimiter(RateLimit(requestsPerSecond: 0.25, burst: 1), now: { clock.now })
        #expect(limiter.acquire(for: "x") == .allowed)
        #expect(limiter.acquire(for: "x") == .limited(retryAfterSeconds: 4))
        clock.advance(by: .milliseconds(1500))
        #expect(limiter.acquire(for: "x") == .limited(retryAfterSeconds: 3))
    }

    @Test func theDefaultBurstIsOneSecondOfRequests() {
        #expect(RateLimit(requestsPerSecond: 25).burst == 25)
        #expect(RateLimit(requestsPerSecond: 0.5).burst == 1)
        #expect(RateLimit(requestsPerSecond: 2.5).burst == 3)
    }

    @Test func overTheLimitIs429WithRetryAfterPerClient() async throws {
        // Slow refill (one request per 20 s): a loaded machine cannot refill between requests.
        let app = try TestServer.application { $0.rateLimit = RateLimit(requestsPerSecond: 0.05, burst: 2) }
        try await app.test(.router) { client in
            #expect(try await client.scim(.get, "Users").status == .ok)
            #expect(try await client.scim(.get, "Users").status == .ok)
            let limited = try await client.scim(.get, "Users")
            #expect(limited.status == .tooManyRequests)
            // Real clock: a slow machine may refill part of the bucket between the requests.
            let retryAfter = limited.headers[.retryAfter].flatMap { Int($0) }
            #expect(retryAfter.map { (1...20).contains($0) } == true)
            #expect(limited.scimError?.status == 429)
            #expect(limited.headers[.contentType] == "application/scim+json")
            let other = try await client.scim(.get, "Users", token: TestServer.entraToken)
            #expect(other.status == .ok)
        }
    }

    @Test func withoutALimitNothingIsRefused() async throws {
        let app = try TestServer.application()
        try await app.test(.router) { client in
            for _ in 0..<30 {
                let response = try await client.scim(.get, "Users")
                #expect(response.status == .ok)
            }
        }
    }
}
