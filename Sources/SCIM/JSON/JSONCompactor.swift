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
        var compactor = Compactor(
            input: input, nestedIn: Array(nestedIn.utf8),
            nested: nested.map { (Array($0.key.utf8), $0.value) }, topLevel: topLevel.map { (Array($0.key.utf8), $0.value) },
            expectedNested: expectedNested.map { (Array($0.key.utf8), $0.value) })
        return compactor.run()
    }
}

private struct Compactor {
    let input: [UInt8]
    let nestedIn: [UInt8]
    let nested: [([UInt8], [UInt8])]
    let topLevel: [([UInt8], [UInt8])]
    let expectedNested: [([UInt8], [UInt8])]
    var position = 0
    var output: [UInt8] = []
    var sawNested = false
    var expectedSeen = 0
    static let maxDepth = JSONValue.defaultMaxDepth

    init(input: [UInt8], nestedIn: [UInt8], nested: [([UInt8], [UInt8])], topLevel: [([UInt8], [UInt8])], expectedNested: [([UInt8], [UInt8])]) {
        self.input = input
        self.nestedIn = nestedIn
        self.nested = nested
        self.topLevel = topLevel
        self.expectedNested = expectedNested
        output.reserveCapacity(input.count + nested.reduce(0) { $0 + $1.1.count + 32 } + topLevel.reduce(0) { $0 + $1.1.count + 32 })
    }

    mutating func run() -> [UInt8]? {
        skipSpace()
        guard peek == UInt8(ascii: "{"), object(level: .top, depth: 1) else { return nil }
        skipSpace()
        guard position == input.count, sawNested else { return nil }
        return output
    }

    private enum Level { case top, nested, other }

    private var peek: UInt8? { position < input.count ? input[position] : nil }

    private mutating func skipSpace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// An object at `position` ('{'), copied; at the top level and in the nested object the
    /// keys are checked and the added members appended before '}'.
    private mutating func object(level: Level, depth: Int) -> Bool {
        guard depth <= Compactor.maxDepth else { return false }
        position += 1
        output.append(UInt8(ascii: "{"))
        var keys: [ArraySlice<UInt8>] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipSpace()
                let keyStart = position
                guard peek == UInt8(ascii: "\""), string() else { return false }
                let key = input[(keyStart + 1)..<(position - 1)]
                // Keys with escapes or duplicates, or one of the members added: not ours to judge.
                guard !key.contains(UInt8(ascii: "\\")), !keys.contains(where: { $0.elementsEqual(key) }) else { return false }
                if level != .other {
                    let added = level == .top ? topLevel : nested
                    guard !added.contains(where: { $0.0.elementsEqual(key) }) else { return false }
                }
                keys.append(key)
                skipSpace()
                guard peek == UInt8(ascii: ":") else { return false }
                position += 1
                output.append(UInt8(ascii: ":"))
                skipSpace()
                let valueStart = output.count
                let isNested = level == .top && key.elementsEqual(nestedIn)
                if isNested {
                    guard peek == UInt8(ascii: "{"), object(level: .nested, depth: depth + 1) else { return false }
                    sawNested = true
                } else {
                    guard value(depth: depth + 1) else { return false }
                }
                if level == .nested, let expected = expectedNested.first(where: { $0.0.elementsEqual(key) }) {
                    guard output[valueStart...].elementsEqual(expected.1) else { return false }
                    expectedSeen += 1
                }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    output.append(UInt8(ascii: ","))
                    continue
                }
                guard peek == UInt8(ascii: "}") else { return false }
                position += 1
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
        guard let byte = peek else { return false }
        switch byte {
        case UInt8(ascii: "{"): return object(level: .other, depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func array(depth: Int) -> Bool {
        guard depth <= Compactor.maxDepth else { return false }
        position += 1
        output.append(UInt8(ascii: "["))
        skipSpace()
        if peek == UInt8(ascii: "]") {
            position += 1
            output.append(UInt8(ascii: "]"))
            return true
        }
        while true {
            skipSpace()
            guard value(depth: depth + 1) else { return false }
            skipSpace()
            if peek == UInt8(ascii: ",") {
                position += 1
                output.append(UInt8(ascii: ","))
                continue
            }
            guard peek == UInt8(ascii: "]") else { return false }
            position += 1
            output.append(UInt8(ascii: "]"))
            return true
        }
    }

    /// A string, copied as is: simple escapes checked, UTF-8 validated, no raw control
    /// characters, no `\u` escape (surrogate pairs are the parser's to check).
    private mutating func string() -> Bool {
        let start = position
        position += 1
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                output.append(contentsOf: input[start..<position])
                return true
            }
            if byte < 0x20 { return false }
            if byte == UInt8(ascii: "\\") {
                guard position + 1 < input.count else { return false }
                switch input[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                default:
                    return false
                }
                continue
            }
            if byte >= 0x80 {
                guard let length = Compactor.utf8Sequence(input, at: position) else { return false }
                position += length
                continue
            }
            position += 1
        }
        return false
    }

    /// The length of the well-formed UTF-8 sequence at `at` (no overlong forms, no
    /// surrogates, nothing above U+10FFFF), or nil.
    private static func utf8Sequence(_ bytes: [UInt8], at: Int) -> Int? {
        let first = bytes[at]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch first {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard at + length <= bytes.count else { return nil }
        guard bytes[at + 1] >= low, bytes[at + 1] <= high else { return nil }
        for offset in 2..<max(length, 2) where !(0x80...0xBF).contains(bytes[at + offset]) { return nil }
        return length
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= input.count else { return false }
        let matches = text.withUTF8Buffer { expected in input[position..<(position + count)].elementsEqual(expected) }
        guard matches else { return false }
        output.append(contentsOf: input[position..<(position + count)])
        position += count
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        let start = position
        func digits() -> Int {
            let from = position
            while position < input.count, input[position] >= 0x30, input[position] <= 0x39 { position += 1 }
            return position - from
        }
        if peek == UInt8(ascii: "-") { position += 1 }
        if peek == UInt8(ascii: "0") {
            position += 1
        } else {
            guard let first = peek, first >= 0x31, first <= 0x39 else { return false }
            _ = digits()
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return false }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return false }
        }
        output.append(contentsOf: input[start..<position])
        return true
    }
}
