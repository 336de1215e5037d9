import ArgumentParser
import Directory
import Foundation
import GitStore

/// `scimgit guard release`: let the held deprovisioning through, as one commit.
struct GuardReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Let the held deprovisioning writes through when the identity provider retries them.",
        discussion: """
        For --for (default 1h) deprovisioning writes land without being held; then the \
        guard counts again from zero. Okta retries a held write with doubling waits (the \
        first after a minute), Entra at its next cycle. The release is a commit of \
        Guard/decision.json authored by you (SCIMGIT_AUTHOR or your login); a running server \
        takes it in within a second, a stopped one when it starts.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("for"), help: ArgumentHelp("How long deprovisioning writes are let through: 30m, 1h, 2h…", valueName: "DURATION"))
    var duration = "1h"
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func validate() throws {
        guard let seconds = GuardPolicy.duration(duration.lowercased()), seconds >= 60, seconds <= 7 * 86_400 else {
            throw ValidationError("--for takes a duration between 1m and 7d, e.g. 30m or 2h, not '\(duration)'")
        }
    }

    func run() throws {
        let seconds = GuardPolicy.duration(duration.lowercased())!
        let gitStore = try store.openForWriting(command: "guard release")
        defer { try? gitStore.close() }
        let report = try GuardReport(store: gitStore)
        let held = report.state?.trip?.held.values.reduce(0, +) ?? 0
        let what = report.isHolding
            ? "The guard is holding\(report.state?.trip.map { $0.client.isEmpty ? "" : " writes of \($0.client)" } ?? "") (\(held) held so far)."
            : "The guard is not holding; this lets deprovisioning writes through without counting them."
        Console.say(what)
        if let sync = report.sync { Console.say("Review first: scimgit diff --sync \(sync.id)") }
        try Confirmation.confirm("Let deprovisioning writes through for \(GuardPolicy.format(duration: seconds))?", yes: yes)
        let identity = CLIIdentity()
        let now = Date()
        let decision = GuardDecision(action: .release, by: identity.name, at: now, until: now.addingTimeInterval(seconds))
        var lines = ["until: \(TimeFormat.show(decision.until!))"]
        if let trip = report.state?.trip {
            lines.append(trip.reason.map { "held because \($0)" } ?? "tripped by \(trip.client) at \(TimeFormat.show(trip.at)): \(trip.count) deprovisioning writes, \(trip.activeUsers) active users")
            lines.append("writes held: \(held)")
        }
        if let sync = report.sync { lines.append("sync: \(sync.id) (\(sync.counts.words))") }
        do {
            let commit = try GuardDecisions(store: gitStore).commit(
                decision, subject: "Release the deprovisioning guard for \(GuardPolicy.format(duration: seconds))", lines: lines, by: identity)
            Console.say("Committed \(commit?.short ?? "?"): deprovisioning writes land until \(TimeFormat.show(decision.until!)), when the identity provider retries them.")
            WorkingTreeWait.report(gitStore)
        } catch let error as GitStoreError {
            throw CLIError("\(error)")
        }
    }
}
