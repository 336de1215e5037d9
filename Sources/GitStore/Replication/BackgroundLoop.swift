import Foundation
import Synchronization

/// A thread of its own for work that talks to a remote (a push, a fetch) and so must never
/// run on a request's or the writer's thread: it sleeps between rounds, and `stop` cuts the
/// sleep short and waits for the round in flight to end.
final class BackgroundLoop: Sendable {
    private let name: String
    private let wake = NSCondition()
    private let control = Mutex<(stopping: Bool, running: Bool)>((false, false))

    init(name: String) {
        self.name = name
    }

    /// True once `stop` was called: the body ends its round and returns.
    var stopping: Bool { control.withLock { $0.stopping } }

    func start(_ body: @escaping @Sendable () -> Void) {
        control.withLock { $0.running = true }
        let thread = Thread { [self] in
            body()
            control.withLock { $0.running = false }
        }
        thread.name = name
        thread.start()
    }

    /// Asks the body to return and waits until it has (at most `deadline`, when given).
    func stop(deadline: Duration? = nil) {
        control.withLock { $0.stopping = true }
        wake.lock(); wake.broadcast(); wake.unlock()
        let end = deadline.map { ContinuousClock.now + $0 }
        while control.withLock({ $0.running }), end.map({ ContinuousClock.now < $0 }) ?? true { usleep(10_000) }
    }

    /// Waits `seconds`, or less when `stop` is called.
    func sleep(_ seconds: TimeInterval) {
        wake.lock()
        if !stopping { _ = wake.wait(until: Date(timeIntervalSinceNow: seconds)) }
        wake.unlock()
    }
}
