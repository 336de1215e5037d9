@testable import Directory
import Testing

/// The creation order pages come in, kept as batches of writes land: a batch may hold a
/// resource stamped a little before the last of the batch before (concurrent requests).
@Suite("Directory: creation order under batched writes")
struct CreationOrderTests {
    private func batch(_ entries: [(String, Int64)]) -> [(id: String, summary: ResourceSummary)] {
        entries.map { ($0.0, ResourceSummary(kind: .user, name: $0.0, created: $0.1, keys: [])) }
    }

    @Test func batchesAreMergedIntoTheOrderWhereverTheyFall() {
        var state = DirectoryIndex.State()
        state.upsert(batch([("a", 10), ("b", 20), ("c", 30)]))
        state.upsert(batch([("e", 50), ("d", 25)]))        // d is older than c
        state.upsert(batch([("f", 60)]))                     // appended
        state.upsert(batch([("z", 60), ("y", 5), ("x", 60)])) // ties ordered by id; y before everything
        state.upsert(batch([("b", 20)]))                     // an update moves nothing
        #expect(state.order[.user] == ["y", "a", "b", "d", "c", "e", "f", "x", "z"])
    }

    @Test func aLongOrderTakesSmallBatchesInPlace() {
        var state = DirectoryIndex.State()
        let many = (0..<50_000).map { (String(format: "u%06d", $0), Int64($0 * 10)) }
        state.upsert(batch(many))
        for round in 0..<200 {
            // Each batch's first is stamped just before the last of the one before.
            let base = Int64(500_000 + round * 10)
            state.upsert(batch([(String(format: "n%06d", round * 2), base - 15), (String(format: "n%06d", round * 2 + 1), base)]))
        }
        let order = state.order[.user] ?? []
        #expect(order.count == 50_400)
        let keys = order.map { (state.summaries[$0]!.created, $0) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
