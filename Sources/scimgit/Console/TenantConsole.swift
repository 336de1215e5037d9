import Directory
import Files
import Foundation
import Logging
import SCIMServer
import SCIMService
import Synchronization

/// The console of a server of many organisations: each tenant's admin tokens and store
/// (opened as a request would open it, and held while a page is built), and the operators
/// of the whole server, whose admin tokens are kept in ROOT/.scimgit/admin-tokens.json
/// (`scimgit token add NAME --admin --root ROOT`).
final class TenantConsole: ConsoleTenants, @unchecked Sendable {
    let root: TenantRoot
    let stores: TenantStores
    let logger: Logger
    let operatorTokens: any TokenVerifier
    /// tenant → its console over the store now open (a reopened store gets a new one).
    private let admins = Mutex<[String: (directory: ObjectIdentifier, admin: DirectoryAdmin)]>([:])

    static func operatorTokenPath(root: String) -> String { MetadataPaths.join(MetadataPaths.join(root, ".scimgit"), "admin-tokens.json") }

    init(root: TenantRoot, stores: TenantStores, logger: Logger) {
        self.root = root
        self.stores = stores
        self.logger = logger
        operatorTokens = TokenStore(path: TenantConsole.operatorTokenPath(root: root.path))
    }

    func names() -> [String] { (try? root.tenants()) ?? [] }

    func adminTokens(of tenant: String) -> (any TokenVerifier)? {
        guard TenantName.isValid(tenant), root.holdsStore(tenant) else { return nil }
        return TokenStore(path: MetadataPaths(storeRoot: root.storePath(tenant)).adminTokens)
    }

    func admin(of tenant: String) async -> ConsoleLease? {
        guard TenantName.isValid(tenant), let lease = await stores.lease(tenant) else { return nil }
        guard let directory = lease.service as? DirectoryService else {
            lease.finished()
            return nil
        }
        let key = ObjectIdentifier(directory)
        let admin = admins.withLock { all -> DirectoryAdmin in
            if let known = all[tenant], known.directory == key { return known.admin }
            var tenantLogger = logger
            tenantLogger[metadataKey: "tenant"] = .string(tenant)
            let made = DirectoryAdmin(directory: directory, path: root.storePath(tenant), logger: tenantLogger)
            all[tenant] = (key, made)
            return made
        }
        return ConsoleLease(service: admin) { lease.finished() }
    }
}
