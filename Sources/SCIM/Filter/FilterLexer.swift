/// Splits filter and PATCH-path text into tokens: brackets, quoted strings, and words
/// (attribute paths, operators, keywords, numbers, bare values).
///
/// Works on UTF-8 bytes and remembers each token's byte offset, so every error can say
/// where it is.
struct FilterLexer {
    enum Kind: Equatable {
        case leftParen, rightParen, leftBracket, rightBracket
        case string(String)
        case word(String)
        case end
    }

    struct Token {
        var kind: Kind
        var offset: Int
    }

    let bytes: [UInt8]
    private(set) var position = 0
    private var peeked: Token?
    let makeError: @Sendable (String) -> SCIMError

    init(_ text: String, makeError: @escaping @Sendable (String) -> SCIMError) {
        self.bytes = Array(text.utf8)
        self.makeError = makeError
    }

    mutating func peek() throws(SCIMError) -> Token {
        if let peeked { return peeked }
        let token = try lex()
        peeked = token
        return token
    }

    mutating func next() throws(SCIMError) -> Token {
        if let token = peeked {
            peeked = nil
            return token
        }
        return try lex()
    }

    /// True when the next raw byte (no whitespace skipped, nothing peeked) is `.` — a
    /// sub-attribute directly after `]`.
    var atDot: Bool {
        peeked == nil && position < bytes.count && bytes[position] == UInt8(ascii: ".")
    }

    /// Reads `.name` right after `]`.
    mutating func readSubAttribute() throws(SCIMError) -> (name: String, offset: Int) {
        let start = position
        position += 1
        let nameStart = position
        while position < bytes.count, !isDelimiter(bytes[position]) { position += 1 }
        let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
        guard AttributePath.isValidAttributeName(name) else {
            throw makeError("invalid sub-attribute \".\(name)\" at position \(start)")
        }
        return (name, start)
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    private mutating func lex() throws(SCIMError) -> Token {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D {
            position += 1
        }
        let start = position
        guard position < bytes.count else { return Token(kind: .end, offset: start) }
        switch bytes[position] {
        case UInt8(ascii: "("): position += 1; return Token(kind: .leftParen, offset: start)
        case UInt8(ascii: ")"): position += 1; return Token(kind: .rightParen, offset: start)
        case UInt8(ascii: "["): position += 1; return Token(kind: .leftBracket, offset: start)
        case UInt8(ascii: "]"): position += 1; return Token(kind: .rightBracket, offset: start)
        case UInt8(ascii: "\""):
            return Token(kind: .string(try lexString()), offset: start)
        default:
            while position < bytes.count, !isDelimiter(bytes[position]) {
                // Control characters belong in no attribute name, operator or bare value.
                if bytes[position] < 0x20 || bytes[position] == 0x7F {
                    throw makeError("control character (0x\(String(bytes[position], radix: 16))) at position \(position)")
                }
                position += 1
            }
            return Token(kind: .word(String(decoding: bytes[start..<position], as: UTF8.self)), offset: start)
        }
    }

    /// A JSON string literal (RFC 7644 compValue strings are JSON strings).
    private mutating func lexString() throws(SCIMError) -> String {
        let start = position
        let result: Result<(String, Int), SCIMError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: 1)
            parser.position = start
            do throws(SCIMError) {
                let string = try parser.parseString()
                return .success((string, parser.position))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let (string, end)):
            position = end
            return string
        case .failure(let error):
            let reason = error.detail.split(separator: ":", maxSplits: 1).last.map { $0.trimmingPrefix(" ") } ?? ""
            throw makeError("invalid string at position \(start): \(reason)")
        }
    }
}
