@testable import GitStore
import Testing

@Suite("GitStore: tree deltas")
struct PackDeltaTests {
    private func tree(entries: Int, changing changed: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        for number in 0..<entries {
            out += Array("40000 \(String(number, radix: 16))".utf8) + [0]
            out += (0..<20).map { UInt8((number * 31 + $0 + (number == changed ? 7 : 0)) & 0xff) }
        }
        return out
    }

    @Test(arguments: [0, 1, 128, 255])
    func oneChangedEntryIsATinyDeltaThatRebuildsTheTree(changed: Int) throws {
        let base = tree(entries: 256)
        let target = tree(entries: 256, changing: changed)
        let delta = try #require(PackDelta.make(from: base, to: target))
        #expect(delta.count < 64)
        #expect(PackDelta.apply(delta, to: base) == target)
    }

    @Test func copiesLongerThan64KiBAreSplit() throws {
        let base = tree(entries: 5_000) // ~140 KB
        var target = base
        target[70_000] ^= 0xff
        let delta = try #require(PackDelta.make(from: base, to: target))
        #expect(PackDelta.apply(delta, to: base) == target)
        var grown = base
        grown.append(contentsOf: [1, 2, 3])
        #expect(PackDelta.apply(try #require(PackDelta.make(from: base, to: grown)), to: base) == grown)
    }

    @Test func unrelatedContentIsNotDeltified() {
        #expect(PackDelta.make(from: tree(entries: 10), to: Array(repeating: 9, count: 300)) == nil)
    }
}
