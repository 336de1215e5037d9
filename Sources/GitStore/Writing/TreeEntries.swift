import CLibgit2

/// One tree's entries, always kept in git's order.
///
/// Every commit rewrites the trees on its path, and at 100,000 users the root's children
/// hold 256 entries each. Held in a dictionary, each rewrite sorted them again with string
/// comparisons: a fifth of the server's CPU under a stream of writes. Here an update is a
/// binary search and an insert in place, and serializing is a copy.
struct TreeEntries {
    struct Entry {
        var mode: git_filemode_t
        var id: ObjectID
    }

    /// An entry with its serialized header (`<octal mode> <name>\0`) built once, so that
    /// serializing the tree is two copies per entry.
    private struct Item {
        var header: [UInt8]
        /// Where the name starts in `header` (after the mode and its space).
        var nameStart: Int
        var mode: git_filemode_t
        var oid: git_oid
        var isTree: Bool { mode == GIT_FILEMODE_TREE }

        init(name: [UInt8], mode: git_filemode_t, oid: git_oid) {
            var header = Item.modeText(mode)
            header.append(UInt8(ascii: " "))
            nameStart = header.count
            header.append(contentsOf: name)
            header.append(0)
            self.header = header
            self.mode = mode
            self.oid = oid
        }

        /// The name: the header between the space and the final NUL.
        func withName<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            header.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[nameStart..<(all.count - 1)])) }
        }

        static func modeText(_ mode: git_filemode_t) -> [UInt8] {
            switch mode {
            case GIT_FILEMODE_TREE: return Array("40000".utf8)
            case GIT_FILEMODE_BLOB: return Array("100644".utf8)
            default: return Array(String(mode.rawValue, radix: 8).utf8)
            }
        }
    }

    private var items: [Item] = []

    init() {}

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }

    /// Appends an entry known to sort after every entry so far (a tree read from git).
    mutating func appendInOrder(name: [UInt8], mode: git_filemode_t, oid: git_oid) {
        items.append(Item(name: name, mode: mode, oid: oid))
    }

    mutating func reserveCapacity(_ count: Int) {
        items.reserveCapacity(count)
    }

    subscript(name: String) -> Entry? {
        get {
            let bytes = Array(name.utf8)
            return position(of: bytes).map { Entry(mode: items[$0].mode, id: ObjectID(items[$0].oid)) }
        }
        set {
            let bytes = Array(name.utf8)
            if let existing = position(of: bytes) {
                if let newValue, newValue.mode == items[existing].mode {
                    items[existing].oid = newValue.id.oid
                    return
                }
                items.remove(at: existing)
            }
            guard let newValue else { return }
            let isTree = newValue.mode == GIT_FILEMODE_TREE
            let at = insertionPoint(bytes, isTree: isTree)
            items.insert(Item(name: bytes, mode: newValue.mode, oid: newValue.id.oid), at: at)
        }
    }

    /// git's tree format: `<octal mode> <name>\0<20-byte id>` per entry, in order.
    func serialized() -> [UInt8] {
        let size = items.reduce(0) { $0 + $1.header.count + 20 }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress.map(UnsafeMutableRawPointer.init) else { return }
            var offset = 0
            for item in items {
                item.header.withUnsafeBytes { header in
                    (base + offset).copyMemory(from: header.baseAddress!, byteCount: header.count)
                }
                offset += item.header.count
                withUnsafeBytes(of: item.oid.id) { id in
                    (base + offset).copyMemory(from: id.baseAddress!, byteCount: 20)
                }
                offset += 20
            }
            initialized = size
        }
    }

    /// Where `name` is, whether it names a blob or a tree (their places in git's order
    /// differ, so both are looked at).
    private func position(of name: [UInt8]) -> Int? {
        for isTree in [false, true] {
            let at = insertionPoint(name, isTree: isTree)
            if at < items.count, items[at].withName({ $0.elementsEqual(name) }) { return at }
        }
        return nil
    }

    /// The first position whose entry does not sort before (`name`, `isTree`).
    private func insertionPoint(_ name: [UInt8], isTree: Bool) -> Int {
        var low = 0
        var high = items.count
        while low < high {
            let middle = (low + high) / 2
            let before = items[middle].withName { existing in
                name.withUnsafeBufferPointer { TreeEntries.precedes(existing, items[middle].isTree, $0, isTree) }
            }
            if before {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// git's tree order: bytewise, a tree's name continuing with "/" where it ends.
    static func precedes(_ a: [UInt8], _ aIsTree: Bool, _ b: [UInt8], _ bIsTree: Bool) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in precedes(a, aIsTree, b, bIsTree) } }
    }

    static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ aIsTree: Bool, _ b: UnsafeBufferPointer<UInt8>, _ bIsTree: Bool) -> Bool {
        let shared = min(a.count, b.count)
        for position in 0..<shared where a[position] != b[position] {
            return a[position] < b[position]
        }
        let nextA = a.count > shared ? Int(a[shared]) : (aIsTree ? 0x2f : -1)
        let nextB = b.count > shared ? Int(b[shared]) : (bIsTree ? 0x2f : -1)
        return nextA < nextB
    }
}
