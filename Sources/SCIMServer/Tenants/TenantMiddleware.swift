import Hummingbird

/// In a server of many organisations, works out for every request which tenant it is for
/// (the path segment after the base path) and who is calling, against that tenant's own
/// tokens: a token of tenant A never authenticates at tenant B.
///
/// An unknown tenant is answered exactly as a known one with a wrong token would be (the
/// same 401, after the same token check), so tenant names cannot be probed. Only an
/// authenticated request opens a tenant's store; it stays leased until the response is
/// made, so it is never closed under a request.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = SCIMRequestContext

    let tenants: any TenantDirectory
    let basePath: String
    var connections: ConnectionTracker? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let name = tenantName(request.uri.path).flatMap { TenantName.isValid($0) ? $0 : nil }
        let verifiers = name.flatMap { tenants.verifiers(of: $0) } ?? [UnknownTenantVerifier()]
        context.authentication = AuthenticationMiddleware(verifiers: verifiers).authenticate(request.headers[values: .authorization])
        var lease: TenantLease?
        if let name, context.client != nil {
            lease = await tenants.lease(name)
            // Gone between the token check and the open (removed just now): unknown.
            if lease == nil { context.authentication = .anonymous(reason: "the API token is not valid") }
        }
        defer { lease?.finished() }
        context.tenant = lease
        if context.client != nil { connections?.trust(context.channel) }
        return try await next(request, context)
    }

    /// `/scim/v2/acme/Users/…` → `acme`.
    func tenantName(_ path: String) -> String? {
        guard path.hasPrefix(basePath + "/") else { return nil }
        let rest = path.dropFirst(basePath.count + 1)
        guard let segment = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, !segment.isEmpty else { return nil }
        return String(segment)
    }
}

/// Stands in for an unknown tenant's tokens: checks a presented token as a real verifier
/// would (one salted hash), and accepts none.
struct UnknownTenantVerifier: TokenVerifier {
    private static let decoy = HashedToken(name: "", secret: "unknown-tenant-decoy")

    func verify(_ presented: String) -> String? {
        _ = UnknownTenantVerifier.decoy.matches(presented)
        return nil
    }
}
