import Hummingbird
import SCIM

/// Guards the resource endpoints: a request without a valid token gets `401` with a SCIM
/// error and `WWW-Authenticate: Bearer` (RFC 6750 §3). Discovery endpoints are registered
/// without it, as RFC 7644 §4 lets them be read anonymously.
struct RequireAuthenticationMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard case .anonymous(let reason) = context.authentication else {
            return try await next(request, context)
        }
        throw SCIMHTTPError(.unauthorized("authentication required: \(reason)"), headers: [.wwwAuthenticate: "Bearer realm=\"scimgit\""])
    }
}
