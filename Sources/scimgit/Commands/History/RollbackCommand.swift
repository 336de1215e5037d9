import ArgumentParser
import Directory
import Foundation
import GitStore
import SCIM

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

        With --sync ID (from `scimgit syncs`) it undoes exactly one sync's writes instead, \
        keeping what other clients changed since; a resource changed again later is a \
        conflict, named, and nothing is changed.

        Without --yes it asks on a terminal, and refuses (exit 2) when there is none.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "The state to return to: a snapshot name, a commit, HEAD~N, or an ISO 8601 time.") var to: String?
    @Option(help: ArgumentHelp("Instead of --to: undo exactly the writes of one sync (an id from `scimgit syncs`), keeping every later change of other clients, with revert's conflict rules.", valueName: "ID"))
    var sync: String?
    @Option(help: "With --sync: the longest pause (seconds) between two writes of one sync, as given to `scimgit syncs`.") var gap = Int(SyncFinder.defaultGap)
    @Flag(help: "Print what would change, change nothing.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Print JSON (one object: subject, changes, committed); with --yes or --dry-run.") var json = false

    func validate() throws {
        if (to == nil) == (sync == nil) { throw ValidationError("give --to REV or --sync ID") }
        if gap < 1 { throw ValidationError("--gap must be at least 1 second") }
    }

    func run() throws {
        if let sync { return try rollBack(sync: sync) }
        let to = self.to!
        let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "rollback")
        defer { try? gitStore.close() }
        let rollback = Rollback(store: gitStore)
        let plan: Rollback.Plan
        do {
            plan = try rollback.plan(to: to)
        } catch let error as GitStoreError {
            throw CLIError("cannot roll back to '\(to)': \(error)")
        }
        if json { return try finishAsJSON(plan, rollback, gitStore) }
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

    /// `--sync ID`: a revert of the sync's commits, named after the sync.
    private func rollBack(sync id: String) throws {
        let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "rollback")
        defer { try? gitStore.close() }
        guard let sync = try SyncFinder(store: gitStore, gap: TimeInterval(gap)).sync(id: id) else {
            throw CLIError("no sync \(id) in this store (see scimgit syncs)")
        }
        let revert = Revert(store: gitStore)
        var plan: Revert.Plan
        do {
            plan = try revert.plan(sync.commits.map(\.id.hex))
        } catch let conflict as Revert.Conflict {
            throw CLIError(conflict.description)
        } catch let error as GitStoreError {
            throw CLIError("cannot roll back \(sync.id): \(error)")
        }
        plan.subject = "Roll back \(sync.id) of \(sync.client) (\(sync.counts.words))"
        try RevertRun.finish(
            plan, with: revert, store: gitStore,
            header: ["\(sync.commits.count) writes, \(TimeFormat.show(sync.start)) to \(TimeFormat.show(sync.end))"],
            nothingToDo: "Its writes changed nothing that is still there: nothing to do.",
            question: "Apply this rollback?", dryRun: dryRun, yes: yes, json: json)
    }

    /// `--to … --json`: `{"subject", "diff", "dryRun", "committed"}`, `diff` as `scimgit diff --json` prints it.
    private func finishAsJSON(_ plan: Rollback.Plan, _ rollback: Rollback, _ gitStore: GitStore) throws {
        try RevertRun.printJSON(["subject": .string(plan.subject), "diff": plan.diff.json], changes: !plan.diff.isEmpty, store: gitStore, dryRun: dryRun, yes: yes) {
            try rollback.apply(plan, by: CLIIdentity())
        }
    }
}
