import Foundation

/// Who made a commit: git's name + email pair. The store records the client that sent a
/// write as author and itself as committer, so `git log` answers "who sent this".
public struct Signature: Sendable, Hashable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// The committer of every commit the store makes.
    public static let scimgit = Signature(name: "scimgit", email: "scimgit@localhost")
}
