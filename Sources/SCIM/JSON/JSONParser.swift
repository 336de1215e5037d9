/// A strict RFC 8259 JSON parser working directly on UTF-8 bytes.
///
/// It exists because every GET parses a stored resource and startup parses the whole
/// store (100,000 files), and because request bodies are untrusted: it validates UTF-8,
/// refuses duplicate keys (different parsers would disagree on which one wins), enforces a
/// nesting limit with an explicit stack instead of recursion (so 100,000 nested `[` fail
/// fast with `invalidSyntax` instead of overflowing the stack), and reports the byte
/// offset of every error. Integers that fit in `Int64` are `.int`; other numbers are
/// `.decimal`, and a number beyond `Double`'s range (`1e400`) is refused rather than
/// turned into infinity, which JSON cannot represent.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    private let maxDepth: Int

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // Open containers, innermost last. `kinds` says which stack holds each level.
    private var kinds: [Bool] = []  // true = object, false = array
    private var arrays: [[JSONValue]] = []
    private var objects: [[String: JSONValue]] = []
    private var pendingKeys: [String] = []

    mutating func parseDocument() throws(SCIMError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("empty document") }
        var value: JSONValue
        parsing: while true {
            // 1. Read one value, or open a container and loop to read its first member.
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                guard kinds.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object([:])
                } else {
                    try open(object: true)
                    let key = try parseKey()
                    pendingKeys.append(key)
                    continue parsing
                }
            case UInt8(ascii: "["):
                guard kinds.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    try open(object: false)
                    continue parsing
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            default:
                throw error("unexpected \(describe(bytes[position])), expected a value")
            }

            // 2. Attach the finished value to its container; close containers as they end.
            while let isObject = kinds.last {
                skipWhitespace()
                if isObject {
                    let key = pendingKeys.removeLast()
                    let top = objects.count - 1
                    if objects[top].updateValue(value, forKey: key) != nil {
                        throw error("duplicate key \"\(key)\"")
                    }
                    guard position < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        pendingKeys.append(try parseKey())
                        continue parsing
                    } else if byte == UInt8(ascii: "}") {
                        position += 1
                        kinds.removeLast()
                        value = .object(objects.removeLast())
                    } else {
                        throw error("unexpected \(describe(byte)), expected ',' or '}'")
                    }
                } else {
                    let top = arrays.count - 1
                    arrays[top].append(value)
                    guard position < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        continue parsing
                    } else if byte == UInt8(ascii: "]") {
                        position += 1
                        kinds.removeLast()
                        value = .array(arrays.removeLast())
                    } else {
                        throw error("unexpected \(describe(byte)), expected ',' or ']'")
                    }
                }
            }
            break parsing
        }
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected \(describe(bytes[position])) after the document") }
        return value
    }

    // MARK: Containers

    private mutating func open(object: Bool) throws(SCIMError) {
        guard kinds.count < maxDepth else {
            throw error("nesting deeper than \(maxDepth) levels")
        }
        kinds.append(object)
        if object { objects.append([:]) } else { arrays.append([]) }
    }

    /// Reads `"key"` and the following `:` (whitespace allowed around the colon).
    private mutating func parseKey() throws(SCIMError) -> String {
        guard position < bytes.count else { throw error("unexpected end of input, expected a key") }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw error("unexpected \(describe(bytes[position])), expected a string key")
        }
        let key = try parseString()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw error(position < bytes.count ? "unexpected \(describe(bytes[position])), expected ':'" : "unexpected end of input, expected ':'")
        }
        position += 1
        return key
    }

    // MARK: Scalars

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SCIMError) {
        let count = literal.utf8CodeUnitCount
        let start = position
        guard bytes.count - position >= count else { throw error("invalid literal", at: start) }
        let pointer = literal.utf8Start
        for i in 0..<count where bytes[position + i] != pointer[i] {
            throw error("invalid literal", at: start)
        }
        position += count
    }

    private mutating func parseNumber() throws(SCIMError) -> JSONValue {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw error("invalid number: expected a digit", at: position)
        }
        // Integer part, accumulated negatively so Int64.min fits.
        var accumulator: Int64 = 0
        var overflow = false
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error("invalid number: leading zero", at: start)
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
                if !overflow {
                    let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { accumulator = next }
                }
                position += 1
            }
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("invalid number: expected a digit after '.'", at: position)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("invalid number: expected a digit in the exponent", at: position)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if isInteger && !overflow {
            if negative { return .int(accumulator) }
            if accumulator != Int64.min { return .int(-accumulator) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw error("number out of range", at: start)
        }
        return .decimal(double)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Parses a string starting at the opening quote. Strings without escapes are decoded
    /// straight from the input buffer.
    mutating func parseString() throws(SCIMError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: scan to the closing quote; validate multi-byte sequences as we go.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in string") }
            if byte < 0x80 { position += 1 } else { position += try utf8SequenceLength(at: position) }
        }
        guard position < bytes.count else { throw error("unterminated string", at: start - 1) }
        // Slow path: copy what was scanned, then decode escapes.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw error("unescaped control character in string")
            case 0..<0x80:
                buffer.append(byte)
                position += 1
            default:
                let length = try utf8SequenceLength(at: position)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
                position += length
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(SCIMError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw error("unterminated escape", at: escapeStart) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in \\u escape", at: escapeStart)
                }
                position += 2
                let low = try parseHex4(escapeStart: escapeStart)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw error("unpaired surrogate in \\u escape", at: escapeStart) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error("unpaired surrogate in \\u escape", at: escapeStart)
            }
            appendUTF8(scalar, to: &buffer)
        default:
            throw error("invalid escape \\\(describeRaw(byte))", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(SCIMError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw error("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | (scalar >> 6)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | (scalar >> 12)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            buffer.append(UInt8(0xF0 | (scalar >> 18)))
            buffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Length of the well-formed UTF-8 sequence starting at `index` (its first byte ≥ 0x80),
    /// or an error: overlong forms, surrogates and values above U+10FFFF are refused.
    private func utf8SequenceLength(at index: Int) throws(SCIMError) -> Int {
        let b0 = bytes[index]
        let remaining = bytes.count - index
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            offset < remaining && bytes[index + offset] >= low && bytes[index + offset] <= high
        }
        switch b0 {
        case 0xC2...0xDF:
            if continuation(1) { return 2 }
        case 0xE0:
            if continuation(1, 0xA0, 0xBF) && continuation(2) { return 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if continuation(1) && continuation(2) { return 3 }
        case 0xED:
            if continuation(1, 0x80, 0x9F) && continuation(2) { return 3 }
        case 0xF0:
            if continuation(1, 0x90, 0xBF) && continuation(2) && continuation(3) { return 4 }
        case 0xF1...0xF3:
            if continuation(1) && continuation(2) && continuation(3) { return 4 }
        case 0xF4:
            if continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) { return 4 }
        default:
            break
        }
        throw error("invalid UTF-8", at: index)
    }

    // MARK: Errors

    private func error(_ message: String, at offset: Int? = nil) -> SCIMError {
        .invalidSyntax("invalid JSON at byte \(offset ?? position): \(message)")
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func describeRaw(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "0x" + String(byte, radix: 16)
    }
}

extension JSONValue {
    /// The default nesting limit: SCIM resources are at most four levels deep; 64 leaves
    /// room for extension data while keeping hostile input cheap to refuse.
    public static let defaultMaxDepth = 64

    /// Parses a JSON document (RFC 8259, UTF-8). Errors are `400 invalidSyntax` and give the
    /// byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(SCIMError) -> JSONValue {
        let typed = bytes.bindMemory(to: UInt8.self)
        var parser = JSONParser(bytes: typed, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses a JSON document held in a byte array.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(SCIMError) -> JSONValue {
        let result: Result<JSONValue, SCIMError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            do throws(SCIMError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses a JSON document from any collection of bytes (contiguous ones are not copied).
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(SCIMError) -> JSONValue {
        let contiguous: Result<JSONValue, SCIMError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            do throws(SCIMError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        if let contiguous { return try contiguous.get() }
        return try parse(Array(bytes), maxDepth: maxDepth)
    }

    /// Parses a JSON document from a string.
    public static func parse(_ string: String, maxDepth: Int = defaultMaxDepth) throws(SCIMError) -> JSONValue {
        var string = string
        let result: Result<JSONValue, SCIMError> = string.withUTF8 { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            do throws(SCIMError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
