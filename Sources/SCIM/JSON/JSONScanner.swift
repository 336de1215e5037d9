/// The byte-level grammar of JSON (RFC 8259) that `JSONParser` and `JSONCompactor` share:
/// whitespace, literals, the number grammar, strings with their escapes and UTF-8, and the
/// nesting limit.
///
/// The compactor re-emits stored bytes only when the parser would accept them, so both
/// must agree on every token; one scanner makes that agreement a fact instead of a test.
/// It reads an unsafe buffer, as the parser did: `make bench-json` (callgrind, the
/// fixtures' users and groups) counted 0.4% more instructions per parse than with the
/// parser's own copy, and 10% fewer per compaction than the compactor's bounds-checked
/// `[UInt8]` copy. Errors are `invalidSyntax` with the byte offset and the parser's
/// wording; the compactor only needs to know that there was one.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let maxDepth: Int

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int = 0, maxDepth: Int) {
        self.bytes = bytes
        self.position = position
        self.maxDepth = maxDepth
    }

    /// What escapes a scanned string holds: the compactor copies strings with simple
    /// escapes as they are, and leaves `\u` (surrogate pairs, normalisation) to the parser.
    enum Escapes: Comparable {
        case none, simple, unicode
    }

    @inline(__always)
    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at `position`, or nil at the end.
    @inline(__always)
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: Nesting

    /// Refuses the container at `position` (its `{` or `[`) when `enclosing` containers are
    /// already open around it and it would be one level too many. The callers count the
    /// levels themselves (the parser's stack, the compactor's recursion): a counter kept
    /// here cost the parser 1% more instructions.
    @inline(__always)
    func checkDepth(enclosing: Int) throws(SCIMError) {
        guard enclosing < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    }

    // MARK: Literals and numbers

    /// `true`, `false` or `null` at `position`.
    @inline(__always)
    mutating func scanLiteral(_ literal: StaticString) throws(SCIMError) {
        let count = literal.utf8CodeUnitCount
        let start = position
        guard bytes.count - position >= count else { throw error("invalid literal", at: start) }
        let pointer = literal.utf8Start
        for i in 0..<count where bytes[position + i] != pointer[i] {
            throw error("invalid literal", at: start)
        }
        position += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `position`. Returns the value
    /// when the number is an integer that fits in `Int64`; nil for any other number, whose
    /// text is `bytes[start..<position]`.
    mutating func scanNumber() throws(SCIMError) -> Int64? {
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
        guard isInteger && !overflow else { return nil }
        if negative { return accumulator }
        return accumulator == Int64.min ? nil : -accumulator
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // MARK: Strings

    /// Scans the string whose opening quote is at `position`, checking everything the
    /// parser checks (UTF-8, control characters, escapes, surrogate pairs), and stops after
    /// the closing quote. Its raw content is `bytes[start + 1..<position - 1]`.
    mutating func scanString() throws(SCIMError) -> Escapes {
        let start = position
        position += 1  // opening quote
        var escapes = Escapes.none
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return escapes
            }
            if byte == UInt8(ascii: "\\") {
                escapes = max(escapes, try scanEscape())
            } else if byte < 0x20 {
                throw error("unescaped control character in string")
            } else if byte < 0x80 {
                position += 1
            } else {
                position += try utf8SequenceLength(at: position)
            }
        }
        throw error("unterminated string", at: start)
    }

    /// One escape at `position` (its backslash).
    private mutating func scanEscape() throws(SCIMError) -> Escapes {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw error("unterminated escape", at: escapeStart) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return .simple
        case UInt8(ascii: "u"):
            let scalar = try scanHex4(escapeStart: escapeStart)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in \\u escape", at: escapeStart)
                }
                position += 2
                let low = try scanHex4(escapeStart: escapeStart)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw error("unpaired surrogate in \\u escape", at: escapeStart) }
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error("unpaired surrogate in \\u escape", at: escapeStart)
            }
            return .unicode
        default:
            let shown = byte >= 0x20 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "0x" + String(byte, radix: 16)
            throw error("invalid escape \\\(shown)", at: escapeStart)
        }
    }

    private mutating func scanHex4(escapeStart: Int) throws(SCIMError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = JSONScanner.hexValue(bytes[position]) else {
                throw error("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - 0x61 + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - 0x41 + 10)
        default: return nil
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

    /// The text of a scanned string's raw content (`bytes[range]`, between the quotes),
    /// its escapes decoded. Only for content `scanString` accepted: nothing is checked here.
    @inline(__always)
    func decodeString(_ range: Range<Int>, escapes: Escapes) -> String {
        let content = UnsafeBufferPointer(rebasing: bytes[range])
        guard escapes != .none else { return String(decoding: content, as: UTF8.self) }
        return JSONScanner.decodeEscapes(content)
    }

    private static func decodeEscapes(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(content.count)
        var index = 0
        var runStart = 0
        while index < content.count {
            guard content[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: content[runStart..<index])) }
            let escaped = content[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = JSONScanner.hex4(content, at: index)
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (JSONScanner.hex4(content, at: index + 2) - 0xDC00)
                    index += 6
                }
                JSONScanner.appendUTF8(scalar, to: &buffer)
            default: buffer.append(escaped)  // `"`, `\` and `/` stand for themselves
            }
            runStart = index
        }
        if runStart < content.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: content[runStart...])) }
        return String(decoding: buffer, as: UTF8.self)
    }

    private static func hex4(_ content: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | (hexValue(content[index + offset]) ?? 0) }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
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

    // MARK: Errors

    func error(_ message: String, at offset: Int? = nil) -> SCIMError {
        .invalidSyntax("invalid JSON at byte \(offset ?? position): \(message)")
    }

    /// A byte as an error message shows it: `'x'`, or `byte 0x1F`.
    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
