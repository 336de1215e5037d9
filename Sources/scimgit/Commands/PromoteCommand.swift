import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit promote`: the failover step — a read replica becomes a primary.
struct PromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make a read replica a primary: it stops following and takes writes.",
        discussion: """
        The failover step. In order:
          1. Make sure the old primary takes no more writes (stop it, or send it no traffic).
          2. scimgit promote --repo DIR   (a running replica takes writes within seconds)
          3. Point the identity providers' Base URL (DNS or the proxy) at this server.
          4. Remove --replica-of from its service, and give it a --mirror to a new, empty remote.
          5. Never start the old primary as a primary again: rebuild it as a replica of this one.
        Writes the old primary acknowledged but had not pushed yet (its mirror lag) are not here.
        """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let gitStore = try GitStore.open(at: store.path, options: GitStoreOptions(processName: "scimgit promote", logger: CLILogging.logger))
        defer { try? gitStore.close() }
        guard let source = try gitStore.configString(StoreFollower.configKey) else {
            if try gitStore.configFlag(StoreFollower.promotedKey) == true {
                print("\(store.path) is already a primary (promoted before); nothing to do.")
                return
            }
            throw CLIError("\(store.path) is not a read replica (it was not served with --replica-of): nothing to promote")
        }
        // Under the writer lock: a replica's follower moves HEAD only while the key is set,
        // checked under the same lock, so nothing is followed after this.
        try gitStore.write { _ in
            try gitStore.setConfigString(StoreFollower.configKey, nil)
            try gitStore.setConfigFlag(StoreFollower.promotedKey, true)
        }
        print("""
        Promoted \(store.path) at \(gitStore.head?.short ?? "an empty history"): it no longer follows \(RemoteAccess.redacted(source)).
        A server running on it takes writes within a few seconds.
        Next: point the identity providers at this server, remove --replica-of from its service, and add a --mirror to a new, empty remote.
        """)
    }
}
