import Files
import Foundation
import SCIMServer

/// The folder of a server of many organisations: one scimgit store per tenant, `ROOT/NAME`.
/// Every name is checked by `TenantName` and looked up beneath ROOT's descriptor without
/// following links, so neither a hostile name nor a link put in ROOT reaches a store
/// elsewhere. `ROOT/.removed/` keeps the stores of removed tenants.
struct TenantRoot: Sendable {
    let folder: Folder

    static let removedFolder = ".removed"

    init(path: String, create: Bool = false) throws {
        do {
            folder = try Folder(opening: path, create: create)
        } catch {
            throw CLIError(error.isMissing ? "\(path) does not exist (create it with `scimgit tenant add NAME --root \(path)`)" : "cannot open \(path): \(error)")
        }
    }

    var path: String { folder.path }

    func storePath(_ name: String) -> String { folder.absolute(name) }

    /// Whether `ROOT/name` is a store: a real folder (not a link) with a `.git` folder.
    func holdsStore(_ name: String) -> Bool {
        guard TenantName.isValid(name), let store = try? folder.subfolder(name), (try? store.subfolder(".git")) != nil else { return false }
        return true
    }

    /// Whether the tenant is being taken offline (`scimgit tenant remove`).
    func isGoingOffline(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: MetadataPaths(storeRoot: storePath(name)).offlineMarker)
    }

    /// The tenants in ROOT, by name.
    func tenants() throws -> [String] {
        do {
            return try folder.names().filter(holdsStore).sorted()
        } catch {
            throw CLIError("cannot list \(path): \(error)")
        }
    }
}
