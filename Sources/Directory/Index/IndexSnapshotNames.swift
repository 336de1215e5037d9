import Files
import GitStore

extension IndexSnapshot {
    /// The resources whose name (whole, case-insensitive) was one of `names` (lowercased)
    /// at the snapshot's commit, found by reading the file once without building any index:
    /// how a history command finds a user among a million without parsing every file. Nil
    /// when there is no readable snapshot.
    static func resources(namedAnyOf names: Set<String>, from path: String) -> (head: ObjectID, found: [(kind: ResourceKind, id: String)])? {
        guard let data = try? AtomicFile.read(path) else { return nil }
        var input = ByteReader(data)
        guard let (head, _) = header(&input), let summaryCount = input.int(),
              let chunks = chunks(&input, holding: summaryCount) else { return nil }
        let lengths = Set(names.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map(\.utf8.count))
        let found = parallelMap(chunks.count) { chunk -> [(kind: ResourceKind, id: String)]? in
            var input = chunks[chunk].reader
            var folded: [UInt8] = []
            var found: [(kind: ResourceKind, id: String)] = []
            for _ in 0..<chunks[chunk].count {
                guard let id = input.stringBytes(), let kindByte = input.byte(), let candidate = input.stringBytes(),
                      input.int64() != nil, let pathCount = input.int() else { return nil }
                for _ in 0..<pathCount {
                    guard let count = input.int() else { return nil }
                    for _ in 0..<count { guard input.stringBytes() != nil else { return nil } }
                }
                let matches: Bool
                if !candidate.contains(where: { $0 >= 0x80 }) {
                    // Most names: ASCII, case folded as bytes; only names of a wanted length
                    // are made into strings.
                    guard lengths.contains(candidate.count) else { continue }
                    folded.removeAll(keepingCapacity: true)
                    for byte in candidate { folded.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
                    matches = names.contains(String(decoding: folded, as: UTF8.self))
                } else {
                    matches = names.contains(String(decoding: candidate, as: UTF8.self).lowercased())
                }
                if matches, let kind = ResourceKind.withSnapshotCode(kindByte) { found.append((kind, String(decoding: id, as: UTF8.self))) }
            }
            return found
        }
        var all: [(kind: ResourceKind, id: String)] = []
        for chunk in found {
            guard let chunk else { return nil }
            all += chunk
        }
        return (head, all)
    }
}
