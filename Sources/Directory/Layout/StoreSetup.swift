import Foundation
import GitStore

/// Creating and opening stores with scimgit's layout (README, owned folders).
public enum StoreSetup {
    public struct AlreadyExists: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) already holds a git repository" }
    }

    /// Creates a new store at `path` whose first commit holds the layout README.
    public static func create(at path: String, options: GitStoreOptions = GitStoreOptions()) throws -> GitStore {
        if FileManager.default.fileExists(atPath: path + "/.git") { throw AlreadyExists(path: path) }
        return try GitStore.create(
            at: path, initialFiles: ["README.md": Array(StoreLayout.readme.utf8)],
            message: "Initialize scimgit store", author: .scimgit, options: options
        )
    }

    /// Opens the store at `path`, creating it first when `create` is true and it is missing.
    public static func open(at path: String, create: Bool = false, options: GitStoreOptions = GitStoreOptions()) throws -> GitStore {
        if create && !FileManager.default.fileExists(atPath: path + "/.git") {
            return try self.create(at: path, options: options)
        }
        return try GitStore.open(at: path, ownedFolders: StoreLayout.ownedFolders, options: options)
    }
}
