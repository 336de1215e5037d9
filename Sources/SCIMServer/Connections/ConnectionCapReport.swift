/// Counts evictions and refusals between two log lines, so that a flood at the cap is one
/// warning a minute rather than one per connection.
struct ConnectionCapReport: Sendable {
    var evicted = 0
    var refused = 0
    private var lastReport: ContinuousClock.Instant?

    /// Counts one eviction or refusal; returns the counts to log when it is time to.
    mutating func record(evicted isEviction: Bool, limit: Duration, now: ContinuousClock.Instant = .now) -> ConnectionCapReport? {
        if isEviction { evicted += 1 } else { refused += 1 }
        if let lastReport, now - lastReport < limit { return nil }
        let report = self
        self = ConnectionCapReport(lastReport: now)
        return report
    }

    private init(lastReport: ContinuousClock.Instant?) {
        self.lastReport = lastReport
    }

    init() {}
}
