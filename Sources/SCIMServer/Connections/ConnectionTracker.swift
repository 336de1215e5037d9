import Logging
import NIOCore
import Synchronization

/// The open connections of one server, shared by all its event loops: enforces the
/// connection cap the way `ConnectionTable` decides, and closes the connections it evicts.
///
/// `ConnectionTrackingHandler` reports each connection's life to it;
/// `AuthenticationMiddleware` reports that a connection has authenticated.
final class ConnectionTracker: Sendable {
    private struct State {
        var table: ConnectionTable<ObjectIdentifier, any Channel>
        var report = ConnectionCapReport()
    }

    /// How many sockets above the cap may exist at once: evicted and refused connections
    /// keep theirs until their close completes. Beyond it the server stops accepting for a
    /// moment (Hummingbird's `MaximumAvailableConnections`), never running out of descriptors.
    static let closingAllowance = 64

    /// How often reaching the cap is logged at most, with what was closed since.
    static let reportInterval: Duration = .seconds(60)

    private let state: Mutex<State>
    private let logger: Logger

    init(maxConnections: Int, logger: Logger) {
        state = Mutex(State(table: ConnectionTable(capacity: maxConnections)))
        self.logger = logger
    }

    var maxConnections: Int { state.withLock { $0.table.capacity } }

    /// How many connections are open.
    var openConnections: Int { state.withLock { $0.table.count } }

    /// Admits a new connection, closing an idle untrusted one if the cap is reached.
    /// Returns false when the new connection must be closed instead.
    func open(_ channel: any Channel) -> Bool {
        let (admission, report) = state.withLock { state in
            let admission = state.table.admit(ObjectIdentifier(channel), handle: channel)
            let report: ConnectionCapReport?
            switch admission {
            case .admitted(evicted: nil): report = nil
            case .admitted: report = state.report.record(.evicted, every: Self.reportInterval)
            case .refused: report = state.report.record(.refused, every: Self.reportInterval)
            }
            return (admission, report)
        }
        if let report {
            logger.warning(
                "connection limit reached: idle unauthenticated connections are closed to make room, new ones refused when none is idle",
                metadata: [
                    "max_connections": .stringConvertible(maxConnections),
                    "evicted": .stringConvertible(report.evicted), "refused": .stringConvertible(report.refused),
                ])
        }
        switch admission {
        case .admitted(let evicted):
            evicted?.close(promise: nil)
            return true
        case .refused:
            return false
        }
    }

    func close(_ channel: any Channel) {
        state.withLock { $0.table.remove(ObjectIdentifier(channel)) }
    }

    func requestStarted(on channel: any Channel) {
        state.withLock { $0.table.requestStarted(ObjectIdentifier(channel)) }
    }

    func requestFinished(on channel: any Channel) {
        state.withLock { $0.table.requestFinished(ObjectIdentifier(channel)) }
    }

    /// The connection carried a request with a valid token.
    func trust(_ channel: any Channel) {
        state.withLock { $0.table.trust(ObjectIdentifier(channel)) }
    }

    func isTrusted(_ channel: any Channel) -> Bool {
        state.withLock { $0.table.isTrusted(ObjectIdentifier(channel)) }
    }
}
