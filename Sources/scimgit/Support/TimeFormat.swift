import Foundation
import GitStore

/// Times as the history commands print and read them (UTC).
enum TimeFormat {
    static func show(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date)
    }

    static func parse(_ text: String) throws -> Date {
        guard let date = TimeParser.parse(text) else {
            throw CLIError("cannot read the time '\(text)': use ISO 8601 (2026-11-29T10:05:00Z), a date (2026-11-29) or a time today (10:05, UTC)")
        }
        return date
    }
}
