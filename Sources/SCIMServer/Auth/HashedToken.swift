import Crypto

/// A token as the server keeps it: its name, a random salt and HMAC-SHA256(salt, secret).
///
/// The secret itself is never kept, so neither memory dumps nor the token file reveal it.
/// Issued secrets carry 256 bits of entropy, so one keyed hash is enough (no slow KDF is
/// needed to resist guessing); the per-token salt keeps equal secrets from having equal
/// hashes.
struct HashedToken: Sendable, Hashable {
    static let saltLength = 16

    let name: String
    let salt: [UInt8]
    let digest: [UInt8]

    init(name: String, salt: [UInt8], digest: [UInt8]) {
        self.name = name
        self.salt = salt
        self.digest = digest
    }

    /// Hashes `secret` under a fresh random salt.
    init(name: String, secret: String) {
        let salt = RandomBytes.generate(count: HashedToken.saltLength)
        self.init(name: name, salt: salt, digest: HashedToken.digest(of: secret, salt: salt))
    }

    static func digest(of secret: String, salt: [UInt8]) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: SymmetricKey(data: salt))
        return Array(code)
    }

    /// Whether `presented` is this token's secret, in time independent of where they differ.
    func matches(_ presented: String) -> Bool {
        ConstantTime.equals(HashedToken.digest(of: presented, salt: salt), digest)
    }
}

/// A set of hashed tokens checked together: every token is tried (no early exit), so the
/// time taken does not say which one matched or how many there are before it.
struct HashedTokenSet: Sendable {
    let tokens: [HashedToken]

    func verify(_ presented: String) -> String? {
        var match: String?
        for token in tokens where token.matches(presented) && match == nil {
            match = token.name
        }
        return match
    }
}

/// Comparison of secrets whose duration does not depend on their content.
enum ConstantTime {
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}

/// Cryptographically secure random bytes (swift-crypto's key generation).
enum RandomBytes {
    static func generate(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let key = SymmetricKey(size: .bits256)
            key.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// `count` random bytes as lowercase hex (session ids, CSRF tokens).
    static func hex(count: Int) -> String {
        generate(count: count).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
