import Hummingbird
import NIOCore

/// The per-request state the middlewares hand down to the route handlers: the request id
/// and who the caller is. Hummingbird contexts are values, so each middleware fills in its
/// part before calling the next one.
struct SCIMRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on (`AuthenticationMiddleware` tells the
    /// `ConnectionTracker` when it has authenticated).
    let channel: any Channel
    /// The request id echoed in `X-Request-Id` and recorded in commits (`RequestIDMiddleware`).
    var requestID: String
    /// The outcome of checking `Authorization` (`AuthenticationMiddleware`, or
    /// `TenantMiddleware` against the tenant's own tokens).
    var authentication: Authentication
    /// In a server of many organisations, the tenant the request is for (nil when the path
    /// names none that exists; then the request is answered as unauthenticated).
    var tenant: TenantLease?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        requestID = ""
        authentication = .anonymous(reason: "the Authorization header is missing")
        tenant = nil
    }

    /// The authenticated client (the token's name), if any.
    var client: String? {
        if case .authenticated(let client) = authentication { return client }
        return nil
    }

    /// What the rate limiter counts against: the client, within its tenant (a tenant's
    /// burst never spends another's budget).
    var rateLimitKey: String {
        let client = self.client ?? RateLimitMiddleware.anonymousBucket
        return tenant.map { $0.name + "/" + client } ?? client
    }
}

/// Who sent a request, as far as the `Authorization` header tells.
enum Authentication: Sendable, Equatable {
    /// A valid token: the name it was issued under.
    case authenticated(client: String)
    /// No valid token; `reason` is safe to send back (it never quotes the header).
    case anonymous(reason: String)
}
