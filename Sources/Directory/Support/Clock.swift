import Foundation
import SCIM

/// `meta.created` / `meta.lastModified` values: milliseconds, and strictly increasing across
/// all writes of a process, so two changes of one resource never share a timestamp (and so
/// never share a version).
///
/// A stopped clock (`stopped()`) answers one instant: an import is one moment, like its
/// commit, and it writes each resource once. A ticking clock would stamp a million-record
/// import up to 17 minutes into the future (a millisecond a record), and every user created
/// through the API until then would be older than the imported ones.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Int64 = 0
    private let stoppedAt: Int64?

    init() {
        stoppedAt = nil
    }

    private init(stoppedAt: Int64) {
        self.stoppedAt = stoppedAt
    }

    /// A clock that answers the time it was made, every time.
    static func stopped() -> Clock {
        Clock(stoppedAt: Clock.millisecondsNow())
    }

    func now() -> SCIMDateTime {
        let millis: Int64
        if let stoppedAt {
            millis = stoppedAt
        } else {
            lock.lock()
            defer { lock.unlock() }
            millis = max(Clock.millisecondsNow(), last + 1)
            last = millis
        }
        return SCIMDateTime(secondsSince1970: millis / 1000, nanoseconds: Int32(millis % 1000) * 1_000_000)
    }

    private static func millisecondsNow() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
