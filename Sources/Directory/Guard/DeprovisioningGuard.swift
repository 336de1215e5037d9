import Foundation
import GitStore
import Logging
import SCIM

/// Holds a mass deprovisioning before it lands. The writer asks it about every write that
/// takes access away (`DeprovisioningCount`), inside the batch, against the count of the
/// committed writes plus the batch's own: two IdP workers cannot slip past it together.
/// Once tripped, every deprovisioning write is refused with `503` and `Retry-After` (the
/// IdPs retry those with backoff) until an admin commits a decision (`GuardDecision`);
/// other writes and all reads go on. The state survives restarts (`GuardState`); a state
/// file that is missing or unreadable holds, and says why.
///
/// Used by the writer thread only, except `state`, which anyone may read.
final class DeprovisioningGuard: @unchecked Sendable {
    let policy: GuardPolicy
    /// Seconds an IdP is told to wait. Okta doubles its wait on each further refusal and
    /// gives up after 10 attempts: a minute leaves an admin about seventeen hours to
    /// decide, and a released write lands at the next attempt.
    static let retryAfter = 60
    /// `.git/config` flag saying the state file was written once, so a missing one is a
    /// loss (the guard holds) rather than a store that was never guarded.
    static let configKey = "scimgit.guardstate"

    private let path: String
    private let logger: Logger
    private let lock = NSLock()
    private var current: GuardState
    private var batchStart: GuardState?
    private var tripped = false
    /// Counts are written at most once a second (a trip and a decision at once): a burst of
    /// deactivations should not pay a file write per batch. A crash loses at most that
    /// second of counting; a clean stop writes it (`flush`).
    private var lastSaved: ContinuousClock.Instant?
    private var unsaved = false
    private static let saveInterval = Duration.seconds(1)

    private init(policy: GuardPolicy, path: String, state: GuardState, logger: Logger) {
        self.policy = policy
        self.path = path
        current = state
        self.logger = logger
    }

    var state: GuardState { lock.withLock { current } }

    /// Reads the state of `store` (holding when it is lost), takes in a decision committed
    /// while no server ran, and writes the state back.
    static func open(store: GitStore, policy: GuardPolicy, logger: Logger) -> DeprovisioningGuard {
        let path = GuardState.path(gitDirectory: store.gitDirectory)
        let decision: GuardDecision?
        var decisionProblem: String?
        do {
            decision = try GuardDecision.load(from: store, at: store.head)
        } catch {
            decision = nil
            decisionProblem = "\(GuardDecision.path) is not a guard decision (\(error))"
        }
        let now = Date()
        var state: GuardState
        var lost: String?
        do {
            if let loaded = try GuardState.load(from: path) {
                state = loaded
            } else if try store.configFlag(configKey) == true {
                state = GuardState()
                lost = "its state file \(path) is missing"
            } else {
                state = GuardState()
                state.appliedDecision = decision?.id
            }
        } catch {
            state = GuardState()
            lost = "its state file \(path) cannot be read (\(error))"
        }
        if let lost {
            // Only a decision made from now on may release it.
            state.appliedDecision = decision?.id
            state.trip = GuardState.Trip(
                at: now, client: "", count: 0, activeUsers: 0, policy: policy.spec,
                reason: lost + "; it holds until an admin checks the recent syncs and runs `scimgit guard reset` or `scimgit guard release`")
            logger.error("the deprovisioning guard holds every deprovisioning write: \(lost)")
        }
        state.policy = policy.spec
        let guardian = DeprovisioningGuard(policy: policy, path: path, state: state, logger: logger)
        if let decisionProblem {
            logger.error("the deprovisioning guard ignores a decision: \(decisionProblem)")
        } else if let decision {
            guardian.apply(decision, now: now)
        }
        do {
            try guardian.save(durable: true)
            if try store.configFlag(configKey) != true { try store.setConfigFlag(configKey, true) }
        } catch {
            // A full or read-only disk: the server still starts (reads go on, writes
            // answer 507); the state in memory guards until it can be written.
            logger.error("could not write the deprovisioning guard's state: \(error)")
        }
        if let trip = guardian.current.trip, trip.reason == nil {
            logger.warning("the deprovisioning guard is holding since \(trip.at) (tripped by \(trip.client)); see scimgit guard status")
        }
        return guardian
    }

    // MARK: - The writer's batch

    func beginBatch() {
        batchStart = current
        tripped = false
    }

    /// Nil when a write that takes `taken` away, by `client`, may land (it is counted);
    /// otherwise the refusal to answer it with, and nothing of it may be committed.
    /// `activeUsers` is asked only when the percentage must be checked.
    func admit(_ taken: DeprovisioningCount, client: String, activeUsers: () -> Int, now: Date = Date()) -> SCIMError? {
        guard taken.count > 0 else { return nil }
        return lock.withLock {
            if var trip = current.trip {
                trip.held[client, default: 0] += 1
                trip.lastHeld = now
                current.trip = trip
                return refusal(trip)
            }
            if current.isReleased(at: now) {
                current.add(taken.count, users: taken.users, at: now, window: policy.window)
                return nil
            }
            let total = current.count(within: policy.window, now: now) + taken.count
            // The users there were before this window's deactivations and deletions.
            let active = activeUsers() + current.users(within: policy.window, now: now)
            current.activeUsers = active
            if policy.trips(count: total, activeUsers: active) {
                let trip = GuardState.Trip(
                    at: now, client: client, count: total, activeUsers: active, policy: policy.spec,
                    held: [client: 1], lastHeld: now)
                current.trip = trip
                tripped = true
                return refusal(trip)
            }
            current.add(taken.count, users: taken.users, at: now, window: policy.window)
            return nil
        }
    }

    /// After the batch: its counts stay when it committed, and are dropped when it did
    /// not (nothing of it landed). A new trip is written durably before any write of the
    /// batch is answered, and logged once.
    func endBatch(committed: Bool) {
        guard let start = batchStart else { return }
        batchStart = nil
        if !committed { lock.withLock { current = start } }
        guard current != start else { return }
        if !tripped, let lastSaved, ContinuousClock.now - lastSaved < DeprovisioningGuard.saveInterval {
            unsaved = true
        } else {
            do {
                try save(durable: tripped)
            } catch {
                logger.error("could not write the deprovisioning guard's state (a restart counts from what was last written): \(error)")
            }
        }
        if committed, tripped, let trip = state.trip {
            logger.warning(
                "deprovisioning guard tripped by \(trip.client): \(trip.count) deprovisioning writes within \(GuardPolicy.format(duration: policy.window)), \(trip.activeUsers) active users (guard \(policy)); holding further deprovisioning writes until `scimgit guard release` or `scimgit guard reset`")
        }
    }

    // MARK: - Decisions

    /// Takes in an admin's decision once (a HEAD move that changed `Guard/`).
    func take(_ decision: GuardDecision?) {
        guard let decision else { return }
        apply(decision, now: Date())
        do {
            try save(durable: true)
        } catch {
            logger.error("could not write the deprovisioning guard's state after \(decision.action.rawValue) by \(decision.by): \(error)")
        }
    }

    private func apply(_ decision: GuardDecision, now: Date) {
        lock.withLock {
            guard current.appliedDecision != decision.id else { return }
            let held = current.trip.map { $0.held.values.reduce(0, +) } ?? 0
            current.appliedDecision = decision.id
            current.lastDecision = decision
            current.trip = nil
            switch decision.action {
            case .release:
                let until = decision.until ?? now
                current.releasedUntil = until
                current.countFrom = until
                logger.notice("deprovisioning guard released by \(decision.by) until \(until) (\(held) writes were held); the identity provider's retries land")
            case .reset:
                current.releasedUntil = nil
                current.countFrom = decision.at
                current.minutes = [:]
                current.userMinutes = [:]
                logger.notice("deprovisioning guard reset by \(decision.by) (\(held) writes were held); counting starts again")
            }
        }
    }

    // MARK: - Helpers

    private func refusal(_ trip: GuardState.Trip) -> SCIMError {
        let why = trip.reason.map { "its state was lost (\($0))" }
            ?? "\(trip.count) deprovisioning writes within \(GuardPolicy.format(duration: policy.window)), with \(trip.activeUsers) active users, reached its threshold (\(policy))"
        return SCIMError(
            status: 503,
            detail: "scimgit's deprovisioning guard is holding deactivations, deletions and member removals: \(why). Nothing was changed. An admin of this server reviews the sync with `scimgit guard status` and lets the writes through with `scimgit guard release` (or `scimgit guard reset`); retry after \(DeprovisioningGuard.retryAfter) s.",
            retryAfter: DeprovisioningGuard.retryAfter)
    }

    private func save(durable: Bool) throws {
        try state.save(to: path, durable: durable)
        lastSaved = .now
        unsaved = false
    }

    /// Writes counts not written yet once their second is up (the writer's idle tick), so
    /// `scimgit guard status` is at most about a second behind.
    func flushIfDue() {
        guard unsaved, let lastSaved, ContinuousClock.now - lastSaved >= DeprovisioningGuard.saveInterval else { return }
        flush()
    }

    /// Writes counts not written yet (the writer has stopped).
    func flush() {
        guard unsaved else { return }
        do {
            try save(durable: true)
        } catch {
            logger.error("could not write the deprovisioning guard's state: \(error)")
        }
    }
}
