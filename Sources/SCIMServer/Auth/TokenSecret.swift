/// New API token secrets: `scimgit_` followed by 32 random bytes in base64url (43
/// characters), 256 bits of entropy in URL-safe text with no spaces, easy to paste into an
/// IdP and recognisable by secret scanners.
enum TokenSecret {
    static let prefix = "scimgit_"
    static let entropyBytes = 32

    static func generate() -> String {
        prefix + Base64URL.encode(RandomBytes.generate(count: entropyBytes))
    }
}

/// Unpadded base64url (RFC 4648 §5).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            let available = min(3, bytes.count - index)
            for position in 0...available {
                output.append(alphabet[Int(triple >> UInt32(18 - 6 * position) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
