import ArgumentParser
import Directory
import Foundation
import SCIM

/// `scimgit guard status`: whether the guard holds, why, and what to do about it.
struct GuardStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether the guard is holding, which client and sync tripped it, and how to review and release it.",
        discussion: """
        Reads what the server last recorded (.git/scimgit/guard.json), so it works whether \
        or not a server runs. Exits 0 when the guard is not holding, 3 when it is (for \
        monitoring scripts).
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "The longest pause (seconds) between two writes of one sync, as given to `scimgit syncs`.") var gap = Int(SyncFinder.defaultGap)
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if gap < 1 { throw ValidationError("--gap must be at least 1 second") }
    }

    func run() throws {
        let gitStore = try store.openForReading()
        defer { try? gitStore.close() }
        let report = try GuardReport(store: gitStore, gap: TimeInterval(gap))
        if json {
            print(GuardStatusCommand.json(report).serializedString(.canonical), terminator: "")
        } else {
            for line in GuardStatusCommand.lines(report, repo: store.repo) { Console.say(line) }
        }
        if report.isHolding { throw ExitCode(3) }
    }

    static func lines(_ report: GuardReport, repo: String) -> [String] {
        let repoOption = repo == "." ? "" : " --repo \(repo)"
        if let problem = report.problem {
            return [
                "HOLDING: the deprovisioning guard holds every deprovisioning write: \(problem).",
                "Check the recent syncs (scimgit syncs\(repoOption)), then: scimgit guard reset\(repoOption)",
            ]
        }
        guard let state = report.state else {
            return ["The deprovisioning guard has not run on this store yet (a `scimgit serve` with the guard on starts it)."]
        }
        var lines: [String] = []
        let setting = state.policy.flatMap { try? GuardPolicy.parse($0) }
        if let trip = state.trip {
            if let pending = report.pendingDecision {
                lines.append("Releasing: \(pending.by) ran `guard \(pending.action.rawValue)` at \(TimeFormat.show(pending.at)); the server takes it in at its next request (or start).")
            } else {
                lines.append("HOLDING since \(TimeFormat.show(trip.at)): deprovisioning writes are answered 503 and nothing of them is committed.")
            }
            if let reason = trip.reason {
                lines.append("Why: \(reason).")
            } else {
                lines.append("Tripped by \(trip.client): \(trip.count) deprovisioning writes within \(setting.map { GuardPolicy.format(duration: $0.window) } ?? "the window"), with \(trip.activeUsers) active users (guard: \(setting?.description ?? trip.policy)).")
            }
            let held = trip.held.sorted { $0.key < $1.key }.map { "\($0.value) of \($0.key)" }.joined(separator: ", ")
            if !held.isEmpty {
                lines.append("Held: \(held) (last at \(trip.lastHeld.map(TimeFormat.show) ?? "?")); the identity provider retries them.")
            }
            if let sync = report.sync {
                lines.append("The writes that landed: \(sync.id) of \(sync.client), \(TimeFormat.show(sync.start)) – \(TimeFormat.show(sync.end)): \(sync.counts.words).")
                lines.append("  Review:  scimgit diff --sync \(sync.id)\(repoOption)")
                lines.append("  Undo:    scimgit rollback --sync \(sync.id)\(repoOption)")
            }
            if report.pendingDecision == nil {
                lines.append("  Allow:   scimgit guard release\(repoOption)   (the held writes land when the identity provider retries)")
                lines.append("  Dismiss: scimgit guard reset\(repoOption)     (counting starts again from zero)")
            }
            return lines
        }
        let now = Date()
        if state.isReleased(at: now), let until = state.releasedUntil {
            lines.append("Released until \(TimeFormat.show(until))\(state.lastDecision.map { " by \($0.by)" } ?? ""): deprovisioning writes land; counting starts again then.")
        } else {
            let count = setting.map { state.count(within: $0.window, now: now) }
            lines.append("Watching: \(count.map(String.init) ?? "?") deprovisioning writes within the last \(setting.map { GuardPolicy.format(duration: $0.window) } ?? "window"); it trips at \(setting?.description ?? "its setting")\(state.activeUsers.map { " (\($0) active users)" } ?? "").")
        }
        if let decision = state.lastDecision {
            lines.append("Last decision: \(decision.action.rawValue) by \(decision.by) at \(TimeFormat.show(decision.at)).")
        }
        return lines
    }

    static func json(_ report: GuardReport) -> JSONValue {
        let format = ISO8601DateFormatter()
        var object: [String: JSONValue] = ["holding": .bool(report.isHolding)]
        if let problem = report.problem { object["problem"] = .string(problem) }
        if let state = report.state {
            object["setting"] = state.policy.map(JSONValue.string) ?? .null
            if let policy = state.policy.flatMap({ try? GuardPolicy.parse($0) }) {
                object["count"] = .int(Int64(state.count(within: policy.window, now: Date())))
            }
            if let active = state.activeUsers { object["activeUsers"] = .int(Int64(active)) }
            if let until = state.releasedUntil { object["releasedUntil"] = .string(format.string(from: until)) }
            if let trip = state.trip {
                var tripObject: [String: JSONValue] = [
                    "at": .string(format.string(from: trip.at)), "client": .string(trip.client),
                    "count": .int(Int64(trip.count)), "activeUsers": .int(Int64(trip.activeUsers)), "setting": .string(trip.policy),
                    "held": .object(trip.held.mapValues { .int(Int64($0)) }),
                ]
                if let reason = trip.reason { tripObject["reason"] = .string(reason) }
                object["trip"] = .object(tripObject)
            }
            if let decision = state.lastDecision { object["lastDecision"] = decisionJSON(decision, format) }
        }
        if let pending = report.pendingDecision { object["pendingDecision"] = decisionJSON(pending, format) }
        if let sync = report.sync { object["sync"] = sync.json }
        return .object(object)
    }

    private static func decisionJSON(_ decision: GuardDecision, _ format: ISO8601DateFormatter) -> JSONValue {
        var object: [String: JSONValue] = [
            "action": .string(decision.action.rawValue), "by": .string(decision.by), "at": .string(format.string(from: decision.at)),
        ]
        if let until = decision.until { object["until"] = .string(format.string(from: until)) }
        return .object(object)
    }
}
