import Testing
@testable import SCIMServer

/// At the cap, a new connection displaces the oldest idle untrusted one; trusted and busy
/// connections are never displaced, and with nothing to displace the newcomer is refused.
@Suite struct ConnectionTableTests {
    typealias Table = ConnectionTable<Int, String>

    /// Admits `keys` and returns what each admission evicted ("-" for nothing, "refused").
    static func admit(_ keys: [Int], to table: inout Table) -> [String] {
        keys.map { key in
            switch table.admit(key, handle: "c\(key)") {
            case .admitted(let evicted): return evicted ?? "-"
            case .refused: return "refused"
            }
        }
    }

    @Test func belowTheCapNothingIsEvicted() {
        var table = Table(capacity: 3)
        #expect(Self.admit([1, 2, 3], to: &table) == ["-", "-", "-"])
        #expect(table.count == 3)
    }

    @Test func atTheCapTheOldestIdleUntrustedConnectionMakesRoom() {
        var table = Table(capacity: 3)
        _ = Self.admit([1, 2, 3], to: &table)
        #expect(Self.admit([4, 5], to: &table) == ["c1", "c2"])
        #expect(table.count == 3)
        #expect(!table.contains(1) && !table.contains(2) && table.contains(5))
    }

    @Test func trustedConnectionsAreNeverEvicted() {
        var table = Table(capacity: 3)
        _ = Self.admit([1, 2, 3], to: &table)
        table.trust(1)
        table.trust(3)
        #expect(Self.admit([4, 5, 6], to: &table) == ["c2", "c4", "c5"])
        #expect(table.contains(1) && table.contains(3) && table.contains(6))
    }

    @Test func aConnectionInTheMiddleOfARequestIsNotEvicted() {
        var table = Table(capacity: 2)
        _ = Self.admit([1, 2], to: &table)
        table.requestStarted(1)
        #expect(Self.admit([3], to: &table) == ["c2"])
        table.requestStarted(3)
        #expect(Self.admit([4], to: &table) == ["refused"])
        table.requestFinished(1)
        #expect(Self.admit([5], to: &table) == ["c1"])
    }

    @Test func pipelinedRequestsKeepAConnectionBusyUntilTheLastResponse() {
        var table = Table(capacity: 1)
        _ = Self.admit([1], to: &table)
        table.requestStarted(1)
        table.requestStarted(1)
        table.requestFinished(1)
        #expect(Self.admit([2], to: &table) == ["refused"])
        table.requestFinished(1)
        table.requestFinished(1)  // an extra response end changes nothing
        #expect(Self.admit([3], to: &table) == ["c1"])
    }

    @Test func whenEveryConnectionIsTrustedANewOneIsRefused() {
        var table = Table(capacity: 2)
        _ = Self.admit([1, 2], to: &table)
        table.trust(1)
        table.trust(2)
        #expect(Self.admit([3, 4], to: &table) == ["refused", "refused"])
        #expect(!table.contains(3) && table.count == 2)
        table.remove(2)
        #expect(Self.admit([5], to: &table) == ["-"])
    }

    @Test func aKeyUsedAgainIsANewConnection() {
        var table = Table(capacity: 2)
        _ = Self.admit([1, 2], to: &table)
        table.remove(1)
        table.trust(2)
        _ = Self.admit([1], to: &table)  // same key, a new connection: untrusted, the newest
        table.remove(2)
        _ = Self.admit([3], to: &table)
        #expect(Self.admit([4], to: &table) == ["c1"])
    }

    @Test func manyShortConnectionsLeaveTheOrderIntact() {
        var table = Table(capacity: 10)
        for key in 0..<50_000 {
            _ = table.admit(key, handle: "c\(key)")
            if key % 3 == 0 { table.trust(key) }
            table.remove(key)
        }
        #expect(table.count == 0)
        _ = Self.admit(Array(100_000..<100_010), to: &table)
        table.trust(100_000)
        #expect(Self.admit([200_000, 200_001], to: &table) == ["c100001", "c100002"])
    }
}
