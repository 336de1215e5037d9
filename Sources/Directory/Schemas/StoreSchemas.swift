import GitStore
import SCIM

/// The custom schemas a store declares, one file per schema URN under `Schemas/`
/// (`SchemaDeclaration`), read from a commit's tree — never from the working tree, so a
/// link or a half-written file there is never read.
///
/// A file that is not a valid declaration (bad JSON, a link, a name that is not its URN,
/// a URN that clashes with another schema, a resource type the server does not have) is a
/// problem: reported by `scimgit verify` and the server's log, and left out, while every
/// other schema still loads. One bad hand commit never takes the server down; the
/// resources carrying a schema left out are served as carrying an undeclared extension.
public enum StoreSchemas {
    /// The folder beside `Users/` and `Groups/`.
    public static let folder = "Schemas"

    /// Most characters of a schema URN (it is a file name).
    static let urnLimit = 200

    /// `Schemas/<urn>.json`. A URN of other characters than letters, digits and `:._-`
    /// cannot name a file safely and is refused (`invalidValue`).
    public static func path(of urn: String) throws(SCIMError) -> String {
        let allowed = urn.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, urn.utf8.count <= urnLimit, urn.lowercased().hasPrefix("urn:") else {
            throw .invalidValue("schema id \"\(DisplayText.escaped(urn, limit: 120))\" must be a URN (urn:…) of at most \(urnLimit) letters, digits and : . _ -")
        }
        return folder + "/" + urn + ".json"
    }

    /// Whether a changed path can change the store's schemas.
    public static func isSchemaPath(_ path: String) -> Bool {
        path == folder || path.hasPrefix(folder + "/")
    }

    /// What a store declares, as of one commit.
    public struct Loaded: Sendable {
        /// The base registry with every valid declaration attached.
        public var registry: SchemaRegistry
        /// The declarations that loaded, by path.
        public var declarations: [(path: String, declaration: SchemaDeclaration)]
        /// Files that did not, and why.
        public var problems: [(path: String, detail: String)]
    }

    /// Reads the declarations at `commit` (nil: a store without commits) onto `base`.
    public static func load(from store: GitStore, at commit: ObjectID?, base: SchemaRegistry) throws -> Loaded {
        guard let commit else { return Loaded(registry: base, declarations: [], problems: []) }
        var files: [(path: String, bytes: [UInt8]?)] = []
        for file in try store.files(at: commit, under: folder) {
            files.append((file.path, file.kind == .file ? try store.readBlob(file.blob) : nil))
        }
        return load(files: files, base: base)
    }

    /// Attaches the declarations in `files` (nil bytes: a link or submodule) to `base`, in
    /// path order so the outcome does not depend on the order files were read.
    public static func load(files: [(path: String, bytes: [UInt8]?)], base: SchemaRegistry) -> Loaded {
        var registry = base
        var declarations: [(path: String, declaration: SchemaDeclaration)] = []
        var problems: [(path: String, detail: String)] = []
        for (path, bytes) in files.sorted(by: { $0.path < $1.path }) {
            guard let bytes else {
                problems.append((path, "not a regular file (a link or submodule); never read"))
                continue
            }
            do throws(SCIMError) {
                let declaration = try SchemaDeclaration(bytes: bytes)
                let expected = try self.path(of: declaration.schema.id)
                guard expected == path else {
                    throw .invalidValue("the file of schema \(declaration.schema.id) must be \(expected)")
                }
                guard let type = registry.resourceType(id: declaration.resourceType) else {
                    throw .invalidValue("schema \(declaration.schema.id) extends \"\(DisplayText.escaped(declaration.resourceType, limit: 60))\", which is not a resource type here (User or Group)")
                }
                try registry.addExtension(declaration.schema, to: type.id, required: declaration.required)
                var canonical = declaration
                canonical.resourceType = type.id
                declarations.append((path, canonical))
            } catch {
                problems.append((path, error.detail))
            }
        }
        return Loaded(registry: registry, declarations: declarations, problems: problems)
    }
}
