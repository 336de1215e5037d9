import Hummingbird

/// Works out who is calling, for every request: it checks `Authorization` against the
/// configured `TokenVerifier`s and records the outcome in the context, without refusing
/// anything itself.
///
/// Refusing is `RequireAuthenticationMiddleware`'s job on the protected routes; resolving
/// the client here, ahead of logging and rate limiting, lets the log line and the rate
/// limiter know the client even for requests that end in 401, 404 or 405.
///
/// A connection that carried a valid token is trusted from then on: `connections` never
/// evicts it to make room for a new one.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    let verifiers: [any TokenVerifier]
    var connections: ConnectionTracker? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.authentication = authenticate(request.headers[values: .authorization])
        if context.client != nil { connections?.trust(context.channel) }
        return try await next(request, context)
    }

    func authenticate(_ values: [String]) -> Authentication {
        switch AuthorizationHeader.credential(from: values) {
        case .rejected(let reason):
            return .anonymous(reason: reason)
        case .token(let token):
            for verifier in verifiers {
                if let client = verifier.verify(token) { return .authenticated(client: client) }
            }
            return .anonymous(reason: "the API token is not valid")
        }
    }
}
