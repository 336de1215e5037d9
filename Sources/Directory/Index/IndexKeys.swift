/// A resource's index keys, one run of values per indexed path of its kind, in one array.
///
/// Kept for every resource (a million at the largest stores), so the layout counts: an
/// array per path made six allocations per user (about 400 bytes); this is one array and
/// the run lengths packed into a word. A path with 255 values or more (a user with that many
/// emails) moves the lengths into an array of their own.
struct IndexKeys: Sendable, Hashable {
    private(set) var values: [String]
    /// The length of path i's run in bits 8i..<8i+8, when `wideCounts` is empty.
    private var packedCounts: UInt64
    /// Every run's length, when one does not fit in 8 bits or there are more than 8 paths.
    private var wideCounts: [Int]

    init(_ runs: [[String]]) {
        values = runs.flatMap { $0 }
        if runs.count <= 8, runs.allSatisfy({ $0.count < 256 }) {
            packedCounts = runs.enumerated().reduce(0) { $0 | UInt64($1.element.count) << (8 * UInt64($1.offset)) }
            wideCounts = []
        } else {
            packedCounts = 0
            wideCounts = runs.map(\.count)
        }
        pathCount = runs.count
    }

    /// How many paths there are runs for.
    let pathCount: Int

    /// The values of path `index`.
    subscript(index: Int) -> ArraySlice<String> { values[positions(of: index)] }

    /// Calls `body` with each value of path `index`, without making a slice.
    func forEach(path index: Int, _ body: (String) -> Void) {
        for position in positions(of: index) { body(values[position]) }
    }

    /// Every run, in path order.
    var runs: [ArraySlice<String>] { (0..<pathCount).map { self[$0] } }

    /// Where path `index`'s run is in `values`.
    private func positions(of index: Int) -> Range<Int> {
        var start = 0
        for earlier in 0..<index { start += count(earlier) }
        return start..<(start + count(index))
    }

    private func count(_ index: Int) -> Int {
        wideCounts.isEmpty ? Int((packedCounts >> (8 * UInt64(index))) & 0xFF) : wideCounts[index]
    }
}
