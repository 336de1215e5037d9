/// A failure a command reports to the person who ran it: printed as `Error: …`, exit 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
