import Testing
@testable import SCIM

@Suite("URI references (reference values)")
struct URIReferenceTests {
    @Test(arguments: ["", "https://example.com/Users/2819c223?x=1#f", "../Users/2819c223", "urn:uuid:2819c223", "https://bücher.example/ä", "mailto:a@x"])
    func plausible(text: String) {
        #expect(URIReference.isPlausible(text))
    }

    @Test(arguments: ["Bob Smith", "https://x/a b", "https://x/\n", "<https://x>", "\"quoted\"", "https://x/{id}", "a|b", "a\\b", "\u{7F}"])
    func implausible(text: String) {
        #expect(!URIReference.isPlausible(text))
    }
}
