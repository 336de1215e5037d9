import Foundation

/// Writes `.git/index` shortly after writes pause (and at least every few seconds under
/// constant load), so `git status` in the store is clean within a second of the last write
/// without paying for an index write on every commit.
final class IndexFlusher: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var thread: Thread?
    private let interval: TimeInterval
    private let flush: @Sendable () -> Void

    init(interval: Duration, flush: @escaping @Sendable () -> Void) {
        let parts = interval.components
        self.interval = max(0.05, Double(parts.seconds) + Double(parts.attoseconds) / 1e18) / 2
        self.flush = flush
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "scimgit-index-flusher"
        self.thread = thread
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            if !stopped { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
            let done = stopped
            condition.unlock()
            if done { return }
            flush()
        }
    }
}
