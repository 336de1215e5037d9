import ArgumentParser
import Directory
import Foundation
import GitStore
import SCIM

/// `scimgit log`: what happened, newest first, in SCIM terms.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the store's history: one line per commit, newest first.",
        discussion: """
        Each line: short commit id, time (UTC), the SCIM client that sent the write (the API \
        token's name), and what happened ("Deactivate user ada@example.com"). Names and values \
        clients sent are shown with control and bidi characters escaped.

        Combine with revert, e.g. to undo what Okta sent between 10:05 and 10:20:
          scimgit revert $(scimgit log --since 10:05 --until 10:20 \\
            --client okta --format sha)
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .short, help: "Show at most N commits.") var n: Int?
    @Option(help: "Only commits at or after this time (ISO 8601, a date, or HH:MM today, UTC).") var since: String?
    @Option(help: "Only commits at or before this time.") var until: String?
    @Option(help: "Only commits touching this resource: an id, a userName or a group displayName.") var resource: String?
    @Option(help: "Only commits sent by this client (token name).") var client: String?
    @Flag(help: "Print JSON (one array of objects).") var json = false
    @Option(help: "Output format: 'sha' prints full commit ids only, for scripts.") var format: String?

    func validate() throws {
        if let format, format != "sha" { throw ValidationError("--format takes 'sha'") }
        if json && format != nil { throw ValidationError("choose --json or --format sha") }
    }

    func run() throws {
        let gitStore = try store.openForReading()
        let log = HistoryLog(store: gitStore)
        var query = HistoryLog.Query(limit: n, client: client)
        query.since = try since.map(TimeFormat.parse)
        query.until = try until.map(TimeFormat.parse)
        if let resource {
            guard let paths = try log.paths(forResource: resource) else {
                throw CLIError("no user or group named '\(resource)' in this store or its history")
            }
            query.paths = paths
        }
        let entries = try log.entries(query)
        if format == "sha" {
            for entry in entries { print(entry.id.hex) }
        } else if json {
            let array = JSONValue.array(entries.map { entry in
                var object: [String: JSONValue] = [
                    "commit": .string(entry.id.hex), "time": .string(ISO8601DateFormatter().string(from: entry.time)),
                    "client": .string(entry.client), "subject": .string(entry.subject),
                ]
                if let operation = entry.operation { object["operation"] = .string(operation) }
                if let resource = entry.resource { object["resource"] = .string(resource) }
                return .object(object)
            })
            print(array.serializedString(.canonical), terminator: "")
        } else {
            let width = entries.map(\.client.count).max() ?? 0
            for entry in entries {
                let client = entry.client.padding(toLength: width, withPad: " ", startingAt: 0)
                Console.say("\(entry.id.short)  \(TimeFormat.show(entry.time))  \(client)  \(entry.subject)")
            }
        }
    }
}
