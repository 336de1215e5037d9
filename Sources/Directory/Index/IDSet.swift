/// A set of resource ids that costs nothing extra when it holds one id — the common case
/// in the indexes (one user per userName, one group per member of most users): 100,000
/// one-element `Set`s would each allocate a hash table.
enum IDSet: Sendable, Hashable, Sequence {
    case one(String)
    case many(Set<String>)

    init(_ id: String) {
        self = .one(id)
    }

    var count: Int {
        switch self {
        case .one: return 1
        case let .many(set): return set.count
        }
    }

    var first: String? {
        switch self {
        case let .one(id): return id
        case let .many(set): return set.first
        }
    }

    func contains(_ id: String) -> Bool {
        switch self {
        case let .one(only): return only == id
        case let .many(set): return set.contains(id)
        }
    }

    /// Adds an id, in place (a key such as `active = true` holds nearly every user:
    /// copying its set on each insert would be quadratic).
    mutating func insert(_ id: String) {
        switch self {
        case let .one(only):
            if only != id { self = .many([only, id]) }
        case var .many(set):
            self = .one("") // drop this enum's reference, so `set` is unique and grows in place
            set.insert(id)
            self = .many(set)
        }
    }

    /// Removes an id, in place; returns false when none is left.
    mutating func remove(_ id: String) -> Bool {
        switch self {
        case let .one(only):
            return only != id
        case var .many(set):
            self = .one("")
            set.remove(id)
            if set.count == 1, let last = set.first {
                self = .one(last)
            } else {
                self = .many(set)
            }
            return !set.isEmpty
        }
    }

    func makeIterator() -> AnyIterator<String> {
        switch self {
        case let .one(id):
            var done = false
            return AnyIterator {
                defer { done = true }
                return done ? nil : id
            }
        case let .many(set):
            return AnyIterator(set.makeIterator())
        }
    }
}
