import Foundation
import Testing
@testable import SCIM

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try json(#" { "a": [1, -2, 3.5, 1e3, true, false, null, "s"], "b": {}, "c": [] } "#)
        #expect(value == .object([
            "a": .array([.int(1), .int(-2), .decimal(3.5), .decimal(1000), .bool(true), .bool(false), .null, .string("s")]),
            "b": .object([:]),
            "c": .array([]),
        ]))
    }

    @Test func keepsIntegersAndDecimalsApart() throws {
        #expect(try json("1") == .int(1))
        #expect(try json("1.0") == .decimal(1.0))
        #expect(try json("-0") == .int(0))
        #expect(try json("1E2") == .decimal(100))
        #expect(try json("9223372036854775807") == .int(Int64.max))
        #expect(try json("-9223372036854775808") == .int(Int64.min))
        #expect(try json("9223372036854775808") == .decimal(9223372036854775808.0))
        #expect(try json("-9223372036854775809") == .decimal(-9223372036854775809.0))
        #expect(try json("123456789012345678901234567890") == .decimal(1.2345678901234568e29))
    }

    @Test func decodesEscapes() throws {
        #expect(try json(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{c}\n\r\t"))
        #expect(try json(#""\u00e9\u20AC""#) == .string("é€"))
        #expect(try json(#""\ud83d\ude00 smile""#) == .string("😀 smile"))
        #expect(try json(#""héllo wörld ✓ 😀""#) == .string("héllo wörld ✓ 😀"))
    }

    @Test(arguments: [
        ("", "empty document"),
        ("   ", "empty document"),
        ("{", "expected a key"),
        ("[1,]", "expected a value"),
        ("[1 2]", "expected ',' or ']'"),
        (#"{"a" 1}"#, "expected ':'"),
        (#"{"a":1,}"#, "expected a string key"),
        (#"{a:1}"#, "expected a string key"),
        ("01", "leading zero"),
        ("1.", "digit after '.'"),
        ("1e", "digit in the exponent"),
        ("-", "expected a digit"),
        ("+1", "expected a value"),
        (".5", "expected a value"),
        ("tru", "invalid literal"),
        ("nul", "invalid literal"),
        ("True", "expected a value"),
        (#""abc"#, "unterminated string"),
        ("\"a\u{01}b\"", "control character"),
        (#""\x""#, "invalid escape"),
        (#""\u12G4""#, "invalid hex"),
        (#""\ud800""#, "unpaired surrogate"),
        (#""\udc00""#, "unpaired surrogate"),
        (#""\ud800\u0041""#, "unpaired surrogate"),
        ("1 2", "after the document"),
        ("[] []", "after the document"),
        (#"{"a":1,"a":2}"#, "duplicate key"),
        ("1e400", "out of range"),
        ("NaN", "expected a value"),
    ])
    func refusesInvalidJSON(text: String, message: String) {
        let error = expectSCIMError(.invalidSyntax) { _ = try JSONValue.parse(text) }
        #expect(error?.detail.contains(message) == true, "\(text): \(error?.detail ?? "")")
        #expect(error?.detail.contains("at byte") == true)
    }

    @Test func reportsTheByteOffset() {
        let error = expectSCIMError(.invalidSyntax) { _ = try JSONValue.parse(#"{"userName": "x", "active": tru}"#) }
        #expect(error?.detail.hasPrefix("invalid JSON at byte 28:") == true, "\(error?.detail ?? "")")
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],                    // invalid byte
        [0x22, 0xC0, 0xAF, 0x22],              // overlong "/"
        [0x22, 0xE0, 0x80, 0xAF, 0x22],        // overlong
        [0x22, 0xED, 0xA0, 0x80, 0x22],        // UTF-8-encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xC3, 0x22],                    // truncated sequence
        [0x22, 0x80, 0x22],                    // lone continuation byte
        [0x5B, 0xC3, 0xA9, 0x5D],              // non-ASCII outside a string
    ] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        expectSCIMError(.invalidSyntax) { _ = try JSONValue.parse(bytes) }
    }

    @Test func acceptsValidMultiByteUTF8() throws {
        let text = "\"ß 中 😀 \u{10FFFF}\""
        #expect(try JSONValue.parse(Array(text.utf8)) == .string("ß 中 😀 \u{10FFFF}"))
    }

    @Test func enforcesTheDepthLimitWithoutRecursion() throws {
        // 100,000 `[` are refused at the 65th, after reading 65 values: the work done does
        // not grow with what follows (counted, not timed).
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        var tokens = CountedWork()
        let error = expectSCIMError(.invalidSyntax) {
            _ = try deep.withUnsafeBufferPointer { buffer throws(SCIMError) in
                var parser = JSONParser(bytes: buffer, maxDepth: JSONValue.defaultMaxDepth)
                return try parser.parseDocument(counting: &tokens)
            }
        }
        #expect(error?.detail == "invalid JSON at byte 64: nesting deeper than 64 levels")
        #expect(tokens.count == 65)

        let nested64 = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONValue.parse(nested64)) != nil)
        let nested65 = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        expectSCIMError(.invalidSyntax) { _ = try JSONValue.parse(nested65) }
        let objects65 = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        expectSCIMError(.invalidSyntax) { _ = try JSONValue.parse(objects65) }
        #expect((try? JSONValue.parse(nested65, maxDepth: 100)) != nil)
    }

    @Test func parsesFromEveryInputForm() throws {
        let text = #"{"k":[1,"v"]}"#
        let expected: JSONValue = ["k": [1, "v"]]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
        #expect(try JSONValue.parse(ArraySlice(Array(text.utf8))) == expected)
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
        let fromRaw = try Array(text.utf8).withUnsafeBytes { raw in try JSONValue.parse(raw) }
        #expect(fromRaw == expected)
        // A non-contiguous collection is copied first.
        #expect(try JSONValue.parse(text.utf8.lazy.map { $0 }) == expected)
    }

    @Test func parsesEveryFixture() throws {
        let enumerator = FileManager.default.enumerator(at: Fixture.root.resolvingSymlinksInPath(), includingPropertiesForKeys: nil)
        var count = 0
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json" else { continue }
            let bytes = [UInt8](try Data(contentsOf: url))
            let ours = try JSONValue.parse(bytes)
            let foundation = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(JSONParserTests.agrees(ours, foundation), "\(url.lastPathComponent)")
            count += 1
        }
        #expect(count > 30)
    }

    /// Cross-checks against Foundation's parser (numbers compared numerically).
    static func agrees(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let b): return (other as? Bool) == b
        case .int(let i): return (other as? NSNumber)?.int64Value == i
        case .decimal(let d): return (other as? NSNumber)?.doubleValue == d
        case .string(let s): return (other as? String) == s
        case .array(let items):
            guard let others = other as? [Any], others.count == items.count else { return false }
            return zip(items, others).allSatisfy { agrees($0, $1) }
        case .object(let members):
            guard let others = other as? [String: Any], others.count == members.count else { return false }
            return members.allSatisfy { key, item in others[key].map { agrees(item, $0) } ?? false }
        }
    }
}
