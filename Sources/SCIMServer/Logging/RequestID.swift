import Foundation

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

    static func generate() -> String {
        UUID().uuidString.lowercased()
    }
}
