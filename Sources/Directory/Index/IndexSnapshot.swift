import Files
import Foundation
import GitStore

/// The indexes as they were at a commit, saved when the server stops cleanly
/// (`.git/scimgit/index-snapshot`), so the next start reads one file instead of parsing
/// every user (seconds at 100,000 users). A snapshot of an older commit is still used: the
/// tree diff from its commit to HEAD says which files to read again. Anything unreadable
/// means a full rebuild; the snapshot is only ever a cache.
enum IndexSnapshot {
    static let magic = Array("scimgit-index-snapshot-2\n".utf8)

    static func path(gitDirectory: String) -> String {
        MetadataPaths(gitDirectory: gitDirectory).indexSnapshot
    }

    static func save(_ state: DirectoryIndex.State, head: ObjectID, to path: String) throws {
        var out = ByteWriter()
        out.bytes(magic)
        out.string(head.hex)
        out.int(state.summaries.count)
        for (id, summary) in state.summaries {
            out.string(id)
            out.byte(summary.kind.snapshotCode)
            out.string(summary.name)
            out.int64(summary.created)
            out.int(summary.keys.count)
            for keys in summary.keys {
                out.int(keys.count)
                for key in keys { out.string(key) }
            }
        }
        for kind in ResourceKind.all {
            let ids = state.order[kind] ?? []
            out.int(ids.count)
            for id in ids { out.string(id) }
        }
        out.int(state.members.count)
        for (group, members) in state.members {
            out.string(group)
            out.int(members.count)
            for (member, kind) in members {
                out.string(member)
                out.byte(kind.snapshotCode)
                let display = state.memberDisplays[group]?[member]
                out.string(display?.text ?? "")
                // "\u{0}": no name recorded (a file written before names were kept).
                out.string(display?.givenFor ?? "\u{0}")
            }
        }
        out.int(state.broken.count)
        for (id, file) in state.broken {
            out.string(id)
            out.string(file)
        }
        try AtomicFile.write(out.buffer, to: path)
    }

    /// The snapshot's commit and state, or nil when there is none or it cannot be read.
    static func load(from path: String) -> (head: ObjectID, state: DirectoryIndex.State)? {
        guard let data = try? AtomicFile.read(path) else { return nil }
        var input = ByteReader(data)
        guard input.bytes(magic.count) == magic, let head = input.string().flatMap(ObjectID.init(hex:)) else { return nil }
        var state = DirectoryIndex.State()
        guard let summaryCount = input.int() else { return nil }
        state.summaries.reserveCapacity(summaryCount)
        for _ in 0..<summaryCount {
            guard let id = input.string(), let kindByte = input.byte(), let name = input.string(),
                  let created = input.int64(), let pathCount = input.int() else { return nil }
            var keys: [[String]] = []
            for _ in 0..<pathCount {
                guard let count = input.int() else { return nil }
                var values: [String] = []
                for _ in 0..<count {
                    guard let key = input.string() else { return nil }
                    values.append(key)
                }
                keys.append(values)
            }
            guard let kind = ResourceKind.withSnapshotCode(kindByte) else { return nil }
            let summary = ResourceSummary(kind: kind, name: name, created: created, keys: keys)
            state.summaries[id] = summary
            state.addKeys(id, summary)
        }
        for kind in ResourceKind.all {
            guard let count = input.int() else { return nil }
            var ids: [String] = []
            ids.reserveCapacity(count)
            for _ in 0..<count {
                guard let id = input.string() else { return nil }
                ids.append(id)
            }
            state.order[kind] = ids
        }
        guard let groupCount = input.int() else { return nil }
        for _ in 0..<groupCount {
            guard let group = input.string(), let count = input.int() else { return nil }
            for _ in 0..<count {
                guard let member = input.string(), let kindByte = input.byte(), let display = input.string(), let givenFor = input.string() else { return nil }
                guard let kind = ResourceKind.withSnapshotCode(kindByte) else { return nil }
                state.addMember(member, to: group, kind: kind)
                if !display.isEmpty {
                    state.setMemberDisplay(MemberDisplay(text: display, givenFor: givenFor == "\u{0}" ? nil : givenFor), member: member, group: group)
                }
            }
        }
        guard let brokenCount = input.int() else { return nil }
        for _ in 0..<brokenCount {
            guard let id = input.string(), let file = input.string() else { return nil }
            state.broken[id] = file
        }
        guard input.atEnd else { return nil }
        return (head, state)
    }
}

extension IndexSnapshot {
    /// The resources whose name (whole, case-insensitive) was one of `names` (lowercased)
    /// at the snapshot's commit, found by reading the file once without building any index:
    /// how a history command finds a user among a million without parsing every file. Nil
    /// when there is no readable snapshot.
    static func resources(namedAnyOf names: Set<String>, from path: String) -> (head: ObjectID, found: [(kind: ResourceKind, id: String)])? {
        guard let data = try? AtomicFile.read(path) else { return nil }
        var input = ByteReader(data)
        guard input.bytes(magic.count) == magic, let head = input.string().flatMap(ObjectID.init(hex:)),
              let summaryCount = input.int() else { return nil }
        let lengths = Set(names.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map(\.utf8.count))
        var folded: [UInt8] = []
        var found: [(kind: ResourceKind, id: String)] = []
        for _ in 0..<summaryCount {
            guard let id = input.string(), let kindByte = input.byte(), let candidate = input.stringBytes(),
                  input.int64() != nil, let pathCount = input.int() else { return nil }
            for _ in 0..<pathCount {
                guard let count = input.int() else { return nil }
                for _ in 0..<count { guard input.stringBytes() != nil else { return nil } }
            }
            let matches: Bool
            if !candidate.contains(where: { $0 >= 0x80 }) {
                // Most names: ASCII, case folded as bytes; only names of a wanted length are
                // made into strings.
                guard lengths.contains(candidate.count) else { continue }
                folded.removeAll(keepingCapacity: true)
                for byte in candidate { folded.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
                matches = names.contains(String(decoding: folded, as: UTF8.self))
            } else {
                matches = names.contains(String(decoding: candidate, as: UTF8.self).lowercased())
            }
            if matches, let kind = ResourceKind.withSnapshotCode(kindByte) { found.append((kind, id)) }
        }
        return (head, found)
    }
}

/// Little-endian length-prefixed encoding for the snapshot.
struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ bytes: [UInt8]) { buffer += bytes }
    mutating func byte(_ value: UInt8) { buffer.append(value) }

    mutating func int64(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
    }

    mutating func int(_ value: Int) { int64(Int64(value)) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        int(utf8.count)
        buffer += utf8
    }
}

struct ByteReader {
    private let data: [UInt8]
    private var position = 0

    init(_ data: [UInt8]) {
        self.data = data
    }

    var atEnd: Bool { position == data.count }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= data.count else { return nil }
        defer { position += count }
        return Array(data[position..<(position + count)])
    }

    mutating func byte() -> UInt8? { bytes(1)?.first }

    mutating func int64() -> Int64? {
        guard position + 8 <= data.count else { return nil }
        var value: Int64 = 0
        for offset in 0..<8 { value |= Int64(data[position + offset]) << (8 * offset) }
        position += 8
        return value
    }

    mutating func int() -> Int? { int64().flatMap { $0 >= 0 && $0 < Int64(Int32.max) ? Int($0) : nil } }

    mutating func string() -> String? {
        stringBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    /// A string's bytes, not decoded.
    mutating func stringBytes() -> ArraySlice<UInt8>? {
        guard let count = int(), position + count <= data.count else { return nil }
        defer { position += count }
        return data[position..<(position + count)]
    }
}
