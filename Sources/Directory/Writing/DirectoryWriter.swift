import Foundation
import GitStore
import Logging
import CoreMetrics
import Metrics
import SCIM
import SCIMService

/// The one writer of a store. Requests queue here; a dedicated thread takes everything
/// queued as one batch: each write is validated against the state left by the writes
/// before it and becomes its own commit, then the whole batch is made durable together
/// (group commit) before any of it is acknowledged and before readers see it. A lone
/// write is never delayed: batches are whatever queued while the previous one committed.
final class DirectoryWriter: @unchecked Sendable {
    private let store: GitStore
    private let index: DirectoryIndex
    private let indexer: Indexer
    private let schemas: SchemaCatalog
    private let clock: Clock
    private let logger: Logger
    /// Holds mass deprovisioning (nil: `--guard off`).
    private let guardian: DeprovisioningGuard?
    /// Values of the extension attributes declared unique, built on the first write that
    /// needs them; only this writer's thread touches it.
    private let uniqueValues = UniqueValueIndex()
    /// When the last batch committed, until the store settles after it (writer thread only).
    private var lastCommit: ContinuousClock.Instant?
    /// How long a store stays quiet before its recent small packs are merged: long enough
    /// that a store written every few seconds (a tenant among many) does not merge after
    /// every other write (a merge rewrites its packs and, when durable, syncs the disk).
    private let settleAfter = Duration.seconds(10)
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopped = false
    private var thread: Thread?
    /// Most writes one batch takes (bounds how long the first of them waits).
    private let maxBatch = 64
    /// Why writes are refused (a read replica), nil when they are taken.
    private let refusal = NSLock()
    private var refusalReason: String?

    private let committed = Counter(label: "scimgit_writes_committed_total")
    private let batchSizes = Recorder(label: "scimgit_write_batch_size")
    private let durable = CoreMetrics.Timer(label: "scimgit_write_durable_seconds")
    private let queueDepth = Gauge(label: "scimgit_write_queue_depth")

    private struct Job {
        var operation: WriteOperation
        var context: Caller
        var continuation: CheckedContinuation<WriteResult, any Error>
    }

    init(store: GitStore, index: DirectoryIndex, indexer: Indexer, schemas: SchemaCatalog, guardian: DeprovisioningGuard?, clock: Clock, logger: Logger) {
        self.guardian = guardian
        self.store = store
        self.index = index
        self.indexer = indexer
        self.schemas = schemas
        self.clock = clock
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "scimgit-writer"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Finishes what is queued, then stops.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        while true {
            condition.lock()
            let finished = thread == nil
            condition.unlock()
            if finished { return }
            usleep(1_000)
        }
    }

    /// Refuses every write with 503 and `reason` from now on (nil: takes them again).
    func refuseWrites(_ reason: String?) {
        refusal.withLock { refusalReason = reason }
    }

    /// Whether the writer's thread runs (it stops only at close).
    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread != nil && !stopped
    }

    func submit(_ operation: WriteOperation, context: Caller) async throws(SCIMError) -> WriteResult {
        if case .sync = operation {} else if let reason = refusal.withLock({ refusalReason }) {
            throw SCIMError(status: 503, detail: reason)
        }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                if stopped {
                    condition.unlock()
                    continuation.resume(throwing: SCIMError(status: 503, detail: "the server is shutting down"))
                    return
                }
                queue.append(Job(operation: operation, context: context, continuation: continuation))
                queueDepth.record(queue.count)
                condition.signal()
                condition.unlock()
            }
        } catch let error as SCIMError {
            throw error
        } catch {
            throw StoreErrorMapping.scimError(error)
        }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped {
                // Idle: follow a HEAD another process moved (`scimgit rollback` while this
                // server runs commits without touching the working tree; this server
                // brings the tree and its indexes to the new HEAD within a quarter second).
                if !condition.wait(until: Date(timeIntervalSinceNow: 0.25)), queue.isEmpty, !stopped {
                    condition.unlock()
                    if store.headMayHaveMoved() { followExternalHead() }
                    guardian?.flushIfDue()
                    if let lastCommit, ContinuousClock.now - lastCommit >= settleAfter {
                        self.lastCommit = nil
                        store.mergeRecentPacks()
                    }
                    condition.lock()
                }
            }
            if queue.isEmpty && stopped {
                thread = nil
                condition.unlock()
                return
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            queueDepth.record(queue.count)
            condition.unlock()
            process(batch)
            lastCommit = ContinuousClock.now
        }
    }

    private func followExternalHead() {
        do {
            try store.write { session in
                if let move = session.headMove { take(move) }
            }
        } catch let error as GitStoreError where error.isBusy {
            // Another writer holds the store: the next idle tick or request follows.
        } catch {
            logger.warning("could not follow the moved HEAD (the next request tries again): \(error)")
        }
    }

    private func process(_ jobs: [Job]) {
        var outcomes = [Result<WriteResult, SCIMError>?](repeating: nil, count: jobs.count)
        let started = ContinuousClock.now
        batchSizes.record(jobs.count)
        do {
            try store.write { session in
                if let move = session.headMove { take(move) }
                guardian?.beginBatch()
                let planner = WritePlanner(registry: schemas.registry, clock: clock)
                var view = WriteView(index: index, store: store, pending: PendingChanges(), uniqueValues: uniqueValues)
                var specs: [CommitSpec] = []
                var planned: [(job: Int, result: WriteResult)] = []
                for (position, job) in jobs.enumerated() {
                    var attempt = view
                    do {
                        let plan = try planner.plan(job.operation, view: &attempt, context: job.context)
                        if let guardian {
                            let count = DeprovisioningCount.of(plan.changes, before: view, after: attempt)
                            let index = self.index
                            if let refusal = guardian.admit(count, client: job.context.client, activeUsers: { index.read(\.activeUsers) }) {
                                outcomes[position] = .failure(refusal)
                                continue
                            }
                        }
                        view = attempt
                        planned.append((position, plan.result))
                        if let message = plan.message, !plan.changes.isEmpty {
                            specs.append(CommitSpec(
                                changes: plan.changes, message: message.text,
                                author: Signature(name: job.context.client, email: "\(job.context.client)@scimgit")
                            ))
                        }
                    } catch {
                        outcomes[position] = .failure(StoreErrorMapping.scimError(error))
                    }
                }
                if !specs.isEmpty {
                    _ = try session.commit(specs)
                    committed.increment(by: specs.count)
                    let elapsed = ContinuousClock.now - started
                    durable.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
                }
                guardian?.endBatch(committed: true)
                let pending = view.pending
                index.write { state in DirectoryWriter.publish(pending, to: &state) }
                uniqueValues.publish(pending)
                for (position, result) in planned { outcomes[position] = .success(result) }
            }
        } catch {
            guardian?.endBatch(committed: false)
            let failure = StoreErrorMapping.scimError(error)
            logger.error("write batch of \(jobs.count) failed, nothing committed: \(error)")
            for position in jobs.indices where outcomes[position] == nil || isSuccess(outcomes[position]) {
                outcomes[position] = .failure(failure)
            }
        }
        for (position, job) in jobs.enumerated() {
            switch outcomes[position] {
            case let .success(result)?: job.continuation.resume(returning: result)
            case let .failure(error)?: job.continuation.resume(throwing: error)
            case nil: job.continuation.resume(throwing: SCIMError.internalError("write was not processed"))
            }
        }
    }

    /// Takes in a HEAD moved by someone else: the indexes follow the changed paths, the
    /// schemas are read again when `Schemas/` changed, and the unique values are rebuilt
    /// on the next write that needs them.
    private func take(_ move: HeadMove) {
        let started = ContinuousClock.now
        index.write { state in indexer.apply(move.changes.map(\.path), to: &state) }
        if move.changes.count >= 1000 { logger.info("indexes followed \(move.changes.count) changed paths in \(ContinuousClock.now - started)") }
        if move.changes.contains(where: { StoreSchemas.isSchemaPath($0.path) }) {
            schemas.reload(from: store, at: move.to)
        }
        if !move.changes.isEmpty { uniqueValues.invalidate() }
        if let guardian, move.changes.contains(where: { GuardDecision.isDecisionPath($0.path) }) {
            do {
                guardian.take(try GuardDecision.load(from: store, at: move.to))
            } catch {
                logger.error("\(GuardDecision.path) is not a guard decision, the guard keeps its state: \(error)")
            }
        }
    }

    private func isSuccess(_ outcome: Result<WriteResult, SCIMError>?) -> Bool {
        if case .success? = outcome { return true }
        return false
    }

    /// Makes a committed batch visible to readers. `summaries` are those already made (an
    /// import makes them on every core, and keeps only the names of its documents).
    static func publish(_ pending: PendingChanges, summaries: [String: ResourceSummary] = [:], to state: inout DirectoryIndex.State) {
        var upserts: [(id: String, summary: ResourceSummary)] = []
        for (id, stored) in pending.documents {
            if let stored {
                upserts.append((id, summaries[id] ?? ResourceSummary(kind: stored.kind, document: stored.document)))
            } else {
                state.remove(id)
            }
        }
        if upserts.count >= DirectoryIndex.State.bulkFrom, state == DirectoryIndex.State() {
            // An import into an empty store: built as a start builds it, each table by a
            // worker of its own (a million upserts one at a time took seconds).
            state = DirectoryIndex.State(unordered: consume upserts)
        } else {
            state.upsert(upserts)
        }
        for (group, changes) in pending.memberships {
            for (member, kind) in changes {
                if let kind { state.addMember(member, to: group, kind: kind) } else { state.removeMember(member, from: group) }
            }
        }
        for (group, displays) in pending.displays {
            for (member, display) in displays where state.members[group]?[member] != nil {
                state.setMemberDisplay(display, member: member, group: group)
            }
        }
    }
}
