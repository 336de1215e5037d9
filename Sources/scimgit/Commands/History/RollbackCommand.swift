import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit rollback --to REV`: make users and groups equal a past state, as one commit.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Restore every user and group to a past state, as one new commit.",
        discussion: """
        History is never rewritten: the bad sync stays in the log, followed by the rollback. \
        Prints the changes it applies.

        Safe while the server runs: it takes the store's writer lock, adds its commit, and the \
        server brings its working tree and indexes to it within a second (the command waits \
        for that). Killed part-way, it leaves at most that commit, which the server follows.

        Without --yes it asks on a terminal, and refuses (exit 2) when there is none.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "The state to return to: a snapshot name, a commit, HEAD~N, or an ISO 8601 time.") var to: String
    @Flag(help: "Print what would change, change nothing.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() throws {
        let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "rollback")
        defer { try? gitStore.close() }
        let rollback = Rollback(store: gitStore)
        let plan: Rollback.Plan
        do {
            plan = try rollback.plan(to: to)
        } catch let error as GitStoreError {
            throw CLIError("cannot roll back to '\(to)': \(error)")
        }
        if plan.diff.isEmpty {
            Console.say("Users and groups already equal \(plan.label): nothing to do.")
            return
        }
        Console.say(plan.subject)
        Console.say()
        Console.say(DiffFormatter.text(plan.diff), terminator: "")
        if dryRun { Console.say("\n(dry run: nothing changed)"); return }
        try Confirmation.confirm("Apply this rollback?", yes: yes)
        do {
            if let commit = try rollback.apply(plan, by: CLIIdentity()) {
                Console.say("\nCommitted \(commit.short): \(plan.subject)")
                WorkingTreeWait.report(gitStore)
            }
        } catch let error as GitStoreError {
            throw CLIError("\(error)")
        }
    }
}
