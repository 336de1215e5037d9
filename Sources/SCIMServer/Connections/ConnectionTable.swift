/// Which connections are open and, at the cap, which one makes room for a new one.
///
/// Holding a socket open costs an attacker nothing, and reaching the cap must not lock out
/// the identity providers. So a connection that has sent an authenticated request is
/// trusted and never evicted; when a new connection arrives at the cap, the oldest
/// untrusted connection that is not in the middle of a request is closed for it; when
/// there is none, the new connection is refused. The new connection itself starts
/// untrusted, so a flood of idle sockets only ever displaces its own kind.
///
/// Plain bookkeeping, not thread-safe: `ConnectionTracker` serialises access and closes
/// the channels.
struct ConnectionTable<Key: Hashable, Handle> {
    enum Admission {
        /// Admitted; `evicted` must be closed to make room.
        case admitted(evicted: Handle?)
        /// At the cap and nothing can be evicted: close the new connection.
        case refused
    }

    private struct Entry {
        var handle: Handle
        var arrival: UInt64
        var isTrusted = false
        var requestsInProgress = 0
    }

    /// The most connections open at once.
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    /// Untrusted connections, oldest first. Slots go stale when their connection closes or
    /// becomes trusted (a slot is live only while its entry has the same arrival number);
    /// the stale ones are skipped, dropped from the front and compacted away.
    private var arrivalOrder: [(arrival: UInt64, key: Key)] = []
    private var front = 0
    private var arrivals: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a connection table needs room for at least one connection")
        self.capacity = capacity
    }

    /// How many connections are open.
    var count: Int { entries.count }

    /// Records a new connection, evicting one if the table is full.
    mutating func admit(_ key: Key, handle: Handle) -> Admission {
        var evicted: Handle?
        if entries.count >= capacity {
            guard let victim = evictOldestIdleUntrusted() else { return .refused }
            evicted = victim
        }
        arrivals += 1
        entries[key] = Entry(handle: handle, arrival: arrivals)
        arrivalOrder.append((arrivals, key))
        return .admitted(evicted: evicted)
    }

    /// A request head arrived: the connection is busy until its response has been written.
    mutating func requestStarted(_ key: Key) {
        entries[key]?.requestsInProgress += 1
    }

    /// A response has been written.
    mutating func requestFinished(_ key: Key) {
        guard let entry = entries[key], entry.requestsInProgress > 0 else { return }
        entries[key]?.requestsInProgress -= 1
    }

    /// The connection carried an authenticated request: it is never evicted.
    mutating func trust(_ key: Key) {
        guard entries[key]?.isTrusted == false else { return }
        entries[key]?.isTrusted = true
        compactIfSparse()
    }

    /// The connection closed.
    mutating func remove(_ key: Key) {
        guard entries.removeValue(forKey: key) != nil else { return }
        compactIfSparse()
    }

    func isTrusted(_ key: Key) -> Bool { entries[key]?.isTrusted ?? false }

    func contains(_ key: Key) -> Bool { entries[key] != nil }

    private func isLive(_ slot: (arrival: UInt64, key: Key)) -> Bool {
        guard let entry = entries[slot.key] else { return false }
        return entry.arrival == slot.arrival && !entry.isTrusted
    }

    private mutating func evictOldestIdleUntrusted() -> Handle? {
        var index = front
        while index < arrivalOrder.count {
            let slot = arrivalOrder[index]
            if !isLive(slot) {
                if index == front { front += 1 }
            } else if let entry = entries[slot.key], entry.requestsInProgress == 0 {
                entries[slot.key] = nil
                if index == front { front += 1 }
                compactIfSparse()
                return entry.handle
            }
            index += 1
        }
        return nil
    }

    /// Keeps `arrivalOrder` within a small multiple of the open connections, so a server
    /// that never reaches the cap does not remember every connection it ever had.
    private mutating func compactIfSparse() {
        let slots = arrivalOrder.count - front
        guard front > 1024 || slots > 2 * entries.count + 64 else { return }
        arrivalOrder = arrivalOrder[front...].filter(isLive)
        front = 0
    }
}
