import Directory
import Files
import Foundation
import GitStore
import Logging
import SCIM
import SCIMServer
import SCIMService

/// The tenants of `scimgit serve --tenants ROOT`: each store is opened on its first request
/// (fast after a clean stop: the index snapshot and clean-shutdown record make it one file
/// read), shared by the requests that follow, and closed — index flushed, snapshot saved —
/// once idle for `idle`, so a tenant costs nothing while nobody provisions it. Tenants added
/// to ROOT are served on their first request; one being removed (`scimgit tenant remove`
/// leaves an offline record) is closed as soon as no request holds it, and from then on
/// answered as unknown.
///
/// Every store has its own writer, indexes, locks and queue: a burst at one tenant never
/// waits behind another's writes. A store that cannot be opened (broken, or locked by a
/// command) answers its own authenticated requests with that error and retries later; it
/// never affects the others.
final class TenantStores: TenantDirectory, @unchecked Sendable {
    struct Settings: Sendable {
        var idle: Duration
        var storeOptions: GitStoreOptions
        var registry: SchemaRegistry
        /// Each tenant's store has its own guard, counting its own writes.
        var guardPolicy: GuardPolicy?
        var logger: Logger
    }

    private let root: TenantRoot
    private let settings: Settings
    private let lock = NSLock()
    private var slots: [String: Slot] = [:]
    /// Each existing tenant's tokens (its `.git/scimgit/tokens.json`), with when ROOT was
    /// last checked for it: read without opening the store.
    private var tokens: [String: (store: TokenStore, checked: ContinuousClock.Instant)] = [:]
    private var reaper: Task<Void, Never>?
    /// How long a failed open is remembered before the next request tries again.
    private static let retryAfterFailure: Duration = .seconds(5)
    /// How often an open tenant is checked for an offline record or a removed folder.
    private static let checkInterval: Duration = .seconds(1)

    private enum Slot {
        case opening(Task<Void, Never>)
        case open(Tenant)
        case failed(SCIMError, since: ContinuousClock.Instant)
        case closing(Task<Void, Never>)
    }

    /// An open tenant; its counters are guarded by the registry's lock.
    private final class Tenant: @unchecked Sendable {
        let name: String
        let service: DirectoryService
        var inFlight = 0
        var lastUsed = ContinuousClock.now
        var lastChecked = ContinuousClock.now
        var goingOffline = false

        init(name: String, service: DirectoryService) {
            self.name = name
            self.service = service
        }
    }

    init(root: TenantRoot, settings: Settings) {
        self.root = root
        self.settings = settings
    }

    /// Starts closing idle tenants and those going offline.
    func start() {
        reaper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: TenantStores.checkInterval)
                self?.closeIdleAndOffline()
            }
        }
    }

    /// Closes every open tenant (at shutdown): each index and snapshot reaches the disk.
    func closeAll() async {
        reaper?.cancel()
        while true {
            let pending: [Task<Void, Never>] = lock.withLock {
                let current = slots
                return current.compactMap { name, slot -> Task<Void, Never>? in
                    switch slot {
                    case let .opening(task), let .closing(task): return task
                    case let .open(tenant): return beginClosing(tenant)
                    case .failed: slots[name] = nil; return nil
                    }
                }
            }
            if pending.isEmpty { return }
            for task in pending { await task.value }
        }
    }

    /// How many tenants are open now.
    var openCount: Int {
        lock.withLock { slots.values.filter { if case .open = $0 { true } else { false } }.count }
    }

    // MARK: - TenantDirectory

    func verifiers(of name: String) -> [any TokenVerifier]? {
        let now = ContinuousClock.now
        if let cached = lock.withLock({ tokens[name] }), now - cached.checked < TenantStores.checkInterval {
            return [cached.store]
        }
        guard root.holdsStore(name), !root.isGoingOffline(name) else {
            lock.withLock { tokens[name] = nil }
            return nil
        }
        let store = lock.withLock {
            let store = tokens[name]?.store ?? TokenStore(path: MetadataPaths(storeRoot: root.storePath(name)).tokens)
            tokens[name] = (store, now)
            return store
        }
        return [store]
    }

    func lease(_ name: String) async -> TenantLease? {
        while true {
            enum Next { case lease(TenantLease), wait(Task<Void, Never>), none }
            let next: Next = lock.withLock {
                switch slots[name] {
                case let .open(tenant)?:
                    if ContinuousClock.now - tenant.lastChecked >= TenantStores.checkInterval {
                        tenant.lastChecked = ContinuousClock.now
                        if !root.holdsStore(name) || root.isGoingOffline(name) { tenant.goingOffline = true }
                    }
                    guard !tenant.goingOffline else { return .none }
                    tenant.inFlight += 1
                    tenant.lastUsed = ContinuousClock.now
                    return .lease(TenantLease(name: name, service: tenant.service) { [weak self, tenant] in
                        self?.finished(tenant)
                    })
                case let .failed(error, since)?:
                    if ContinuousClock.now - since < TenantStores.retryAfterFailure {
                        return .lease(TenantLease(name: name, service: UnavailableService(error: error, registry: settings.registry)) {})
                    }
                    slots[name] = nil
                    return .wait(beginOpening(name))
                case let .opening(task)?, let .closing(task)?:
                    return .wait(task)
                case nil:
                    guard root.holdsStore(name), !root.isGoingOffline(name) else { return .none }
                    return .wait(beginOpening(name))
                }
            }
            switch next {
            case let .lease(lease): return lease
            case let .wait(task): await task.value
            case .none: return nil
            }
        }
    }

    // MARK: - Opening and closing

    /// Called with the lock held.
    private func beginOpening(_ name: String) -> Task<Void, Never> {
        let task = Task { [self] in
            let path = root.storePath(name)
            let started = ContinuousClock.now
            var logger = settings.logger
            logger[metadataKey: "tenant"] = .string(name)
            do {
                var options = settings.storeOptions
                options.logger = logger
                let store = try StoreSetup.open(at: path, options: options)
                let service = try DirectoryService(store: store, registry: settings.registry, guardPolicy: settings.guardPolicy, logger: logger)
                logger.info("opened tenant \(name) in \(ContinuousClock.now - started)")
                lock.withLock { slots[name] = .open(Tenant(name: name, service: service)) }
            } catch {
                let failure = error as? GitStoreError
                let status = failure?.isBusy == true ? 503 : 500
                logger.error("cannot open tenant \(name) (its requests answer \(status) until it can be): \(error)")
                let scimError = SCIMError(status: status, detail: status == 503
                    ? "this tenant's store is busy (another process holds it); retry shortly"
                    : "this tenant's store cannot be opened; an operator must repair it (scimgit verify)")
                lock.withLock { slots[name] = .failed(scimError, since: ContinuousClock.now) }
            }
        }
        slots[name] = .opening(task)
        return task
    }

    private func finished(_ tenant: Tenant) {
        lock.withLock {
            tenant.inFlight -= 1
            tenant.lastUsed = ContinuousClock.now
        }
    }

    private func closeIdleAndOffline() {
        let now = ContinuousClock.now
        lock.withLock {
            let current = slots
            for case let (name, .open(tenant)) in current {
                if now - tenant.lastChecked >= TenantStores.checkInterval {
                    tenant.lastChecked = now
                    if !root.holdsStore(name) || root.isGoingOffline(name) { tenant.goingOffline = true }
                }
                let idle = now - tenant.lastUsed >= settings.idle
                if tenant.inFlight == 0 && (idle || tenant.goingOffline) { _ = beginClosing(tenant) }
            }
        }
    }

    /// Called with the lock held, for a tenant no request holds.
    private func beginClosing(_ tenant: Tenant) -> Task<Void, Never> {
        let task = Task { [self] in
            do {
                try tenant.service.close()
                settings.logger.info("closed tenant \(tenant.name)\(tenant.goingOffline ? " (going offline)" : " (idle)")")
            } catch {
                settings.logger.warning("closing tenant \(tenant.name): \(error)")
            }
            lock.withLock { slots[tenant.name] = nil }
        }
        slots[tenant.name] = .closing(task)
        return task
    }
}

/// The service of a tenant whose store cannot be opened: every request (once
/// authenticated) gets the reason, with the status that says whether to retry.
struct UnavailableService: ResourceService {
    let error: SCIMError
    let registry: SchemaRegistry

    func get(_ type: ResourceType, id: String, projection: Projection, ifNoneMatch: EntityTagList?, context: Caller) async throws(SCIMError) -> ReadResult {
        throw error
    }

    func search(_ types: [ResourceType], _ request: SearchRequest, context: Caller) async throws(SCIMError) -> SearchResult {
        throw error
    }

    func create(_ type: ResourceType, document: JSONValue, projection: Projection, context: Caller) async throws(SCIMError) -> ResourceRecord {
        throw error
    }

    func replace(
        _ type: ResourceType, id: String, document: JSONValue, precondition: EntityTagList?, projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        throw error
    }

    func patch(
        _ type: ResourceType, id: String, request: PatchRequest, precondition: EntityTagList?, projection: Projection, context: Caller
    ) async throws(SCIMError) -> ResourceRecord {
        throw error
    }

    func delete(_ type: ResourceType, id: String, precondition: EntityTagList?, context: Caller) async throws(SCIMError) {
        throw error
    }
}
