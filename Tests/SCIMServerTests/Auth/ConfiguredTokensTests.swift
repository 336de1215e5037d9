import Testing
@testable import SCIMServer

/// `NAME=SECRET` / bare `SECRET` (named `default`), on the command line and in
/// `SCIMGIT_TOKENS`.
@Suite struct ConfiguredTokensTests {
    @Test func namedAndBareForms() throws {
        let named = try ConfiguredTokens.parse("okta=0123456789abcdefXYZ")
        #expect(named.name == "okta")
        #expect(named.secret == "0123456789abcdefXYZ")
        let bare = try ConfiguredTokens.parse("0123456789abcdefXYZ")
        #expect(bare.name == "default")
        #expect(bare.secret == "0123456789abcdefXYZ")
    }

    @Test func secretsMayContainEquals() throws {
        let padded = try ConfiguredTokens.parse("c2VjcmV0LXNlY3JldC1zZWNyZXQ==")
        #expect(padded.name == "default")
        #expect(padded.secret == "c2VjcmV0LXNlY3JldC1zZWNyZXQ==")
        let namedPadded = try ConfiguredTokens.parse("entra=c2VjcmV0LXNlY3JldC1zZWNyZXQ==")
        #expect(namedPadded.name == "entra")
        #expect(namedPadded.secret == "c2VjcmV0LXNlY3JldC1zZWNyZXQ==")
    }

    @Test func theEnvironmentVariableIsCommaSeparated() throws {
        let tokens = try ConfiguredTokens.parse(
            entries: ["cli=cli-secret-0123456789"],
            environment: ["SCIMGIT_TOKENS": " okta=okta-secret-0123456789 , entra=entra-secret-0123456789,,"])
        #expect(tokens.map(\.name) == ["cli", "okta", "entra"])
        let verifier = ConfiguredTokenVerifier(tokens)
        #expect(verifier.verify("okta-secret-0123456789") == "okta")
        #expect(verifier.verify("entra-secret-0123456789") == "entra")
        #expect(verifier.verify("cli-secret-0123456789") == "cli")
        #expect(verifier.verify("okta-secret-012345678") == nil)
        #expect(verifier.names == ["cli", "okta", "entra"])
    }

    @Test func duplicateNamesAreRefused() {
        #expect(throws: TokenError.self) {
            try ConfiguredTokens.parse(entries: ["a=0123456789abcdefA", "a=0123456789abcdefB"], environment: [:])
        }
        #expect(throws: TokenError.self) {
            try ConfiguredTokens.parse(entries: ["0123456789abcdefA"], environment: ["SCIMGIT_TOKENS": "0123456789abcdefB"])
        }
    }

    @Test(arguments: ["", "okta=zqxjkv", "okta=has space inside it", "tab\tsecret-0123456789", "okta="])
    func weakOrMalformedSecretsAreRefusedWithoutBeingEchoed(entry: String) {
        do {
            _ = try ConfiguredTokens.parse(entry)
            Issue.record("accepted \(entry)")
        } catch {
            let secret = entry.split(separator: "=", maxSplits: 1).last.map(String.init) ?? entry
            if secret.count > 4 { #expect(!error.description.contains(secret)) }
        }
    }

    @Test func anEmptySecretNamesTheToken() {
        #expect { try ConfiguredTokens.parse("okta=") } throws: { "\($0)".contains("\"okta\" has an empty secret") }
    }

    @Test func theSecretNeverAppearsInDescriptions() throws {
        let token = try ConfiguredTokens.parse("okta=super-secret-value-123")
        #expect(!"\(token)".contains("super-secret"))
        #expect(!String(reflecting: token).contains("super-secret"))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("super-secret"))
    }
}
