import Hummingbird
import SCIM

/// Applies the per-client `RateLimiter`: over the limit, `429` with a SCIM error and an
/// integer `Retry-After`. Unauthenticated requests share one bucket, which also slows down
/// token guessing.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    static let anonymousBucket = "<anonymous>"

    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch limiter.acquire(for: context.rateLimitKey) {
        case .allowed:
            return try await next(request, context)
        case .limited(let seconds):
            throw SCIMHTTPError(
                .tooManyRequests("too many requests: retry after \(seconds) s"),
                headers: [.retryAfter: String(seconds)])
        }
    }
}
