/// A token that cannot be configured, issued, revoked or loaded. Messages name tokens and
/// files, never a secret.
public struct TokenError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
