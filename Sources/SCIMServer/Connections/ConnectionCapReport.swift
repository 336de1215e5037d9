/// Counts the connections closed at the cap between two log lines, so that a flood of new
/// connections is one warning a minute rather than one per connection. The first one is
/// reported at once.
struct ConnectionCapReport: Sendable {
    enum Outcome {
        /// An idle untrusted connection was closed to make room.
        case evicted
        /// The new connection was closed: nothing could make room.
        case refused
    }

    private(set) var evicted = 0
    private(set) var refused = 0
    private var lastReport: ContinuousClock.Instant?

    init() {}

    /// Counts one outcome; returns the counts to log (and starts counting anew) when the
    /// last report is at least `interval` old.
    mutating func record(_ outcome: Outcome, every interval: Duration, now: ContinuousClock.Instant = .now) -> ConnectionCapReport? {
        switch outcome {
        case .evicted: evicted += 1
        case .refused: refused += 1
        }
        if let lastReport, now - lastReport < interval { return nil }
        let report = self
        self = ConnectionCapReport()
        lastReport = now
        return report
    }
}
