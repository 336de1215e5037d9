/// The changes a PATCH makes to a group's membership, tracked against a `MemberSet`
/// without materialising it.
struct MemberDelta {
    let base: any MemberSet
    private(set) var cleared = false
    private var added: [String: JSONValue] = [:]
    private var addedOrder: [String] = []
    private var removed: Set<String> = []
    private var removedOrder: [String] = []

    init(base: any MemberSet) {
        self.base = base
    }

    func contains(_ id: String) -> Bool {
        if added[id] != nil { return true }
        if cleared || removed.contains(id) { return false }
        return base.contains(id)
    }

    /// Adds a member (`{"value": id, …}`); a member already there is left as it is.
    mutating func add(_ member: JSONValue) {
        guard let id = member["value"]?.stringValue, !contains(id) else { return }
        if !cleared, removed.contains(id) {
            removed.remove(id)  // it was there before this request: nothing to add
            return
        }
        added[id] = member
        addedOrder.append(id)
    }

    /// Removes a member by id; one that is not there is ignored (IdPs retry).
    mutating func remove(_ id: String) {
        if added.removeValue(forKey: id) != nil { return }
        guard !cleared, base.contains(id), removed.insert(id).inserted else { return }
        removedOrder.append(id)
    }

    mutating func clear() {
        cleared = true
        added = [:]
        addedOrder = []
        removed = []
        removedOrder = []
    }

    /// The membership as it stands (O(n): reads `allMembers()` unless cleared).
    func currentMembers() -> [JSONValue] {
        var result: [JSONValue] = []
        if !cleared {
            for member in base.allMembers() {
                guard let id = member["value"]?.stringValue, !removed.contains(id), added[id] == nil else { continue }
                result.append(member)
            }
        }
        var seen: Set<String> = []
        for id in addedOrder where seen.insert(id).inserted {
            if let member = added[id] { result.append(member) }
        }
        return result
    }

    /// Sets the whole membership (for operations that had to materialise it).
    mutating func replaceAll(with members: [JSONValue]) {
        clear()
        for member in members { add(member) }
    }

    /// Members added (objects) and removed (ids) relative to the `MemberSet`.
    func outcome() -> (added: [JSONValue], removed: [String]) {
        var seen: Set<String> = []
        var addedMembers: [JSONValue] = []
        for id in addedOrder where seen.insert(id).inserted {
            guard let member = added[id] else { continue }
            if cleared && base.contains(id) { continue }  // re-listed by a replace: it never left
            addedMembers.append(member)
        }
        if cleared {
            let removedIDs = base.allMembers().compactMap { $0["value"]?.stringValue }.filter { added[$0] == nil }
            return (addedMembers, removedIDs)
        }
        return (addedMembers, removedOrder.filter { removed.contains($0) })
    }
}
