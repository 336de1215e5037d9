import ArgumentParser
import Directory
import Foundation
import GitStore
import SCIMServer

/// `--repo DIR`, shared by every command that works on a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store (a scimgit git repository).")
    var repo: String = "."

    var path: String { URL(fileURLWithPath: repo).standardizedFileURL.path }

    /// Opens the store to write (takes its lock per write, like the server does). While a
    /// server runs, the command's writes only add commits; the server updates the working
    /// tree. `command` names this process to a server waiting for the store.
    func openForWriting(command: String) throws -> GitStore {
        try ensureStore()
        var options = GitStoreOptions(processName: "scimgit \(command)", logger: CLILogging.logger)
        options.faultInjector = TestHooks.pauseInjector()
        let store = try StoreSetup.open(at: path, options: options)
        // A replica's history is the primary's: a commit here would make them diverge.
        if let source = try store.configString(StoreFollower.configKey) {
            try? store.close()
            throw CLIError("\(path) is a read replica of \(RemoteAccess.redacted(source)): make this change on the primary (or `scimgit promote --repo \(repo)` first)")
        }
        return store
    }

    /// Opens the store to read only: no repair, no lock, nothing written.
    func openForReading() throws -> GitStore {
        try ensureStore()
        return try GitStore.open(at: path, options: GitStoreOptions(readOnly: true, logger: CLILogging.logger))
    }

    /// The API tokens of the store (`.git/scimgit/tokens.json`, never in the working tree).
    func tokenStore() throws -> TokenStore {
        try ensureStore()
        return TokenStore(path: TokenStore.path(forStore: path))
    }

    /// The admin tokens of the store (console sign-in; `.git/scimgit/admin-tokens.json`).
    func adminTokenStore() throws -> TokenStore {
        try ensureStore()
        return TokenStore(path: TokenStore.adminPath(forStore: path))
    }

    private func ensureStore() throws {
        guard FileManager.default.fileExists(atPath: path + "/.git") else {
            throw CLIError("\(path) is not a scimgit store (no .git); create one with `scimgit init \(repo)`")
        }
    }
}
