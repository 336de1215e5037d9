/// Recognises base64 text, the form RFC 7643 §2.3.6 requires of `binary` values.
///
/// Validation must tell an encoded certificate from any string without decoding it (a
/// write only checks, it stores the text as sent), so this scans the bytes once.
enum Base64Text {
    /// True for RFC 4648 base64 (§4) or its URL-safe alphabet (§5, which RFC 7643 lets a
    /// schema choose), padded or not. Whitespace and line breaks (MIME's) are refused, as
    /// RFC 4648 §3.3 says; the empty string encodes zero bytes.
    static func isValid(_ text: String) -> Bool {
        var count = 0
        var padding = 0
        var standard = false, urlSafe = false
        for byte in text.utf8 {
            count += 1
            if padding > 0 {
                guard byte == UInt8(ascii: "=") else { return false }
                padding += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "+"), UInt8(ascii: "/"): standard = true
            case UInt8(ascii: "-"), UInt8(ascii: "_"): urlSafe = true
            case UInt8(ascii: "="): padding = 1
            default: return false
            }
        }
        if standard && urlSafe || padding > 2 { return false }
        return padding > 0 ? count % 4 == 0 : count % 4 != 1
    }
}
