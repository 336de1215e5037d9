import Testing
@testable import SCIM

/// The compactor must give what parsing, adding the members and printing would give, and
/// refuse (nil) whatever the parser would refuse or it cannot judge.
@Suite("JSON compactor")
struct JSONCompactorTests {
    private let location: [UInt8] = Array(#""https://x/Users/1""#.utf8)
    private let version: [UInt8] = Array(#""W/\"abc\"""#.utf8)
    private let groups: [UInt8] = Array(#"[{"value":"g"}]"#.utf8)

    private func compact(_ text: String, topLevel: [(key: String, value: [UInt8])] = []) -> JSONValue? {
        JSONCompactor.compact(
            Array(text.utf8), nestedIn: "meta", nested: [("location", location), ("version", version)], topLevel: topLevel,
            expectedNested: [("resourceType", Array(#""User""#.utf8))]
        ).map { try! JSONValue.parse($0) }
    }

    /// What the parsing path makes of the same input.
    private func expected(_ text: String, groups: JSONValue? = nil) throws -> JSONValue {
        guard case var .object(document) = try JSONValue.parse(text), case var .object(meta) = document["meta"] else { return .null }
        meta["location"] = .string("https://x/Users/1")
        meta["version"] = .string(#"W/"abc""#)
        document["meta"] = .object(meta)
        if let groups { document["groups"] = groups }
        return .object(document)
    }

    @Test func aStoredFileBecomesTheAnswer() throws {
        let stored = JSONValue.object([
            "id": .string("1"), "userName": .string("José Ünicode 中 😀"), "active": .bool(true), "n": .decimal(-1.5e-3),
            "emails": .array([.object(["value": .string("a@b.c"), "primary": .bool(true)])]), "nothing": .null,
            "escapes": .string("quote \" backslash \\ slash / newline \n tab \t"),
            "meta": .object(["resourceType": .string("User"), "created": .string("2026-01-01T00:00:00Z")]),
        ])
        let text = String(decoding: stored.serialized(.canonical), as: UTF8.self)
        #expect(compact(text) == (try expected(text)))
        let withGroups = compact(text, topLevel: [("groups", groups)])
        #expect(withGroups == (try expected(text, groups: .array([.object(["value": .string("g")])]))))
        let bytes = JSONCompactor.compact(Array(text.utf8), nestedIn: "meta", nested: [], topLevel: [])
        #expect(bytes.map { !$0.contains(UInt8(ascii: "\n")) } == true, "no whitespace left between tokens")
    }

    @Test(arguments: [
        #"{"meta":{"resourceType":"User"}"#,                                  // truncated
        #"{"meta":{"resourceType":"User"},}"#,                                // trailing comma
        #"{"meta":{"resourceType":"User"}} x"#,                               // trailing garbage
        #"{"meta":{"resourceType":"User"},"n":01}"#,                          // leading zero
        #"{"meta":{"resourceType":"User"},"n":1.}"#,                          // no fraction digits
        #"{"meta":{"resourceType":"User"},"b":tru}"#,                         // bad literal
        "{\"meta\":{\"resourceType\":\"User\"},\"s\":\"a\u{1}b\"}",            // raw control character
        #"{"meta":{"resourceType":"User"},"s":"\u00e9"}"#,                    // \u escape: the parser's to judge
        #"{"meta":{"resourceType":"User"},"s":"\x"}"#,                        // bad escape
        #"{"meta":{"resourceType":"User"},"a":1,"a":2}"#,                     // duplicate key
        #"{"meta":{"resourceType":"User"},"o":{"a":1,"a":2}}"#,               // duplicate key, nested
        #"{"meta":{"resourceType":"User","location":"evil"}}"#,               // member already there
        #"{"meta":{"resourceType":"User"},"groups":[]}"#,                     // derived list already there
        #"{"meta":{"resourceType":"Group"}}"#,                                // another type
        #"{"meta":{"created":"x"}}"#,                                         // no resourceType
        #"{"id":"1"}"#,                                                        // no meta
        #"{"meta":[],"id":"1"}"#,                                              // meta not an object
        #"["meta"]"#,                                                          // not an object
        "",
    ])
    func refusesWhatItCannotVouchFor(text: String) {
        #expect(compact(text, topLevel: [("groups", groups)]) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        var bytes = Array(#"{"meta":{"resourceType":"User"},"s":""#.utf8)
        bytes += [0xC0, 0x80] + Array(#""}"#.utf8)  // overlong NUL
        #expect(JSONCompactor.compact(bytes, nestedIn: "meta", nested: [], topLevel: []) == nil)
        let deep = #"{"meta":{},"d":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
        #expect(JSONCompactor.compact(Array(deep.utf8), nestedIn: "meta", nested: [], topLevel: []) == nil)
    }

    /// Thousands of generated documents, pretty and compact: whenever the compactor answers,
    /// its answer parses to what the parsing path gives; for files without escapes it always
    /// answers.
    @Test func agreesWithTheParserOnGeneratedDocuments() throws {
        var rng = SeededGenerator(seed: 7)
        for round in 0..<3000 {
            guard case var .object(document) = RandomInputTests.randomJSON(&rng, depth: 1) else { continue }
            document["meta"] = .object(["resourceType": .string("User"), "created": RandomInputTests.randomJSON(&rng, depth: 3)])
            document["groups"] = nil
            let style: JSONStyle = round % 2 == 0 ? .canonical : .compact
            let text = String(decoding: JSONValue.object(document).serialized(style), as: UTF8.self)
            let answer = compact(text)
            // Escapes (in keys, or \u) are left to the parser; real attribute names have none.
            if !text.contains("\\") { #expect(answer != nil, "\(text)") }
            if let answer { #expect(answer == (try expected(text)), "\(text)") }
        }
    }
}
