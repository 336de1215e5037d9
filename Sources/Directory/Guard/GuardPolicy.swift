import Foundation

/// When the deprovisioning guard trips: within `window`, the deprovisioning writes of a
/// store reach `minimum` and are more than `percent` of its active users (either may be
/// left out; one of them must be given). Written `10%,25,1h` on the command line.
public struct GuardPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Share of the active users, 0 < percent ≤ 100.
    public var percent: Double?
    /// Fewest deprovisioning writes that trip, at least 1.
    public var minimum: Int?
    /// How far back writes are counted, in seconds (a minute at least, a week at most).
    public var window: TimeInterval

    /// More than 10% of the active users and at least 25 in an hour. The floor keeps small
    /// stores usable (ten leavers of a 40-person company is a normal week, not a bad
    /// sync); the share scales the guard to large ones, where 25 deactivations in an hour
    /// happen on an ordinary Monday but 10% of the company does not. Entra's own
    /// accidental-deletion threshold defaults to 500 objects per sync; a receiving
    /// server sees one store, so it can afford a tighter, proportional setting.
    public static let standard = GuardPolicy(percent: 10, minimum: 25, window: 3600)

    public init(percent: Double?, minimum: Int?, window: TimeInterval) {
        self.percent = percent
        self.minimum = minimum
        self.window = window
    }

    /// Whether `count` deprovisioning writes within the window trip the guard on a store
    /// of `activeUsers`.
    public func trips(count: Int, activeUsers: Int) -> Bool {
        if let minimum, count < minimum { return false }
        if let percent, Double(count) * 100 <= percent * Double(max(activeUsers, 0)) { return false }
        return true
    }

    /// `more than 10% of active users and at least 25 within 1h`.
    public var description: String {
        var parts: [String] = []
        if let percent { parts.append("more than \(GuardPolicy.format(percent))% of active users") }
        if let minimum { parts.append("at least \(minimum)") }
        return parts.joined(separator: " and ") + " within \(GuardPolicy.format(duration: window))"
    }

    /// The spec form, as `--guard` takes it: `10%,25,1h`.
    public var spec: String {
        var parts: [String] = []
        if let percent { parts.append("\(GuardPolicy.format(percent))%") }
        if let minimum { parts.append(String(minimum)) }
        parts.append(GuardPolicy.format(duration: window))
        return parts.joined(separator: ",")
    }

    /// Parses `--guard`: comma-separated parts in any order, `N%` (a share of the active
    /// users), `N` (a count), and a window (`30m`, `1h`, `2h`; one hour when left out).
    /// `off` is nil. A setting that makes no sense is refused with the reason.
    public static func parse(_ text: String) throws(GuardPolicyError) -> GuardPolicy? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["off", "none", "no", "false"].contains(trimmed) { return nil }
        var percent: Double?
        var minimum: Int?
        var window: TimeInterval?
        let example = "e.g. --guard 10%,25,1h (more than 10% of active users and at least 25 within an hour), --guard 50,30m, or --guard off"
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part.hasSuffix("%") {
                guard percent == nil else { throw GuardPolicyError("'\(text)' gives a percentage twice; \(example)") }
                guard let value = Double(part.dropLast()), value.isFinite else { throw GuardPolicyError("'\(part)' is not a percentage; \(example)") }
                guard value > 0, value <= 100 else { throw GuardPolicyError("the guard's percentage must be above 0% and at most 100% of active users, not \(part)") }
                percent = value
            } else if let count = Int(part) {
                guard minimum == nil else { throw GuardPolicyError("'\(text)' gives a count twice; \(example)") }
                guard count >= 1 else { throw GuardPolicyError("the guard's count must be at least 1 deprovisioning write, not \(part)") }
                minimum = count
            } else if let seconds = duration(part) {
                guard window == nil else { throw GuardPolicyError("'\(text)' gives a window twice; \(example)") }
                guard seconds >= 60, seconds <= 7 * 86_400 else { throw GuardPolicyError("the guard's window must be between 1m and 7d, not \(part)") }
                window = seconds
            } else if part.hasPrefix("-") {
                throw GuardPolicyError("the guard's settings cannot be negative ('\(part)'); \(example)")
            } else {
                throw GuardPolicyError("'\(part)' is not a percentage, a count or a window; \(example)")
            }
        }
        guard percent != nil || minimum != nil else { throw GuardPolicyError("'\(text)' gives neither a percentage nor a count; \(example)") }
        return GuardPolicy(percent: percent, minimum: minimum, window: window ?? 3600)
    }

    /// `90s`, `30m`, `1h`, `2d` (a bare number is a count, not a duration).
    public static func duration(_ text: String) -> TimeInterval? {
        let units: [(String, TimeInterval)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value.isFinite else { return nil }
            return value * factor
        }
        return nil
    }

    public static func format(duration seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }

    static func format(_ percent: Double) -> String {
        percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }
}

/// A `--guard` setting that makes no sense, with the reason.
public struct GuardPolicyError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
