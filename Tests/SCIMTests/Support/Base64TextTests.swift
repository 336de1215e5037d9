import Testing
@testable import SCIM

@Suite("Base64 text (binary values)")
struct Base64TextTests {
    @Test(arguments: ["", "QQ==", "QUI=", "QUJD", "QUJDRA", "QUJDRA==", "-_8", "+/8=", "MIIDQzCCAqygAwIBAgICEAAw"])
    func accepted(text: String) {
        #expect(Base64Text.isValid(text))
    }

    @Test(arguments: ["Q", "QUJDR", "QUJD=", "QQ=", "Q===", "QQ==QQ==", "QU JD", "QUJD\n", "+-AA", "QUJD!", "é"])
    func refused(text: String) {
        #expect(!Base64Text.isValid(text))
    }
}
