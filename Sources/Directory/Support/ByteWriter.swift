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
        int(value.utf8.count)
        buffer.append(contentsOf: value.utf8)
    }
}

extension ByteWriter {
    /// Writes what `body` writes, preceded by its length (`ByteReader.section` reads it).
    mutating func section(_ body: (inout ByteWriter) throws -> Void) rethrows {
        let lengthAt = buffer.count
        int(0)
        try body(&self)
        let length = Int64(buffer.count - lengthAt - 8)
        withUnsafeBytes(of: length.littleEndian) { buffer.replaceSubrange(lengthAt..<(lengthAt + 8), with: $0) }
    }
}
