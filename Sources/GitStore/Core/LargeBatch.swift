import Dispatch
import Foundation
import Synchronization

/// The work of a large batch (an import, a big rollback) on one thread per core: its
/// objects compressed, its files written. Each thread takes a contiguous run of the
/// (sorted) work, so threads seldom share a folder. The first error stops the others from
/// starting more; it is thrown once all have finished.
enum LargeBatch {
    /// Below this many files or objects a batch is done on the writer's thread alone.
    static let parallelFrom = 4096

    static func run<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        try run(count, context: {}) { position, _ in try body(position) }
    }

    /// `run`, with a value each thread makes once and hands to each item of its run (what
    /// neighbours in sorted work share: the folder they are in).
    static func run<T, Context>(_ count: Int, context: () -> Context, _ body: (Int, inout Context) throws -> T) throws -> [T] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunk = (count + workers - 1) / max(workers, 1)
        let failure = Mutex<(any Error)?>(nil)
        var results = [[T]](repeating: [], count: workers)
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(context) { context in
                let work = UnsafeSendable(body)
                let makeContext = UnsafeSendable(context)
                results.withUnsafeMutableBufferPointer { slots in
                    let slots = UnsafeSendable(slots)
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let start = worker * chunk
                        guard start < count else { return }
                        var out: [T] = []
                        out.reserveCapacity(chunk)
                        var shared = makeContext.value()
                        for position in start..<min(count, start + chunk) {
                            if failure.withLock({ $0 != nil }) { return }
                            do {
                                out.append(try work.value(position, &shared))
                            } catch {
                                failure.withLock { if $0 == nil { $0 = error } }
                                return
                            }
                        }
                        slots.value[worker] = out
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.flatMap { $0 }
    }
}

/// A buffer each worker writes its own slot of (never the same one twice).
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
