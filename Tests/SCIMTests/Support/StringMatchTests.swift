import Testing
@testable import SCIM

@Suite("Byte-level string helpers")
struct StringMatchTests {
    func compare(_ actual: String, _ pattern: String, caseExact: Bool = false, _ op: ComparisonOperator) -> Bool {
        StringMatch.compare(actual, Array((caseExact ? pattern : pattern.lowercased()).utf8), caseExact: caseExact, op)
    }

    @Test func operators() {
        #expect(compare("Hello World", "WORLD", .ew))
        #expect(compare("Hello World", "hello", .sw))
        #expect(compare("Hello World", "o w", .co))
        #expect(!compare("Hello World", "o  w", .co))
        #expect(compare("abc", "", .co) && compare("", "", .eq) && !compare("", "a", .co))
        #expect(compare("ab", "abc", .lt) && compare("abc", "ab", .gt) && compare("ab", "AB", .le) && compare("ab", "AB", .ge))
        #expect(!compare("ab", "AB", caseExact: true, .eq) && compare("ab", "AB", caseExact: true, .gt))
        #expect(compare("aab", "ab", .ew) && compare("aaab", "aab", .co))
        #expect(compare("x", "y", .ne))
    }

    @Test func foldingHandlesNonASCII() {
        #expect(compare("ÉCOLE", "école", .eq))
        #expect(compare("Ünïcödé", "NÏC", .co))
        StringMatch.withFolded("ABC", caseExact: false) { #expect(Array($0) == Array("abc".utf8)) }
        StringMatch.withFolded("ABC", caseExact: true) { #expect(Array($0) == Array("ABC".utf8)) }
        StringMatch.withFolded("abc", caseExact: false) { #expect(Array($0) == Array("abc".utf8)) }
    }

    @Test func asciiHelpers() {
        #expect(ASCII.equalsIgnoringCase("userName", "USERNAME"))
        #expect(!ASCII.equalsIgnoringCase("userName", "userNam"))
        #expect(!ASCII.equalsIgnoringCase("é", "É"), "only ASCII letters fold")
        #expect(ASCII.hasPrefixIgnoringCase("URN:IETF:x", "urn:ietf:"))
        #expect(!ASCII.hasPrefixIgnoringCase("urn", "urn:"))
        #expect(ASCII.lowercased("MiXeD-Case_1") == "mixed-case_1")
        #expect(ASCII.lowercased("ÉA") == "Éa")
        #expect("  \t x y \n".trimmingWhitespace == "x y")
        #expect("   ".trimmingWhitespace == "")
    }
}
