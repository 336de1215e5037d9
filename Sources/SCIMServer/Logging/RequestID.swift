import Synchronization

/// Request ids: the one a client sent when it is a sane short token, else a fresh UUID.
///
/// The id is echoed in `X-Request-Id`, logged, and written into the commit of a write
/// (`SCIM-Request-Id` trailer), so it must not be able to smuggle anything into a header, a
/// log line or a commit message: at most 128 characters of letters, digits and `._:-`.
enum RequestID {
    static let maxLength = 128

    static func accepting(_ presented: String?) -> String {
        if let presented, isSane(presented) { return presented }
        return generate()
    }

    static func isSane(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maxLength else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// A UUID-shaped id (version 4 layout, lowercase): a random per-process key mixed with a
    /// counter. Unique within the process by construction and across processes by the key;
    /// not a secret, so no system call per request (a fresh random UUID cost one, plus a
    /// formatting pass, on every request).
    static func generate() -> String {
        let count = counter.add(1, ordering: .relaxed).newValue
        let high = mix(count ^ key.0)
        let low = mix(count &+ key.1)
        let bytes = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (position, var byte) in bytes.enumerated() {
            if position == 6 { byte = 0x40 | (byte & 0x0f) }
            if position == 8 { byte = 0x80 | (byte & 0x3f) }
            if position == 4 || position == 6 || position == 8 || position == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let key: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    /// splitmix64's finalizer: a bijection, so distinct counters give distinct ids.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
