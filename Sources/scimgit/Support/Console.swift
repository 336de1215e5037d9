import SCIM

/// Printing what came from clients or from history (names, subjects, attribute values):
/// escape sequences, bidi controls and other invisible characters are shown escaped, so
/// a userName cannot recolour, retitle or reorder the admin's terminal.
enum Console {
    static func say(_ text: String = "", terminator: String = "\n") {
        print(DisplayText.escapedKeepingLines(text), terminator: terminator)
    }
}
