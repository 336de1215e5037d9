import ArgumentParser
import Directory
import Foundation
import SCIM

/// `scimgit syncs`: history as the runs of each identity provider.
struct SyncsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncs",
        abstract: "List the syncs: each client's runs of writes, newest first, with what each did.",
        discussion: """
        A sync is the writes of one client (one API token) with no pause longer than --gap \
        between two of them: an identity provider's push or scheduled run. Each line gives \
        its id, client, start and end, and what it did in words. Undo one with `scimgit \
        rollback --sync ID`. Rollbacks, reverts, schema changes and hand commits belong to \
        no sync.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Only syncs of this client (token name).") var client: String?
    @Option(help: "Only syncs that ended at or after this time (ISO 8601, a date, or HH:MM today, UTC).") var since: String?
    @Option(help: "The longest pause between two writes of one sync, in seconds.") var gap = Int(SyncFinder.defaultGap)
    @Flag(help: "Print JSON (one array of objects).") var json = false

    func validate() throws {
        if gap < 1 { throw ValidationError("--gap must be at least 1 second") }
    }

    func run() throws {
        let gitStore = try store.openForReading()
        defer { try? gitStore.close() }
        let syncs = try SyncFinder(store: gitStore, gap: TimeInterval(gap)).syncs(since: try since.map(TimeFormat.parse), client: client)
        if json {
            print(JSONValue.array(syncs.map(\.json)).serializedString(.canonical), terminator: "")
            return
        }
        guard !syncs.isEmpty else {
            print("No syncs\(client.map { " of \($0)" } ?? "")\(since.map { " since \($0)" } ?? "").")
            return
        }
        let width = syncs.map(\.client.count).max() ?? 0
        for sync in syncs {
            let client = sync.client.padding(toLength: width, withPad: " ", startingAt: 0)
            let writes = "\(sync.commits.count) write\(sync.commits.count == 1 ? "" : "s")"
            Console.say("\(sync.id)  \(client)  \(TimeFormat.show(sync.start)) – \(TimeFormat.show(sync.end))  \(writes): \(sync.counts.words)")
        }
    }
}
