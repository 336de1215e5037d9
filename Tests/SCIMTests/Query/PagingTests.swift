import Testing
@testable import SCIM

@Suite("Paging")
struct PagingTests {
    @Test(arguments: [
        (nil as Int?, nil as Int?, 1, 100),
        (0, 10, 1, 10),
        (-5, 10, 1, 10),
        (3, -1, 3, 0),
        (1, 5000, 1, 1000),
        (Int.min, Int.max, 1, 1000),
    ])
    func normalisation(startIndex: Int?, count: Int?, expectedStart: Int, expectedCount: Int) {
        let paging = Paging(startIndex: startIndex, count: count)
        #expect(paging.startIndex == expectedStart && paging.count == expectedCount)
    }

    @Test func ranges() {
        #expect(Paging(startIndex: 1, count: 2).range(totalResults: 5) == 0..<2)
        #expect(Paging(startIndex: 5, count: 2).range(totalResults: 5) == 4..<5)
        #expect(Paging(startIndex: 6, count: 2).range(totalResults: 5) == 5..<5)
        #expect(Paging(startIndex: 100, count: 2).range(totalResults: 5) == 5..<5)
        #expect(Paging(startIndex: 2, count: 0).range(totalResults: 5) == 1..<1)
        #expect(Paging(startIndex: 1, count: 10).range(totalResults: 0) == 0..<0)
        #expect(Array(Paging(startIndex: 2, count: 2).page(of: ["a", "b", "c", "d"])) == ["b", "c"])
    }

    @Test func oktaImportPagesThroughEverything() {
        let all = (1...250).map { "u\($0)" }
        var seen: [String] = []
        var start = 1
        while start <= all.count {
            let paging = Paging(startIndex: start, count: 100)
            seen += paging.page(of: all)
            start += 100
        }
        #expect(seen == all)
    }

    @Test func limits() {
        let limits = PagingLimits(defaultCount: 50, maxCount: 20)
        #expect(limits.defaultCount == 20, "the default never exceeds the maximum")
        #expect(Paging(count: nil, limits: limits).count == 20)
        #expect(Paging(count: 30, limits: PagingLimits(defaultCount: 10, maxCount: 25)).count == 25)
    }
}
