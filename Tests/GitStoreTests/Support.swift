import Foundation
import GitStore
import Testing
@_exported import TestSupport

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

let client = Signature(name: "okta", email: "okta@scimgit")

/// A store with a README, as `scimgit init` makes it, in a temp folder, opened as the
/// server opens it (owning the working tree) unless `options` say otherwise.
func makeStore(_ folder: TemporaryFolder, options: GitStoreOptions = GitStoreOptions(servesWorkingTree: true)) throws -> GitStore {
    try GitStore.create(
        at: folder.path + "/store", initialFiles: ["README.md": bytes("# test store\n")],
        message: "Initialize store", options: options
    )
}

extension GitStoreOptions {
    /// As the server opens a store: owning its working tree.
    static func serving(
        durability: Durability = .durable, lockTimeout: Duration = .seconds(5), indexFlushDelay: Duration = .milliseconds(500),
        repackThreshold: Int = 32, faultInjector: (@Sendable (WriteStep) throws -> Void)? = nil
    ) -> GitStoreOptions {
        GitStoreOptions(
            durability: durability, lockTimeout: lockTimeout, indexFlushDelay: indexFlushDelay, repackThreshold: repackThreshold,
            servesWorkingTree: true, faultInjector: faultInjector)
    }
}

