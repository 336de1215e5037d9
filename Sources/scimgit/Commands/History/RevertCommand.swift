import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit revert COMMIT…`: undo chosen commits, keep everything else.
struct RevertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Undo chosen commits as one new commit, keeping every later unrelated change.",
        discussion: """
        For example, undo what Okta sent between 10:05 and 10:20:
          scimgit revert $(scimgit log --since 10:05 --until 10:20 \\
            --client okta --format sha)

        If a later commit touched one of the same users or groups, nothing is changed and the \
        conflicting resources are named. Safe while the server runs, as rollback is. Without \
        --yes it asks on a terminal, and refuses (exit 2) when there is none.
        """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The commits to undo.") var commits: [String]
    @Flag(help: "Print what would change, change nothing.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Print JSON (one object: subject, changes, committed); with --yes or --dry-run.") var json = false

    func validate() throws {
        if commits.isEmpty { throw ValidationError("name at least one commit to revert") }
    }

    func run() throws {
        let gitStore = dryRun ? try store.openForReading() : try store.openForWriting(command: "revert")
        defer { try? gitStore.close() }
        let revert = Revert(store: gitStore)
        let plan: Revert.Plan
        do {
            plan = try revert.plan(commits)
        } catch let conflict as Revert.Conflict {
            throw CLIError(conflict.description)
        } catch let error as GitStoreError {
            throw CLIError("cannot revert: \(error)")
        }
        try RevertRun.finish(
            plan, with: revert, store: gitStore, header: plan.commits.map { "reverts \($0.id.short) \($0.subject)" },
            nothingToDo: "These commits changed nothing that is still there: nothing to do.",
            question: "Apply this revert?", dryRun: dryRun, yes: yes, json: json)
    }
}
