import Testing
@testable import SCIMServer

/// A flood at the cap is reported at once, then at most once per interval with the counts.
@Suite struct ConnectionCapReportTests {
    @Test func theFirstIsReportedThenOncePerInterval() throws {
        var report = ConnectionCapReport()
        let start = ContinuousClock.now
        let first = report.record(.evicted, every: .seconds(60), now: start)
        #expect(first?.evicted == 1 && first?.refused == 0)
        let soon = report.record(.evicted, every: .seconds(60), now: start + .seconds(10))
        let later = report.record(.refused, every: .seconds(60), now: start + .seconds(59))
        #expect(soon == nil && later == nil)
        let next = report.record(.evicted, every: .seconds(60), now: start + .seconds(60))
        #expect(next?.evicted == 2 && next?.refused == 1)
        #expect(report.record(.evicted, every: .seconds(60), now: start + .seconds(61)) == nil)
    }
}
