import GitStore
import Logging
import SCIM
import Synchronization

/// The schemas one store's requests are checked against: the server's base registry
/// (built-in schemas, `serve --schema-extension` files, `--strict-schemas`) with the
/// store's own `Schemas/` attached. Swapped whole when a commit changes that folder (a
/// `scimgit schema add`, a `git revert`, a rollback), so a request sees the old set or the
/// new one, never half of each. Readers take the current value with one lock; only the
/// writer thread reloads.
final class SchemaCatalog: Sendable {
    private let base: SchemaRegistry
    private let current: Mutex<StoreSchemas.Loaded>
    private let logger: Logger

    init(base: SchemaRegistry, logger: Logger) {
        self.base = base
        self.logger = logger
        current = Mutex(StoreSchemas.Loaded(registry: base, declarations: [], problems: []))
    }

    var registry: SchemaRegistry { current.withLock { $0.registry } }

    /// Reads the schemas of `commit`. A store that cannot be read keeps the schemas it had
    /// (logged): requests go on rather than losing every custom attribute at once.
    func reload(from store: GitStore, at commit: ObjectID?) {
        do {
            let loaded = try StoreSchemas.load(from: store, at: commit, base: base)
            for problem in loaded.problems {
                logger.error("schema file \(problem.path) is left out: \(problem.detail) (see scimgit verify)")
            }
            let names = loaded.declarations.map { "\($0.declaration.schema.id) (\($0.declaration.resourceType))" }
            if !names.isEmpty { logger.info("custom schemas: \(names.joined(separator: ", "))") }
            current.withLock { $0 = loaded }
        } catch {
            logger.error("could not read the store's schemas, keeping the ones loaded before: \(error)")
        }
    }
}
