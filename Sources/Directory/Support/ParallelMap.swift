import Dispatch
import Foundation

/// `transform` of every position in `0..<count`, computed on one thread per core (at most
/// 8), each over a contiguous run: for pure work over many resources (parsing every file
/// at start, validating an import), where the order of results must not depend on timing.
func parallelMap<T>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let results = ParallelResults<T>(count: count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let chunk = max(1, (count + workers - 1) / workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let start = worker * chunk
        guard start < count else { return }
        for position in start..<min(count, start + chunk) { results.set(position, transform(position)) }
    }
    return (0..<count).map { results.get($0)! }
}

/// A fixed-size array that parallel workers fill, each its own slots.
final class ParallelResults<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ position: Int, _ value: T) {
        lock.lock()
        values[position] = value
        lock.unlock()
    }

    func get(_ position: Int) -> T? { values[position] }
}

/// A value handed to parallel workers that the compiler cannot check: a buffer's base
/// address each worker writes its own disjoint slots through.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// A value computed on other threads while this one does something else: an import's next
/// run of records is prepared on every core while this thread checks the current one.
final class BackgroundResult<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ compute: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.value = compute()
            self.done.signal()
        }
    }

    /// Waits for the value; called once.
    func wait() -> T {
        done.wait()
        return value!
    }
}
