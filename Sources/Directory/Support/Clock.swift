import Foundation
import SCIM

/// `meta.created` / `meta.lastModified` values: milliseconds, and strictly increasing across
/// all writes of a process, so two changes of one resource never share a timestamp (and so
/// never share a version).
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Int64 = 0

    func now() -> SCIMDateTime {
        lock.lock()
        defer { lock.unlock() }
        let millis = max(Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)), last + 1)
        last = millis
        return SCIMDateTime(secondsSince1970: millis / 1000, nanoseconds: Int32(millis % 1000) * 1_000_000)
    }
}
