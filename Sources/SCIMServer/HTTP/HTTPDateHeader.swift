import Foundation
import NIOCore
import Synchronization

/// The `Date` response header (RFC 9110 §5.6.7, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted
/// once a second by a task scheduled on an event loop rather than for every response.
final class HTTPDateHeader: Sendable {
    private let value: Mutex<String>
    private let ticker: Mutex<RepeatedTask?>

    init(eventLoop: any EventLoop) {
        value = Mutex(HTTPDateHeader.format(Date()))
        ticker = Mutex(nil)
        let task = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.value.withLock { $0 = HTTPDateHeader.format(Date()) }
        }
        ticker.withLock { $0 = task }
    }

    var current: String { value.withLock { $0 } }

    func stop() {
        ticker.withLock { $0?.cancel() }
    }

    private static let names = (days: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
                                months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(names.days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(names.months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}
