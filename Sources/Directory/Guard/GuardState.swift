import Files
import Foundation

/// What the deprovisioning guard keeps between starts, in `.git/scimgit/guard.json`
/// (outside history: a count changes with every deprovisioning write). Only the server
/// writes it; `scimgit guard status` reads it. Admins' decisions are commits instead
/// (`GuardDecision`), so history says who let a mass change through.
public struct GuardState: Codable, Sendable, Equatable {
    public var version = 1
    /// Deprovisioning writes counted per minute (seconds since 1970 / 60 → count).
    public var minutes: [Int64: Int] = [:]
    /// Of them, users deactivated or deleted (see `DeprovisioningCount.users`).
    public var userMinutes: [Int64: Int] = [:]
    /// Writes before this are not counted (the end of a release, the time of a reset).
    public var countFrom: Date?
    /// Until then deprovisioning writes are let through (still counted).
    public var releasedUntil: Date?
    public var trip: Trip?
    /// The id of the last `Guard/decision.json` taken in.
    public var appliedDecision: String?
    /// That decision, for `guard status`.
    public var lastDecision: GuardDecision?
    /// The setting the server last ran with, and the active users it last counted.
    public var policy: String?
    public var activeUsers: Int?

    /// Why and since when deprovisioning writes are held.
    public struct Trip: Codable, Sendable, Equatable {
        public var at: Date
        /// The client whose write tripped it; empty when the state itself was lost.
        public var client: String
        /// Deprovisioning writes within the window, the tripping one included.
        public var count: Int
        public var activeUsers: Int
        public var policy: String
        /// Set when the guard holds because its state file was missing or unreadable.
        public var reason: String?
        /// client → deprovisioning writes held since the trip.
        public var held: [String: Int] = [:]
        public var lastHeld: Date?
    }

    public init() {}

    static let fileName = "guard.json"

    public static func path(gitDirectory: String) -> String {
        MetadataPaths(gitDirectory: gitDirectory).guardState
    }

    /// Deprovisioning writes counted within `window` before `now`.
    public func count(within window: TimeInterval, now: Date) -> Int {
        GuardState.sum(minutes, from: firstMinute(within: window, now: now))
    }

    /// Users deactivated or deleted within `window` before `now`.
    public func users(within window: TimeInterval, now: Date) -> Int {
        GuardState.sum(userMinutes, from: firstMinute(within: window, now: now))
    }

    mutating func add(_ count: Int, users: Int = 0, at now: Date, window: TimeInterval) {
        let minute = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
        minutes[minute, default: 0] += count
        if users > 0 { userMinutes[minute, default: 0] += users }
        let oldest = Int64(((now.timeIntervalSince1970 - window) / 60).rounded(.down)) - 1
        minutes = minutes.filter { $0.key >= oldest }
        userMinutes = userMinutes.filter { $0.key >= oldest }
    }

    /// A minute counts while any of it is inside the window (the count errs towards holding).
    private func firstMinute(within window: TimeInterval, now: Date) -> Int64 {
        var from = now.timeIntervalSince1970 - window
        if let countFrom { from = max(from, countFrom.timeIntervalSince1970) }
        return Int64((from / 60).rounded(.down))
    }

    private static func sum(_ minutes: [Int64: Int], from first: Int64) -> Int {
        minutes.reduce(0) { $0 + ($1.key >= first ? $1.value : 0) }
    }

    public func isReleased(at now: Date) -> Bool {
        releasedUntil.map { now < $0 } ?? false
    }

    // MARK: - The file

    /// Reads the file: nil when there is none; throws when it cannot be read or parsed.
    public static func load(from path: String) throws -> GuardState? {
        guard let bytes = try AtomicFile.read(path) else { return nil }
        return try decoder.decode(GuardState.self, from: Data(bytes))
    }

    func save(to path: String, durable: Bool) throws {
        try AtomicFile.write(Array(try GuardState.encoder.encode(self)), to: path, mode: 0o600, durable: durable)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
