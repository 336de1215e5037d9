/// Reads what `ByteWriter` wrote; every read is bounds-checked and nil past the end.
struct ByteReader {
    private let data: [UInt8]
    private var position: Int
    /// Where this reader's bytes end (a section ends before the data does).
    private let end: Int

    init(_ data: [UInt8]) {
        self.init(data, from: 0, to: data.count)
    }

    private init(_ data: [UInt8], from start: Int, to end: Int) {
        self.data = data
        position = start
        self.end = end
    }

    var atEnd: Bool { position == end }

    /// The next `count` bytes as a reader of their own (sharing the data), passed over in
    /// this one: parts a writer sized up front can be read on several cores at once.
    mutating func section(_ count: Int) -> ByteReader? {
        guard count >= 0, count <= end - position else { return nil }
        defer { position += count }
        return ByteReader(data, from: position, to: position + count)
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= end - position else { return nil }
        defer { position += count }
        return Array(data[position..<(position + count)])
    }

    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return data[position]
    }

    mutating func int64() -> Int64? {
        guard end - position >= 8 else { return nil }
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
        guard let count = int(), count <= end - position else { return nil }
        defer { position += count }
        return data[position..<(position + count)]
    }
}
