/// Text from clients made safe to put in front of a person or into a line-based record (a
/// commit message, a terminal): every character that could end a line, move the cursor,
/// recolour a terminal, reorder what is shown (bidi controls) or hide itself is written
/// as a visible escape (`\n`, `\u{202E}`), and long values are cut.
///
/// A userName ending in `"\n\nSCIM-Client: entra"` must not become a trailer of someone
/// else's commit, and one holding `ESC ]` must not rewrite the admin's terminal title.
public enum DisplayText {
    /// `text` with unsafe characters escaped and at most `limit` characters (then `…`).
    public static func escaped(_ text: String, limit: Int? = nil) -> String {
        // Most text is printable ASCII: nothing to escape, one byte a character.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            guard let limit, text.utf8.count > limit else { return text }
            return String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var count = 0
        for scalar in text.unicodeScalars {
            if let limit, count >= limit {
                out += "…"
                return out
            }
            if isUnsafe(scalar) {
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\0": out += "\\0"
                default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    /// Whole lines of output (a diff, a log) with every unsafe character escaped but the
    /// line breaks and tabs that separate them: the last guard before a terminal.
    public static func escapedKeepingLines(_ text: String) -> String {
        guard !isSafe(text) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.split(separator: "\t", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\t") }
            .joined(separator: "\n")
    }

    /// Whether `text` needs no escaping.
    public static func isSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: isUnsafe)
    }

    /// C0 and C1 controls, DEL, line and paragraph separators, bidi embedding, override and
    /// isolate controls, and the zero-width characters that hide text.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x200B...0x200D, 0x2060, 0xFEFF: return true
        default: return false
        }
    }
}
