/// A token given in configuration (`--token NAME=SECRET`, a `--token-file` or
/// `SCIMGIT_TOKENS`), before it is hashed. Its secret is kept out of `description`, `debugDescription` and `dump`, so it
/// cannot reach a log line by accident.
public struct ConfiguredToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The client name requests with this token are attributed to.
    public let name: String
    let secret: String

    public init(name: String, secret: String) throws(TokenError) {
        try TokenName.validate(name)
        try ConfiguredTokens.validateSecret(secret, name: name)
        self.name = name
        self.secret = secret
    }

    public var description: String { "ConfiguredToken(name: \(name), secret: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["name": name, "secret": "<redacted>"]) }
}

/// Turns configured token strings into a verifier.
///
/// The forms, on the command line, one per line in a `TokenFile`, or comma-separated in
/// `SCIMGIT_TOKENS`:
/// - `NAME=SECRET`: the client `NAME`;
/// - `SECRET` alone: the client `default`.
/// A string is `NAME=SECRET` when the part before the first `=` is a valid token name and
/// the part after it is more than `=` padding; otherwise all of it is the secret (so a
/// base64 secret ending in `==` works bare). Secrets are at least 16 characters, with no
/// spaces, commas or control characters (they travel in an HTTP header; a comma would
/// split the environment variable). Names must be unique.
public enum ConfiguredTokens {
    /// The environment variable holding comma-separated tokens.
    public static let environmentVariable = "SCIMGIT_TOKENS"
    /// The name of a token given without one.
    public static let defaultName = "default"
    /// The shortest secret accepted: shorter ones could be guessed over the network.
    public static let minimumSecretLength = 16

    /// Parses one `NAME=SECRET` or `SECRET`.
    public static func parse(_ entry: String) throws(TokenError) -> ConfiguredToken {
        let text = entry.trimmingASCIIWhitespace
        guard !text.isEmpty else { throw TokenError("empty token: use NAME=SECRET or SECRET") }
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            let secret = String(text[text.index(after: equals)...])
            if (try? TokenName.validate(name)) != nil {
                if secret.isEmpty { throw TokenError("token \"\(name)\" has an empty secret") }
                if secret.contains(where: { $0 != "=" }) { return try ConfiguredToken(name: name, secret: secret) }
            }
        }
        return try ConfiguredToken(name: defaultName, secret: text)
    }

    /// Parses the value of `SCIMGIT_TOKENS`: entries separated by commas (empty ones skipped).
    public static func parseList(_ value: String) throws(TokenError) -> [ConfiguredToken] {
        var tokens: [ConfiguredToken] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = String(part).trimmingASCIIWhitespace
            if entry.isEmpty { continue }
            tokens.append(try parse(entry))
        }
        return tokens
    }

    /// All configured tokens: `entries` (e.g. repeated `--token` options), those of the
    /// token `files`, then those of `SCIMGIT_TOKENS` in `environment`. Fails on a
    /// duplicate name.
    public static func parse(entries: [String], files: [String] = [], environment: [String: String]) throws(TokenError) -> [ConfiguredToken] {
        var tokens: [ConfiguredToken] = []
        for entry in entries { tokens.append(try parse(entry)) }
        for file in files { tokens += try TokenFile.load(file) }
        if let list = environment[environmentVariable] { tokens += try parseList(list) }
        var seen: Set<String> = []
        for token in tokens where !seen.insert(token.name).inserted {
            throw TokenError("token name \"\(token.name)\" is configured twice")
        }
        return tokens
    }

    /// `parse(entries:files:environment:)` hashed into a verifier, the form the server needs.
    public static func verifier(entries: [String], files: [String] = [], environment: [String: String]) throws(TokenError) -> ConfiguredTokenVerifier {
        ConfiguredTokenVerifier(try parse(entries: entries, files: files, environment: environment))
    }

    static func validateSecret(_ secret: String, name: String) throws(TokenError) {
        guard secret.count >= minimumSecretLength else {
            throw TokenError("the secret of token \"\(name)\" is shorter than \(minimumSecretLength) characters")
        }
        let printable = secret.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && scalar != ","
        }
        guard printable else {
            throw TokenError("the secret of token \"\(name)\" contains a space, a comma or a control character")
        }
    }
}

/// Configured tokens, hashed when the server starts (each under its own random salt), so
/// the secrets themselves are dropped right away.
public struct ConfiguredTokenVerifier: TokenVerifier {
    private let set: HashedTokenSet
    /// The configured client names, in order.
    public let names: [String]

    public init(_ tokens: [ConfiguredToken]) {
        set = HashedTokenSet(tokens: tokens.map { HashedToken(name: $0.name, secret: $0.secret) })
        names = tokens.map(\.name)
    }

    public func verify(_ presented: String) -> String? {
        set.verify(presented)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    var trimmingASCIIWhitespace: String {
        let bytes = Array(utf8)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
