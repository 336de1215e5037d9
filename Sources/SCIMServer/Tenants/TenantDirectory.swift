import SCIMService

/// Where a server of many organisations finds each one's resources and tokens: a tenant is
/// a whole store of its own (its history, snapshots and rollbacks stay its own), reached at
/// `/scim/v2/{tenant}/…`. The executable implements it over a folder of stores; the HTTP
/// layer only asks for a tenant by name, once per request.
public protocol TenantDirectory: Sendable {
    /// How the tenant's callers authenticate — read without opening its store, so requests
    /// without a valid token never cost a store — or nil when there is no such tenant.
    func verifiers(of name: String) -> [any TokenVerifier]?

    /// The tenant named `name`, opened if need be, for one authenticated request; nil when
    /// there is none (or it is going offline). The server calls `finished()` on the lease
    /// once it has answered.
    func lease(_ name: String) async -> TenantLease?
}

/// One request's hold on a tenant's service, kept open until `finished()` (a tenant idle
/// long enough is closed, never while a request holds it).
public final class TenantLease: Sendable {
    public let name: String
    public let service: any ResourceService
    private let onFinish: @Sendable () -> Void

    public init(name: String, service: any ResourceService, onFinish: @escaping @Sendable () -> Void) {
        self.name = name
        self.service = service
        self.onFinish = onFinish
    }

    public func finished() {
        onFinish()
    }
}
