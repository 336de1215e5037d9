import Foundation
import GitStore
import Testing
@_exported import TestSupport

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

let client = Signature(name: "okta", email: "okta@scimgit")

/// A store with a README, as `scimgit init` makes it, in a temp folder.
func makeStore(_ folder: TemporaryFolder, options: GitStoreOptions = GitStoreOptions()) throws -> GitStore {
    try GitStore.create(
        at: folder.path + "/store", initialFiles: ["README.md": bytes("# test store\n")],
        message: "Initialize store", options: options
    )
}

