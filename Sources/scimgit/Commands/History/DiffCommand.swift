import ArgumentParser
import Directory
import Foundation
import GitStore
import SCIM

/// `scimgit diff FROM [TO]`: what changed between two states, resource by resource.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two states of the store, by user and group.",
        discussion: """
        FROM and TO are any git revision (a commit id, HEAD~3, a branch), a snapshot name, or an \
        ISO 8601 time meaning "the last commit at or before then". TO defaults to HEAD.

        Users come first, then groups, named by userName or displayName: "+" added, "-" \
        removed, "~" modified with one line per attribute (path: before → after), and \
        memberships as "+ member ada@example.com". A stored version that is not a valid \
        resource (a hand edit) is shown as "!" with the file it is in.
        """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The earlier state.") var from: String
    @Argument(help: "The later state (default: HEAD).") var to: String = "HEAD"
    @Flag(help: "Print JSON: {from, to, changes: [{resourceType, id, name, change, attributes, membersAdded, membersRemoved}]}.")
    var json = false

    func run() throws {
        let gitStore = try store.openForReading()
        let old = try resolve(from, gitStore)
        let new = try resolve(to, gitStore)
        let diff = try HistoryDiff(store: gitStore).diff(from: old, to: new)
        if json {
            print(diff.json.serializedString(.canonical), terminator: "")
        } else {
            Console.say(DiffFormatter.text(diff), terminator: "")
        }
    }

    private func resolve(_ revision: String, _ store: GitStore) throws -> ObjectID {
        do {
            return try store.resolve(revision)
        } catch {
            throw CLIError("unknown revision '\(revision)': give a commit id, a snapshot name, HEAD~N, or a time")
        }
    }
}
