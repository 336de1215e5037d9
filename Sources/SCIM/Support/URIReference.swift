/// Recognises text that cannot be a URI reference, the form of `reference` values
/// (RFC 7643 §2.3.7: "an absolute or relative URI").
///
/// Deliberately loose: IdPs send relative `$ref`s (`../Users/…`), URNs and internationalised
/// URLs, and a reference is only stored, never dereferenced. What it refuses is what no
/// URI reference holds (RFC 3986 §2): spaces, control characters and `"<>\^`{|}`, the
/// signs of a display name or a free-text field mapped onto a reference by mistake.
enum URIReference {
    static func isPlausible(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x00...0x20, 0x7F: return false
            case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
                 UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"):
                return false
            default: continue
            }
        }
        return true
    }
}
