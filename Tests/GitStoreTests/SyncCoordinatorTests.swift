import Foundation
@testable import GitStore
import Testing

/// Stores on one file system share their flushes: callers that arrive while a flush runs
/// are covered by the next one, and nobody returns before a flush that began after its call.
@Suite("GitStore: shared flushes")
struct SyncCoordinatorTests {
    final class Flushes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var starts: [UInt64] = []
        private var clock: UInt64 = 0
        func tick() -> UInt64 { lock.withLock { clock += 1; return clock } }
        func started() -> UInt64 { lock.withLock { clock += 1; starts.append(clock); return clock } }
        var count: Int { lock.withLock { starts.count } }
    }

    @Test func concurrentCallersShareFlushesAndEachIsCovered() throws {
        let flushes = Flushes()
        let coordinator = SyncCoordinator { _ in
            _ = flushes.started()
            usleep(30_000)
            return 0
        }
        let callers = 16
        // Each caller on a thread of its own (blocking, as writer threads are): when it
        // called, and the flushes that had started by the time it returned.
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var all: [(called: UInt64, startedBeforeReturn: [UInt64])] = []
        }
        let collected = Results()
        let done = DispatchGroup()
        for _ in 0..<callers {
            done.enter()
            Thread.detachNewThread {
                let called = flushes.tick()
                try? coordinator.sync(using: -1)
                let starts = flushes.starts
                collected.lock.withLock { collected.all.append((called, starts)) }
                done.leave()
            }
        }
        done.wait()
        let results = collected.all
        #expect(results.count == callers)
        #expect(flushes.count < callers / 2, "\(flushes.count) flushes for \(callers) callers")
        for result in results {
            #expect(result.startedBeforeReturn.contains { $0 > result.called }, "a flush that began after the call covered it")
        }
    }

    @Test func aFailedFlushFailsEveryCallerItWasToCover() {
        let coordinator = SyncCoordinator { _ in
            errno = EIO
            return -1
        }
        #expect(throws: GitStoreError.io(operation: "syncfs", path: "", errno: EIO)) { try coordinator.sync(using: -1) }
    }
}
