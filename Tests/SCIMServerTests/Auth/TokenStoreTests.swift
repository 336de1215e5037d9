import Foundation
import Testing
@testable import SCIMServer

/// Issued tokens: hashed at rest in a 0600 file, shown once, listed without secrets,
/// revocable, and noticed by a running server when the CLI changes the file.
@Suite struct TokenStoreTests {
    @Test func addReturnsAStrongURLSafeSecretOnceAndStoresOnlyAHash() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/.git/scimgit/tokens.json"
        let store = TokenStore(path: path)
        let secret = try store.add(name: "okta")
        #expect(secret.hasPrefix("scimgit_"))
        #expect(secret.count >= 8 + 43)  // 32 random bytes in base64url
        #expect(secret.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        let content = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!content.contains(secret))
        #expect(!content.contains(String(secret.dropFirst(8).prefix(20))))
        #expect(content.contains("\"okta\""))
        #expect(store.verify(secret) == "okta")
        #expect(store.verify(secret + "x") == nil)
        #expect(store.verify(String(secret.dropLast())) == nil)
        #expect(store.verify("") == nil)
        let second = try store.add(name: "entra")
        #expect(second != secret)
        #expect(store.verify(second) == "entra")
    }

    @Test func theFileIsOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/scimgit/tokens.json"
        let store = TokenStore(path: path)
        _ = try store.add(name: "okta")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        try store.revoke(name: "okta")
        let after = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(after?.intValue == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/scimgit").filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func listShowsNamesAndCreationTimesOnly() throws {
        let directory = try TemporaryDirectory()
        let store = TokenStore(path: directory.path + "/tokens.json")
        #expect(try store.list().isEmpty)
        let before = Date().addingTimeInterval(-2)
        _ = try store.add(name: "okta")
        _ = try store.add(name: "entra")
        let tokens = try store.list()
        #expect(tokens.map(\.name) == ["okta", "entra"])
        #expect(tokens.allSatisfy { $0.created >= before && $0.created <= Date().addingTimeInterval(2) })
    }

    @Test func revokeRemovesTheToken() throws {
        let directory = try TemporaryDirectory()
        let store = TokenStore(path: directory.path + "/tokens.json")
        let okta = try store.add(name: "okta")
        let entra = try store.add(name: "entra")
        try store.revoke(name: "okta")
        #expect(store.verify(okta) == nil)
        #expect(store.verify(entra) == "entra")
        #expect(try store.list().map(\.name) == ["entra"])
        #expect(throws: TokenError.self) { try store.revoke(name: "okta") }
    }

    @Test func namesAreUniqueAndValid() throws {
        let directory = try TemporaryDirectory()
        let store = TokenStore(path: directory.path + "/tokens.json")
        _ = try store.add(name: "okta")
        #expect(throws: TokenError.self) { try store.add(name: "okta") }
        for bad in ["", "has space", "-leading", "a/b", "x\ny", String(repeating: "a", count: 65), "émile"] {
            #expect(throws: TokenError.self, "\(bad)") { try store.add(name: bad) }
        }
    }

    @Test func aRunningVerifierSeesChangesMadeByAnotherProcess() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/tokens.json"
        let server = TokenStore(path: path)
        let cli = TokenStore(path: path)
        #expect(server.verify("anything") == nil)
        let secret = try cli.add(name: "okta")
        #expect(server.verify(secret) == "okta")
        try cli.revoke(name: "okta")
        #expect(server.verify(secret) == nil)
    }

    @Test func aDamagedFileVerifiesNothingAndListFails() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/tokens.json"
        let store = TokenStore(path: path)
        let secret = try store.add(name: "okta")
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect(store.verify(secret) == nil)
        #expect(throws: TokenError.self) { try store.list() }
    }

    @Test func thePathOfAStore() {
        #expect(TokenStore.path(forStore: "/srv/store") == "/srv/store/.git/scimgit/tokens.json")
    }

    @Test func hashingAndComparison() {
        let token = HashedToken(name: "n", secret: "s3cret-s3cret-s3cret")
        #expect(token.salt.count == HashedToken.saltLength)
        #expect(token.digest.count == 32)
        #expect(token.matches("s3cret-s3cret-s3cret"))
        #expect(!token.matches("s3cret-s3cret-s3creT"))
        let again = HashedToken(name: "n", secret: "s3cret-s3cret-s3cret")
        #expect(again.salt != token.salt && again.digest != token.digest)
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
    }
}
