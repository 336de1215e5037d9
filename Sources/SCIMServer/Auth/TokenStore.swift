import Files
import Foundation
import Synchronization

/// API tokens issued with `scimgit token add`, kept as salted hashes in a JSON file.
///
/// The CLI keeps the file at `<store>/.git/scimgit/tokens.json`: inside the repository
/// but outside the working tree, so it is never committed and never served. The file is
/// written atomically (temporary file, fsync, rename) with mode 0600, under an `flock` so
/// two `scimgit token` commands cannot lose each other's change. A secret is returned once,
/// by `add`, and never stored.
///
/// As a `TokenVerifier` the store notices when the file changes (a token added or revoked
/// by the CLI while the server runs) and reloads it on the next request: revocation takes
/// effect immediately. A file that cannot be read verifies nothing (fail closed).
public final class TokenStore: TokenVerifier, Sendable {
    /// A token as `list` shows it: never its secret or hash.
    public struct Token: Sendable, Hashable {
        public let name: String
        public let created: Date
    }

    /// The JSON file.
    public let path: String
    private let cache = Mutex<Cache>(Cache())

    private struct Cache {
        var fingerprint: FileStamp?
        var tokens = HashedTokenSet(tokens: [])
    }

    /// The store at `path` (the file need not exist yet).
    public init(path: String) {
        self.path = path
    }

    /// The token file of the scimgit store (git repository) at `directory`.
    public static func path(forStore directory: String) -> String {
        MetadataPaths(storeRoot: directory).tokens
    }

    /// The admin token file (console sign-in) of the store at `directory`.
    public static func adminPath(forStore directory: String) -> String {
        MetadataPaths(storeRoot: directory).adminTokens
    }

    // MARK: Operations

    /// Issues a token named `name` and returns its secret: the only time it is visible.
    /// Fails if the name is invalid or already taken.
    public func add(name: String) throws(TokenError) -> String {
        try TokenName.validate(name)
        let secret = TokenSecret.generate()
        try withFileLock { () throws(TokenError) in
            var file = try read()
            guard !file.tokens.contains(where: { $0.name == name }) else {
                throw TokenError("a token named \"\(name)\" already exists (revoke it first)")
            }
            let hashed = HashedToken(name: name, secret: secret)
            file.tokens.append(StoredToken(hashed, created: Date()))
            try write(file)
        }
        return secret
    }

    /// The issued tokens, oldest first.
    public func list() throws(TokenError) -> [Token] {
        try read().tokens.map { Token(name: $0.name, created: $0.created) }
    }

    /// Revokes the token named `name`; fails if there is none.
    public func revoke(name: String) throws(TokenError) {
        try withFileLock { () throws(TokenError) in
            var file = try read()
            let before = file.tokens.count
            file.tokens.removeAll { $0.name == name }
            guard file.tokens.count < before else { throw TokenError("no token named \"\(name)\"") }
            try write(file)
        }
    }

    public func verify(_ presented: String) -> String? {
        let tokens = cache.withLock { cache -> HashedTokenSet in
            let fingerprint = FileStamp.of(path)
            if cache.fingerprint == nil || cache.fingerprint != fingerprint {
                cache.tokens = (try? loadHashes()) ?? HashedTokenSet(tokens: [])
                cache.fingerprint = fingerprint
            }
            return cache.tokens
        }
        return tokens.verify(presented)
    }

    // MARK: File format

    /// `{"version":1,"tokens":[{"name","created","algorithm","salt","hash"}]}`.
    private struct TokenFile: Codable {
        var version: Int
        var tokens: [StoredToken]
    }

    private struct StoredToken: Codable {
        var name: String
        var created: Date
        var algorithm: String
        var salt: String
        var hash: String

        static let algorithm = "HMAC-SHA256"

        init(_ token: HashedToken, created: Date) {
            name = token.name
            self.created = created
            algorithm = StoredToken.algorithm
            salt = Data(token.salt).base64EncodedString()
            hash = Data(token.digest).base64EncodedString()
        }

        func hashed() throws(TokenError) -> HashedToken {
            guard algorithm == StoredToken.algorithm,
                  let salt = Data(base64Encoded: salt), let digest = Data(base64Encoded: hash), !salt.isEmpty, digest.count == 32
            else { throw TokenError("token \"\(name)\" in the token file is damaged") }
            return HashedToken(name: name, salt: Array(salt), digest: Array(digest))
        }
    }

    private func loadHashes() throws(TokenError) -> HashedTokenSet {
        var hashes: [HashedToken] = []
        for token in try read().tokens { hashes.append(try token.hashed()) }
        return HashedTokenSet(tokens: hashes)
    }

    private func read() throws(TokenError) -> TokenFile {
        do {
            guard let bytes = try AtomicFile.read(path) else { return TokenFile(version: 1, tokens: []) }
            let data = Data(bytes)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let file = try decoder.decode(TokenFile.self, from: data)
            guard file.version == 1 else { throw TokenError("unsupported token file version \(file.version) in \(path)") }
            return file
        } catch let error as TokenError {
            throw error
        } catch {
            throw TokenError("cannot read the token file \(path): \(error)")
        }
    }

    private func write(_ file: TokenFile) throws(TokenError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(file) + Data("\n".utf8) } catch {
            throw TokenError("cannot encode the token file: \(error)")
        }
        do {
            try AtomicFile.write(Array(data), to: path, mode: 0o600, durable: true)
        } catch {
            throw TokenError("cannot write \(path): \(error)")
        }
    }

    /// Runs `body` holding an exclusive lock on `<path>.lock`, so two `scimgit token`
    /// commands cannot lose each other's change.
    private func withFileLock<T>(_ body: () throws(TokenError) -> T) throws(TokenError) -> T {
        let lock: FileLock
        do {
            _ = try Folder(opening: (path as NSString).deletingLastPathComponent, create: true, mode: 0o700)
            lock = try FileLock(path: path + ".lock", mode: 0o600)
            try lock.acquire(timeout: nil)
        } catch {
            throw TokenError("cannot lock \(path).lock: \(error)")
        }
        defer { lock.release() }
        return try body()
    }
}
