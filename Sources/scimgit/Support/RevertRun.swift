import Directory
import GitStore
import SCIM

/// The second half of `revert` and `rollback --sync`: show what the plan changes, ask,
/// commit, and wait for a running server — one way for both.
enum RevertRun {
    static func finish(
        _ plan: Revert.Plan, with revert: Revert, store: GitStore, header: [String], nothingToDo: String,
        question: String, dryRun: Bool, yes: Bool, json: Bool = false
    ) throws {
        if json { return try finishAsJSON(plan, with: revert, store: store, dryRun: dryRun, yes: yes) }
        Console.say(plan.subject)
        for line in header { Console.say("  " + line) }
        if plan.changes.isEmpty { Console.say(nothingToDo); return }
        Console.say()
        for line in plan.lines { Console.say("  " + line) }
        if dryRun { Console.say("\n(dry run: nothing changed)"); return }
        try Confirmation.confirm(question, yes: yes)
        do {
            if let commit = try revert.apply(plan, by: CLIIdentity()) {
                Console.say("\nCommitted \(commit.short): \(plan.subject)")
                WorkingTreeWait.report(store)
            }
        } catch let error as GitStoreError {
            throw CLIError("\(error)")
        }
    }

    /// `--json`: one object, `{"subject", "commits", "changes", "dryRun", "committed"}`.
    private static func finishAsJSON(_ plan: Revert.Plan, with revert: Revert, store: GitStore, dryRun: Bool, yes: Bool) throws {
        try printJSON(
            ["subject": .string(plan.subject), "commits": .array(plan.commits.map { .string($0.id.hex) }), "changes": .array(plan.lines.map(JSONValue.string))],
            changes: !plan.changes.isEmpty, store: store, dryRun: dryRun, yes: yes) { try revert.apply(plan, by: CLIIdentity()) }
    }

    /// The `--json` end of a history command that commits: asks nothing (without --yes or
    /// --dry-run it refuses, as a script must say it means it), applies, waits for a running
    /// server, then prints `fields` with `dryRun` and `committed` (null when nothing was).
    static func printJSON(
        _ fields: [String: JSONValue], changes: Bool, store: GitStore, dryRun: Bool, yes: Bool, apply: () throws -> ObjectID?
    ) throws {
        var committed: ObjectID?
        if changes && !dryRun {
            try Confirmation.confirm("", yes: yes)
            do {
                committed = try apply()
            } catch let error as GitStoreError {
                throw CLIError("\(error)")
            }
            if committed != nil { _ = store.waitForWorkingTree(timeout: .seconds(10)) }
        }
        var object = fields
        object["dryRun"] = .bool(dryRun)
        object["committed"] = committed.map { .string($0.hex) } ?? .null
        print(JSONValue.object(object).serializedString(.canonical), terminator: "")
    }
}
