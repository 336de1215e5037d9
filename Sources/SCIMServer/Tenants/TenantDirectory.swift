import SCIMService

/// Where a server of many organisations finds each one's resources and tokens: a tenant is
/// a whole store of its own (its history, snapshots and rollbacks stay its own), reached at
/// `/scim/v2/{tenant}/…`. The executable implements it over a folder of stores; the HTTP
/// layer only asks for a tenant by name, once per request.
public protocol TenantDirectory: Sendable {
    /// The tenant named `name`, ready for one request, or nil when there is none (or it is
    /// going offline). The server calls `finished()` on the lease once it has answered.
    func lease(_ name: String) async -> TenantLease?
}

/// One request's hold on a tenant: its service and token verifiers, kept open until
/// `finished()` (a tenant idle long enough is closed, never while a request holds it).
public final class TenantLease: Sendable {
    public let name: String
    public let service: any ResourceService
    public let verifiers: [any TokenVerifier]
    private let onFinish: @Sendable () -> Void

    public init(name: String, service: any ResourceService, verifiers: [any TokenVerifier], onFinish: @escaping @Sendable () -> Void) {
        self.name = name
        self.service = service
        self.verifiers = verifiers
        self.onFinish = onFinish
    }

    public func finished() {
        onFinish()
    }
}
