/// The order a bulk request's operations run in: the request's own order, except that an
/// operation referring to `bulkId:x` runs after the POST defining `x`, wherever that POST
/// is in the request (RFC 7644 §3.7.2 lets a client list them in any order).
///
/// References in a circle (a group whose member is a group that contains the first) cannot
/// be resolved by creating one resource before the other, and are refused with `409` as
/// §3.7.1 allows, as is every operation waiting on such a circle; nothing of theirs runs.
public struct BulkPlan: Sendable {
    /// Every operation's index, each once, in the order they run.
    public var order: [Int]
    /// Why an operation cannot run: the circle it is in or waits on.
    public var refused: [Int: SCIMError]

    public init(_ operations: [BulkOperation]) {
        var definer: [String: Int] = [:]
        for (index, operation) in operations.enumerated() {
            if let bulkId = operation.bulkId { definer[bulkId] = index }
        }
        enum Mark { case visiting, done }
        var marks: [Int: Mark] = [:]
        var order: [Int] = []
        var refused: [Int: SCIMError] = [:]
        var stack: [Int] = []

        /// False when `index` cannot run (a circle in or under it).
        func visit(_ index: Int) -> Bool {
            switch marks[index] {
            case .done?: return refused[index] == nil
            case .visiting?:
                let circle = stack.drop(while: { $0 != index }) + [index]
                let names = circle.map { "bulkId:\(operations[$0].bulkId ?? "?")" }.joined(separator: " → ")
                for member in circle where refused[member] == nil {
                    refused[member] = .conflict("Operations[\(member)] is part of a circle of bulkId references (\(names)); create one of them first, then PATCH the reference in")
                }
                return false
            case nil: break
            }
            marks[index] = .visiting
            stack.append(index)
            var runnable = true
            for name in operations[index].references.sorted() {
                guard let definer = definer[name] else { continue }
                if !visit(definer) {
                    runnable = false
                    if refused[index] == nil {
                        refused[index] = .conflict("Operations[\(index)] waits on bulkId:\(name), which is part of a circle of bulkId references")
                    }
                }
            }
            stack.removeLast()
            marks[index] = .done
            order.append(index)
            return runnable && refused[index] == nil
        }

        for index in operations.indices { _ = visit(index) }
        self.order = order
        self.refused = refused
    }
}
