import Foundation
import GitStore

/// An admin's decision about the guard: `Guard/decision.json`, committed by `scimgit guard
/// release` or `guard reset` with the admin as author, so `git log Guard/` says who let a
/// mass deprovisioning through and when. A running server takes it in as it takes any
/// moved HEAD; a stopped one at its next start. Rollbacks and reverts leave it alone.
public struct GuardDecision: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        /// Let deprovisioning writes through until `until`; counting starts again then.
        case release
        /// Stop holding and start counting again from zero.
        case reset
    }

    /// Unique per decision: a server takes each in once.
    public var id: String
    public var action: Action
    public var by: String
    public var at: Date
    public var until: Date?

    public init(action: Action, by: String, at: Date = Date(), until: Date? = nil) {
        id = UUID().uuidString.lowercased()
        self.action = action
        self.by = by
        self.at = at
        self.until = until
    }

    public static let folder = "Guard"
    public static let path = "Guard/decision.json"

    static func isDecisionPath(_ path: String) -> Bool { path == GuardDecision.path }

    /// The decision at `commit`; nil when none was ever made. Throws when the file is not
    /// one (edited by hand): the guard then keeps holding.
    public static func load(from store: GitStore, at commit: ObjectID?) throws -> GuardDecision? {
        guard let commit, let bytes = try store.read(path, at: commit) else { return nil }
        return try GuardState.decoder.decode(GuardDecision.self, from: Data(bytes))
    }

    var bytes: [UInt8] { Array((try? GuardState.encoder.encode(self)) ?? Data()) + [10] }
}
