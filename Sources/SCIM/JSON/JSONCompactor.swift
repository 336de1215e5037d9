/// Re-emits a stored JSON object compactly, with members added, without building a
/// `JSONValue`: how a resource file becomes a response when nothing in it changes but
/// `meta.location`, `meta.version` and a derived list (`groups`, `members`).
///
/// Parsing a file into dictionaries and printing them again was a third of the server's
/// CPU on a page of 100 users. This copies the bytes, dropping whitespace between tokens,
/// and checks on the way what `JSONValue.parse` would refuse (structure, numbers, UTF-8,
/// duplicate keys, depth) and that none of the added members is already there. Anything
/// unexpected, and any `\u` escape, returns nil: the caller then takes the parsing path,
/// which gives the exact answer or the exact error.
public enum JSONCompactor {
    /// `input`: one JSON object. `nested`: members appended to the object under the
    /// top-level key `nestedIn` (which must exist); `topLevel`: members appended to the
    /// top-level object. Values are serialized JSON. `expectedNested`: keys the nested
    /// object must have, with exactly these bytes as value (e.g. `"User"`).
    public static func compact(
        _ input: [UInt8], nestedIn: String, nested: [(key: String, value: [UInt8])], topLevel: [(key: String, value: [UInt8])],
        expectedNested: [(key: String, value: [UInt8])] = []
    ) -> [UInt8]? {
        input.withUnsafeBufferPointer { buffer in
            var compactor = Compactor(
                input: buffer, nestedIn: Array(nestedIn.utf8),
                nested: nested.map { (Array($0.key.utf8), $0.value) }, topLevel: topLevel.map { (Array($0.key.utf8), $0.value) },
                expectedNested: expectedNested.map { (Array($0.key.utf8), $0.value) })
            return compactor.run()
        }
    }
}

/// The tokens are the parser's (`JSONScanner`); what is added here is the copying and the
/// checks on keys.
private struct Compactor {
    var scanner: JSONScanner
    let nestedIn: [UInt8]
    let nested: [([UInt8], [UInt8])]
    let topLevel: [([UInt8], [UInt8])]
    let expectedNested: [([UInt8], [UInt8])]
    var output: [UInt8] = []
    var sawNested = false
    var expectedSeen = 0

    init(input: UnsafeBufferPointer<UInt8>, nestedIn: [UInt8], nested: [([UInt8], [UInt8])], topLevel: [([UInt8], [UInt8])], expectedNested: [([UInt8], [UInt8])]) {
        self.scanner = JSONScanner(bytes: input, maxDepth: JSONValue.defaultMaxDepth)
        self.nestedIn = nestedIn
        self.nested = nested
        self.topLevel = topLevel
        self.expectedNested = expectedNested
        output.reserveCapacity(input.count + nested.reduce(0) { $0 + $1.1.count + 32 } + topLevel.reduce(0) { $0 + $1.1.count + 32 })
    }

    mutating func run() -> [UInt8]? {
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{"), object(level: .top, depth: 0) else { return nil }
        scanner.skipWhitespace()
        guard scanner.isAtEnd, sawNested else { return nil }
        return output
    }

    private enum Level { case top, nested, other }

    /// The input bytes in `range`.
    private func input(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: scanner.bytes[range])
    }

    /// Copies the input from `start` to the scanner's position.
    private mutating func copy(from start: Int) {
        output.append(contentsOf: input(start..<scanner.position))
    }

    /// An object at the scanner's position ('{'), copied; at the top level and in the nested
    /// object the keys are checked and the added members appended before '}'. `depth`:
    /// the containers around it.
    private mutating func object(level: Level, depth: Int) -> Bool {
        do { try scanner.checkDepth(enclosing: depth) } catch { return false }
        scanner.position += 1
        output.append(UInt8(ascii: "{"))
        var keys: [Range<Int>] = []
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.position += 1
        } else {
            while true {
                scanner.skipWhitespace()
                let keyStart = scanner.position
                // Keys with escapes or duplicates, or one of the members added: not ours to judge.
                guard scanner.peek == UInt8(ascii: "\""), string() == JSONScanner.Escapes.none else { return false }
                let keyRange = (keyStart + 1)..<(scanner.position - 1)
                let key = input(keyRange)
                guard !keys.contains(where: { input($0).elementsEqual(key) }) else { return false }
                if level != .other {
                    let added = level == .top ? topLevel : nested
                    guard !added.contains(where: { $0.0.elementsEqual(key) }) else { return false }
                }
                keys.append(keyRange)
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: ":") else { return false }
                scanner.position += 1
                output.append(UInt8(ascii: ":"))
                scanner.skipWhitespace()
                let valueStart = output.count
                let isNested = level == .top && key.elementsEqual(nestedIn)
                if isNested {
                    guard scanner.peek == UInt8(ascii: "{"), object(level: .nested, depth: depth + 1) else { return false }
                    sawNested = true
                } else {
                    guard value(depth: depth + 1) else { return false }
                }
                if level == .nested, let expected = expectedNested.first(where: { $0.0.elementsEqual(key) }) {
                    guard output[valueStart...].elementsEqual(expected.1) else { return false }
                    expectedSeen += 1
                }
                scanner.skipWhitespace()
                if scanner.peek == UInt8(ascii: ",") {
                    scanner.position += 1
                    output.append(UInt8(ascii: ","))
                    continue
                }
                guard scanner.peek == UInt8(ascii: "}") else { return false }
                scanner.position += 1
                break
            }
        }
        if level == .nested && expectedSeen != expectedNested.count { return false }
        if level != .other {
            for (key, value) in level == .top ? topLevel : nested {
                if output.last != UInt8(ascii: "{") { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: key)
                output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
                output.append(contentsOf: value)
            }
        }
        output.append(UInt8(ascii: "}"))
        return true
    }

    private mutating func value(depth: Int) -> Bool {
        guard let byte = scanner.peek else { return false }
        let start = scanner.position
        do {
            switch byte {
            case UInt8(ascii: "{"): return object(level: .other, depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): try scanner.scanLiteral("true")
            case UInt8(ascii: "f"): try scanner.scanLiteral("false")
            case UInt8(ascii: "n"): try scanner.scanLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanner.scanNumber()
            default: return false
            }
        } catch {
            return false
        }
        copy(from: start)
        return true
    }

    private mutating func array(depth: Int) -> Bool {
        do { try scanner.checkDepth(enclosing: depth) } catch { return false }
        scanner.position += 1
        output.append(UInt8(ascii: "["))
        scanner.skipWhitespace()
        if scanner.peek != UInt8(ascii: "]") {
            while true {
                scanner.skipWhitespace()
                guard value(depth: depth + 1) else { return false }
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: ",") else { break }
                scanner.position += 1
                output.append(UInt8(ascii: ","))
            }
            guard scanner.peek == UInt8(ascii: "]") else { return false }
        }
        scanner.position += 1
        output.append(UInt8(ascii: "]"))
        return true
    }

    /// A string, copied as is when the parser would accept it and it has no `\u` escape
    /// (surrogate pairs and what they decode to are the parser's to judge). Returns its
    /// escapes, or nil when it is not copied.
    private mutating func string() -> JSONScanner.Escapes? {
        let start = scanner.position
        guard let escapes = try? scanner.scanString(), escapes != .unicode else { return nil }
        copy(from: start)
        return escapes
    }
}
