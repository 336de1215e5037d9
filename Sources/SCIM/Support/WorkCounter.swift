/// Counts the work of a hot path — tokens the JSON parser reads, key comparisons the writer
/// makes sorting members, values a filter compares — so that tests can check the work done
/// instead of a time: a count is the same on a loaded machine as on an idle one.
///
/// Production code passes `UncountedWork`, whose `add()` is empty, and the code is
/// specialised for it. Callgrind puts the price of the hook at 0.3% of a parse's
/// instructions, 0.05% of a write's (`make bench-json`) and 0.4% of a filter evaluation's;
/// a plain counter field cost the parser 0.7%, an optional counter object the evaluator
/// 0.7%.
protocol WorkCounter {
    mutating func add()
}

struct UncountedWork: WorkCounter {
    @inline(__always)
    mutating func add() {}
}

struct CountedWork: WorkCounter {
    private(set) var count = 0

    mutating func add() { count += 1 }
}
