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
    @Argument(help: "The earlier state.") var from: String?
    @Argument(help: "The later state (default: HEAD).") var to: String = "HEAD"
    @Option(help: ArgumentHelp("Instead of FROM and TO: what one sync (an id from `scimgit syncs`) changed, from just before its first write to its last.", valueName: "ID"))
    var sync: String?
    @Option(help: "With --sync: the longest pause (seconds) between two writes of one sync, as given to `scimgit syncs`.") var gap = Int(SyncFinder.defaultGap)
    @Flag(help: "Print JSON: {from, to, changes: [{resourceType, id, name, change, attributes, membersAdded, membersRemoved}], schemas}.")
    var json = false

    func validate() throws {
        if (from == nil) == (sync == nil) { throw ValidationError("give FROM [TO] or --sync ID") }
        if gap < 1 { throw ValidationError("--gap must be at least 1 second") }
    }

    func run() throws {
        let gitStore = try store.openForReading()
        defer { try? gitStore.close() }
        var old: ObjectID?
        var new: ObjectID
        var others = 0
        if let sync {
            guard let found = try SyncFinder(store: gitStore, gap: TimeInterval(gap)).sync(id: sync),
                  let first = found.commits.first, let last = found.commits.last else {
                throw CLIError("no sync \(sync) in this store (see scimgit syncs)")
            }
            old = try gitStore.commitInfo(first.id).parents.first
            new = last.id
            // Writes of other clients in between are part of the span shown: say how many.
            let own = Set(found.commits.map(\.id))
            try gitStore.log(from: last.id) { info in
                if info.id == first.id { return false }
                if !own.contains(info.id) { others += 1 }
                return true
            }
        } else {
            old = try resolve(from!, gitStore)
            new = try resolve(to, gitStore)
        }
        let diff = try HistoryDiff(store: gitStore).diff(from: old, to: new)
        if json {
            var object = diff.json.objectValue ?? [:]
            if sync != nil { object["otherWrites"] = .int(Int64(others)) }
            print(JSONValue.object(object).serializedString(.canonical), terminator: "")
        } else {
            if others > 0 {
                Console.say("(\(others) write\(others == 1 ? "" : "s") of other clients fell within this sync and \(others == 1 ? "is" : "are") included below)")
            }
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
