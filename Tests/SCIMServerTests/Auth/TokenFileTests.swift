import Foundation
import Testing
@testable import SCIMServer

/// `--token-file`: one token per line, comments and blank lines skipped; refused when group
/// or others may read or write it; errors name the file and line, never a secret.
@Suite struct TokenFileTests {
    static let okta = "okta-file-secret-0123456789"
    static let entra = "entra-file-secret-0123456789"
    static let bare = "bare-file-secret-0123456789"

    /// Writes `text` to a new file with `mode` and returns its path.
    static func file(_ text: String, mode: Int, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path + "/tokens"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func oneTokenPerLineWithCommentsAndBlankLines() throws {
        let directory = try TemporaryDirectory()
        let text = "# tokens for the IdPs\n\nokta=\(Self.okta)\r\n   entra=\(Self.entra)  \n  # bare: named default\n\(Self.bare)\n"
        let tokens = try TokenFile.load(try Self.file(text, mode: 0o600, in: directory))
        #expect(tokens.map(\.name) == ["okta", "entra", "default"])
        let verifier = ConfiguredTokenVerifier(tokens)
        #expect(verifier.verify(Self.okta) == "okta")
        #expect(verifier.verify(Self.entra) == "entra")
        #expect(verifier.verify(Self.bare) == "default")
    }

    @Test func readOnlyForTheOwnerIsAccepted() throws {
        let directory = try TemporaryDirectory()
        #expect(try TokenFile.load(try Self.file("okta=\(Self.okta)\n", mode: 0o400, in: directory)).count == 1)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o620, 0o602, 0o660])
    func aFileOthersMayReadOrWriteIsRefused(mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try Self.file("okta=\(Self.okta)\n", mode: mode, in: directory)
        #expect {
            try TokenFile.load(path)
        } throws: { error in
            let message = "\(error)"
            return message.contains(path) && message.contains("chmod 600") && message.contains("0" + String(mode, radix: 8))
                && !message.contains(Self.okta)
        }
    }

    @Test func aBadLineIsNamedWithoutItsSecret() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.file("okta=\(Self.okta)\n# comment\nentra=Zq9-short\n", mode: 0o600, in: directory)
        #expect {
            try TokenFile.load(path)
        } throws: { error in
            let message = "\(error)"
            return message.contains("\(path), line 3") && message.contains("shorter than 16") && !message.contains("Zq9-short")
        }
        let spaced = try Self.file("entra=\(Self.entra) # inline comments are not comments\n", mode: 0o600, in: directory)
        #expect {
            try TokenFile.load(spaced)
        } throws: { error in
            "\(error)".contains("line 1") && !"\(error)".contains(Self.entra)
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect { try TokenFile.load("/nonexistent/tokens") } throws: { "\($0)".contains("/nonexistent/tokens") }
    }

    @Test func fileTokensJoinTheOthersAndNamesStayUnique() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.file("entra=\(Self.entra)\n", mode: 0o600, in: directory)
        let tokens = try ConfiguredTokens.parse(
            entries: ["okta=\(Self.okta)"], files: [path], environment: ["SCIMGIT_TOKENS": "cli=\(Self.bare)"])
        #expect(tokens.map(\.name) == ["okta", "entra", "cli"])
        #expect(throws: TokenError.self) {
            try ConfiguredTokens.parse(entries: ["entra=\(Self.okta)"], files: [path], environment: [:])
        }
    }
}
