import Files
import Foundation
import GitStore

/// The console's `HistoryIndex` kept on disk (`.git/scimgit/history-index`), so that a
/// restarted server reads only the commits made since it was written instead of walking
/// and diffing all of history again (100,000 commits take seconds; the file loads in
/// milliseconds). A cache: a missing, corrupt or foreign file is ignored and rebuilt, and
/// the walk that follows a load checks that the file's head is still in HEAD's history.
///
/// Layout (little-endian): `SGHI`, version, counts width, head, entry count, then per
/// entry its id, time, flags, client, subject, operation, resource and counts.
struct HistoryIndexFile {
    struct Contents {
        var head: ObjectID
        var entries: [LogEntry]
        var counts: [ObjectID: [UInt32]]
    }

    static let magic: [UInt8] = Array("SGHI".utf8)
    static let version: UInt32 = 1
    /// How many numbers `Sync.Counts.packed` holds: a file written for other kinds is ignored.
    static var countsWidth: Int { ResourceKind.all.count * 5 + 2 }

    static func encode(_ contents: Contents) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + contents.entries.count * 160)
        out += magic
        append(version, to: &out)
        append(UInt32(countsWidth), to: &out)
        out += contents.head.bytes
        append(UInt32(contents.entries.count), to: &out)
        for entry in contents.entries {
            out += entry.id.bytes
            append(entry.time.timeIntervalSince1970.bitPattern, to: &out)
            let counts = contents.counts[entry.id]
            let flags: UInt8 = (entry.operation == nil ? 0 : 1) | (entry.resource == nil ? 0 : 2) | (counts == nil ? 0 : 4)
            out.append(flags)
            append(entry.client, to: &out)
            append(entry.subject, to: &out)
            if let operation = entry.operation { append(operation, to: &out) }
            if let resource = entry.resource { append(resource, to: &out) }
            for number in counts ?? [] { append(number, to: &out) }
        }
        return out
    }

    /// nil for anything this version did not write.
    static func decode(_ bytes: [UInt8]) -> Contents? {
        var reader = Reader(bytes: bytes)
        guard reader.bytes(4) == magic, reader.uint32() == version, reader.uint32() == UInt32(countsWidth),
              let headBytes = reader.bytes(20), let head = ObjectID(bytes: headBytes), let count = reader.uint32()
        else { return nil }
        var entries: [LogEntry] = []
        var counts: [ObjectID: [UInt32]] = [:]
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let idBytes = reader.bytes(20), let id = ObjectID(bytes: idBytes), let time = reader.uint64(), let flags = reader.byte(),
                  let client = reader.string(), let subject = reader.string()
            else { return nil }
            var operation: String?, resource: String?
            if flags & 1 != 0 { guard let value = reader.string() else { return nil }; operation = value }
            if flags & 2 != 0 { guard let value = reader.string() else { return nil }; resource = value }
            if flags & 4 != 0 {
                var packed: [UInt32] = []
                packed.reserveCapacity(countsWidth)
                for _ in 0..<countsWidth {
                    guard let number = reader.uint32() else { return nil }
                    packed.append(number)
                }
                counts[id] = packed
            }
            entries.append(LogEntry(id: id, time: Date(timeIntervalSince1970: Double(bitPattern: time)), client: client, subject: subject, operation: operation, resource: resource))
        }
        guard reader.isAtEnd else { return nil }
        return Contents(head: head, entries: entries, counts: counts)
    }

    static func read(_ path: String) -> Contents? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return decode(bytes)
    }

    /// Not flushed to disk: losing it costs one walk of history, never data.
    static func write(_ contents: Contents, to path: String) throws {
        try AtomicFile.write(encode(contents), to: path, mode: 0o600)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        append(UInt32(utf8.count), to: &out)
        out += utf8
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func bytes(_ count: Int) -> [UInt8]? {
            guard count >= 0, bytes.count - position >= count else { return nil }
            defer { position += count }
            return Array(bytes[position..<position + count])
        }

        mutating func byte() -> UInt8? { bytes(1)?.first }

        mutating func uint32() -> UInt32? { integer() }
        mutating func uint64() -> UInt64? { integer() }

        private mutating func integer<T: FixedWidthInteger>() -> T? {
            let size = MemoryLayout<T>.size
            guard bytes.count - position >= size else { return nil }
            var value: T = 0
            for offset in 0..<size { value |= T(bytes[position + offset]) << (8 * offset) }
            position += size
            return value
        }

        mutating func string() -> String? {
            guard let length = uint32(), let utf8 = bytes(Int(length)) else { return nil }
            return String(decoding: utf8, as: UTF8.self)
        }
    }
}
