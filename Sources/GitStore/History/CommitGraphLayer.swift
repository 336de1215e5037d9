extension CommitGraph {
    /// One commit-graph file (gitformat-commit-graph): its commits sorted by id, each one's
    /// tree, parents and time, and, when written with `--changed-paths`, each one's Bloom
    /// filter of the paths it changed. Every read is bounds-checked against the file.
    struct Layer: Sendable {
        private let data: [UInt8]
        let count: Int
        private let fanout: Int
        private let lookup: Int
        private let commitData: Int
        /// Offsets of the BIDX and BDAT chunks, nil in a file written without Bloom filters.
        private let filters: (index: Int, data: Int, end: Int, hashCount: UInt32, bitsPerEntry: UInt32)?

        /// A commit's entry in CDAT: tree id, two parent positions, generation and time.
        private static let commitEntrySize = 36
        /// A parent position meaning "no parent".
        private static let noParent: UInt32 = 0x7000_0000

        init?(bytes: [UInt8]) {
            data = bytes
            // Header: "CGPH", version 1, hash version 1 (SHA-1), chunk count, base layers.
            guard bytes.count >= 8, bytes[0..<4].elementsEqual(Array("CGPH".utf8)), bytes[4] == 1, bytes[5] == 1 else { return nil }
            var chunks: [String: (start: Int, end: Int)] = [:]
            for index in 0..<Int(bytes[6]) {
                let entry = 8 + index * 12
                guard entry + 24 <= bytes.count else { return nil }
                let name = String(decoding: bytes[entry..<entry + 4], as: UTF8.self)
                let start = Layer.uint64(bytes, entry + 4)
                let end = Layer.uint64(bytes, entry + 16) // where the next chunk begins
                guard start <= end, end <= UInt64(bytes.count) else { return nil }
                chunks[name] = (Int(start), Int(end))
            }
            guard let oidFanout = chunks["OIDF"], oidFanout.end - oidFanout.start == 256 * 4,
                  let oidLookup = chunks["OIDL"], let commits = chunks["CDAT"] else { return nil }
            fanout = oidFanout.start
            count = Int(Layer.uint32(bytes, fanout + 255 * 4))
            lookup = oidLookup.start
            commitData = commits.start
            guard oidLookup.end - oidLookup.start == count * 20, commits.end - commits.start == count * Layer.commitEntrySize else { return nil }
            // BDAT's header: hash version (1 or 2: they differ only for bytes ≥ 0x80, which no
            // path scimgit asks about has), number of hashes, bits per entry.
            if let index = chunks["BIDX"], let bloom = chunks["BDAT"], index.end - index.start == count * 4, bloom.end - bloom.start >= 12,
               [1, 2].contains(Layer.uint32(bytes, bloom.start)), (1...32).contains(Layer.uint32(bytes, bloom.start + 4)) {
                filters = (index.start, bloom.start + 12, bloom.end, Layer.uint32(bytes, bloom.start + 4), Layer.uint32(bytes, bloom.start + 8))
            } else {
                filters = nil
            }
        }

        func position(of id: ObjectID) -> Int? {
            let first = Int(id.bytes[0])
            var low = first == 0 ? 0 : Int(Layer.uint32(data, fanout + (first - 1) * 4))
            var high = Int(Layer.uint32(data, fanout + first * 4))
            guard low <= high, high <= count else { return nil }
            while low < high {
                let middle = (low + high) / 2
                let start = lookup + middle * 20
                var order = 0
                for offset in 0..<20 where order == 0 {
                    let byte = data[start + offset], wanted = id.bytes[offset]
                    if byte != wanted { order = byte < wanted ? -1 : 1 }
                }
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }

        func commit(at position: Int) -> (id: ObjectID, parents: [Int])? {
            guard position >= 0, position < count, let id = ObjectID(bytes: Array(data[(lookup + position * 20)..<(lookup + position * 20 + 20)])) else { return nil }
            let entry = commitData + position * Layer.commitEntrySize
            var parents: [Int] = []
            for value in [Layer.uint32(data, entry + 20), Layer.uint32(data, entry + 24)] where value != Layer.noParent {
                // The high bit: an octopus merge's list in EDGE, not read here.
                guard value & 0x8000_0000 == 0 else { return nil }
                parents.append(Int(value))
            }
            return (id, parents)
        }

        func mayHaveChanged(at position: Int, _ key: Key) -> Bool {
            guard let filters, position >= 0, position < count else { return true }
            let end = Int(Layer.uint32(data, filters.index + position * 4))
            let start = position == 0 ? 0 : Int(Layer.uint32(data, filters.index + (position - 1) * 4))
            guard start < end, filters.data + end <= filters.end else { return true }
            let bits = UInt64(end - start) * 8
            for (first, second) in key.hashes {
                for number in 0..<filters.hashCount {
                    let bit = UInt64(first &+ number &* second) % bits
                    if data[filters.data + start + Int(bit / 8)] & (1 << (bit % 8)) == 0 { return false }
                }
            }
            return true
        }

        private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }

        private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
            UInt64(uint32(bytes, at)) << 32 | UInt64(uint32(bytes, at + 4))
        }
    }
}
