/// What one commit does to one path of the working tree.
public enum FileChange: Sendable, Hashable {
    /// Write these bytes (a new blob).
    case write([UInt8])
    /// Put an existing blob back at the path (rollback and revert reuse past blobs as is).
    case restore(ObjectID)
    /// Remove the path. Removing a path that does not exist is a no-op.
    case delete
}

/// One commit's worth of changes: the unit the store turns into exactly one git commit.
public struct CommitSpec: Sendable {
    /// Path (relative to the store's root, `/`-separated) → change.
    public var changes: [String: FileChange]
    /// The full commit message: subject line, blank line, body, trailers.
    public var message: String
    /// The client the change came from.
    public var author: Signature

    public init(changes: [String: FileChange], message: String, author: Signature) {
        self.changes = changes
        self.message = message
        self.author = author
    }
}
