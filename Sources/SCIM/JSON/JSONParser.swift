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
    private var scanner: JSONScanner

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        scanner = JSONScanner(bytes: bytes, maxDepth: maxDepth)
    }

    /// Where the next token starts (the filter lexer reads one JSON string from its text).
    var position: Int {
        get { scanner.position }
        set { scanner.position = newValue }
    }

    // Open containers, innermost last. `kinds` says which stack holds each level.
    private var kinds: [Bool] = []  // true = object, false = array
    private var arrays: [[JSONValue]] = []
    private var objects: [[String: JSONValue]] = []
    private var pendingKeys: [String] = []

    mutating func parseDocument() throws(SCIMError) -> JSONValue {
        var uncounted = UncountedWork()
        return try parseDocument(counting: &uncounted)
    }

    /// `parseDocument()`, counting each value and key read into `work`.
    mutating func parseDocument<Work: WorkCounter>(counting work: inout Work) throws(SCIMError) -> JSONValue {
        scanner.skipWhitespace()
        guard !scanner.isAtEnd else { throw scanner.error("empty document") }
        var value: JSONValue
        parsing: while true {
            // 1. Read one value, or open a container and loop to read its first member.
            work.add()
            scanner.skipWhitespace()
            guard let first = scanner.peek else { throw scanner.error("unexpected end of input, expected a value") }
            switch first {
            case UInt8(ascii: "{"):
                try scanner.checkDepth(enclosing: kinds.count)
                scanner.position += 1
                scanner.skipWhitespace()
                if scanner.peek == UInt8(ascii: "}") {
                    scanner.position += 1
                    value = .object([:])
                } else {
                    kinds.append(true)
                    objects.append([:])
                    work.add()
                    pendingKeys.append(try parseKey())
                    continue parsing
                }
            case UInt8(ascii: "["):
                try scanner.checkDepth(enclosing: kinds.count)
                scanner.position += 1
                scanner.skipWhitespace()
                if scanner.peek == UInt8(ascii: "]") {
                    scanner.position += 1
                    value = .array([])
                } else {
                    kinds.append(false)
                    arrays.append([])
                    continue parsing
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try scanner.scanLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try scanner.scanLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try scanner.scanLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            default:
                throw scanner.error("unexpected \(scanner.describe(first)), expected a value")
            }

            // 2. Attach the finished value to its container; close containers as they end.
            while let isObject = kinds.last {
                scanner.skipWhitespace()
                if isObject {
                    let key = pendingKeys.removeLast()
                    let top = objects.count - 1
                    if objects[top].updateValue(value, forKey: key) != nil {
                        throw scanner.error("duplicate key \"\(key)\"")
                    }
                    guard let byte = scanner.peek else { throw scanner.error("unexpected end of input, expected ',' or '}'") }
                    if byte == UInt8(ascii: ",") {
                        scanner.position += 1
                        scanner.skipWhitespace()
                        work.add()
                        pendingKeys.append(try parseKey())
                        continue parsing
                    } else if byte == UInt8(ascii: "}") {
                        scanner.position += 1
                        kinds.removeLast()
                        value = .object(objects.removeLast())
                    } else {
                        throw scanner.error("unexpected \(scanner.describe(byte)), expected ',' or '}'")
                    }
                } else {
                    let top = arrays.count - 1
                    arrays[top].append(value)
                    guard let byte = scanner.peek else { throw scanner.error("unexpected end of input, expected ',' or ']'") }
                    if byte == UInt8(ascii: ",") {
                        scanner.position += 1
                        continue parsing
                    } else if byte == UInt8(ascii: "]") {
                        scanner.position += 1
                        kinds.removeLast()
                        value = .array(arrays.removeLast())
                    } else {
                        throw scanner.error("unexpected \(scanner.describe(byte)), expected ',' or ']'")
                    }
                }
            }
            break parsing
        }
        scanner.skipWhitespace()
        if let byte = scanner.peek { throw scanner.error("unexpected \(scanner.describe(byte)) after the document") }
        return value
    }

    /// Reads `"key"` and the following `:` (whitespace allowed around the colon).
    private mutating func parseKey() throws(SCIMError) -> String {
        guard let byte = scanner.peek else { throw scanner.error("unexpected end of input, expected a key") }
        guard byte == UInt8(ascii: "\"") else {
            throw scanner.error("unexpected \(scanner.describe(byte)), expected a string key")
        }
        let key = try parseString()
        scanner.skipWhitespace()
        guard let colon = scanner.peek else { throw scanner.error("unexpected end of input, expected ':'") }
        guard colon == UInt8(ascii: ":") else { throw scanner.error("unexpected \(scanner.describe(colon)), expected ':'") }
        scanner.position += 1
        return key
    }

    private mutating func parseNumber() throws(SCIMError) -> JSONValue {
        let start = scanner.position
        if let integer = try scanner.scanNumber() { return .int(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[start..<scanner.position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw scanner.error("number out of range", at: start)
        }
        return .decimal(double)
    }

    /// Parses a string starting at the opening quote. Strings without escapes are decoded
    /// straight from the input buffer.
    mutating func parseString() throws(SCIMError) -> String {
        let start = scanner.position
        let escapes = try scanner.scanString()
        return scanner.decodeString(start + 1..<scanner.position - 1, escapes: escapes)
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
