import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit guard reset`: stop holding and count from zero, as one commit.
struct GuardResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Clear the guard's count (and stop holding): the deprovisioning it counted was expected.",
        discussion: """
        Unlike release, the guard keeps watching: held writes land when retried, until the \
        count trips it again. Use it after a planned clean-up, or when the guard holds \
        because its state file was lost. A commit of Guard/decision.json authored by you \
        (SCIMGIT_AUTHOR or your login).
        """
    )

    @OptionGroup var store: StoreOptions
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() throws {
        let gitStore = try store.openForWriting(command: "guard reset")
        defer { try? gitStore.close() }
        let report = try GuardReport(store: gitStore)
        let held = report.state?.trip?.held.values.reduce(0, +) ?? 0
        Console.say(report.isHolding ? "The guard is holding (\(held) writes held so far)." : "The guard is not holding; this clears its count.")
        try Confirmation.confirm("Reset the deprovisioning guard?", yes: yes)
        let identity = CLIIdentity()
        let decision = GuardDecision(action: .reset, by: identity.name)
        var lines: [String] = []
        if let trip = report.state?.trip {
            lines.append(trip.reason.map { "held because \($0)" } ?? "tripped by \(trip.client) at \(TimeFormat.show(trip.at)): \(trip.count) deprovisioning writes, \(trip.activeUsers) active users")
            lines.append("writes held: \(held)")
        }
        do {
            let commit = try GuardDecisions(store: gitStore).commit(decision, subject: "Reset the deprovisioning guard", lines: lines, by: identity)
            Console.say("Committed \(commit?.short ?? "?"): the guard counts again from zero.")
            WorkingTreeWait.report(gitStore)
        } catch let error as GitStoreError {
            throw CLIError("\(error)")
        }
    }
}
