import Foundation
import GitStore

/// What `scimgit guard status` says: the state the server last wrote, a decision committed
/// since that it has not taken in yet, and the sync whose writes landed before the trip.
public struct GuardReport: Sendable {
    /// Nil: no server with the guard on has opened the store yet.
    public var state: GuardState?
    /// Set when the state file exists but cannot be read (the server then holds).
    public var problem: String?
    /// The decision at HEAD when the server has not taken it in yet.
    public var pendingDecision: GuardDecision?
    /// The tripping client's sync that was running when the guard tripped.
    public var sync: Sync?

    public init(store: GitStore, gap: TimeInterval = SyncFinder.defaultGap) throws {
        do {
            state = try GuardState.load(from: GuardState.path(gitDirectory: store.gitDirectory))
            if state == nil, try store.configFlag(DeprovisioningGuard.configKey) == true {
                problem = "its state file \(GuardState.path(gitDirectory: store.gitDirectory)) is missing, so a server holds every deprovisioning write until `scimgit guard reset`"
            }
        } catch {
            problem = "its state file cannot be read (\(error)), so a server holds every deprovisioning write until `scimgit guard reset`"
        }
        if let decision = try? GuardDecision.load(from: store, at: store.head), decision.id != state?.appliedDecision {
            pendingDecision = decision
        }
        if let trip = state?.trip, !trip.client.isEmpty {
            // The sync of that client that had started by the trip (it may have gone on
            // with writes that take nothing away, which do land).
            sync = try SyncFinder(store: store, gap: gap).syncs(client: trip.client).first { $0.start <= trip.at.addingTimeInterval(1) }
        }
    }

    public var isHolding: Bool {
        if problem != nil { return true }
        guard state?.trip != nil else { return false }
        return pendingDecision == nil
    }
}

/// `scimgit guard release|reset`: a decision is one commit of `Guard/decision.json`,
/// authored by the admin who made it.
public struct GuardDecisions {
    let store: GitStore

    public init(store: GitStore) {
        self.store = store
    }

    @discardableResult
    public func commit(_ decision: GuardDecision, subject: String, lines: [String], by identity: CLIIdentity) throws -> ObjectID? {
        var message = CommitMessage(subject: subject, trailers: [
            (CommitMessage.operationKey, "GUARD"), ("SCIM-Guard", decision.action.rawValue), (CommitMessage.clientKey, identity.client),
        ])
        message.addLines(lines)
        return try store.write { session in
            try session.commit([CommitSpec(changes: [GuardDecision.path: .write(decision.bytes)], message: message.text, author: identity.signature)]).first ?? nil
        }
    }
}
