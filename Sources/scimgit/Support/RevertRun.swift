import Directory
import GitStore

/// The second half of `revert` and `rollback --sync`: show what the plan changes, ask,
/// commit, and wait for a running server — one way for both.
enum RevertRun {
    static func finish(
        _ plan: Revert.Plan, with revert: Revert, store: GitStore, header: [String], nothingToDo: String,
        question: String, dryRun: Bool, yes: Bool
    ) throws {
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
}
