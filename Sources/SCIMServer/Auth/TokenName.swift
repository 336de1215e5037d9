/// The rule for token names. A name ends up in commit authors, `SCIM-Client` trailers and
/// log lines, so it is short, printable and free of separators.
enum TokenName {
    static let maxLength = 64

    /// Letters, digits, `.`, `_`, `-`; 1 to 64 characters, starting with a letter or digit.
    static func validate(_ name: String) throws(TokenError) {
        guard !name.isEmpty, name.utf8.count <= maxLength else {
            throw TokenError("a token name must have 1 to \(maxLength) characters")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-")
        }
        guard allowed, let first = name.unicodeScalars.first, isAlphanumeric(first) else {
            throw TokenError("token name \"\(name)\" is invalid: use letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
