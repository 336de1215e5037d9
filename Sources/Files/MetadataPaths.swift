/// Where scimgit keeps what it owns beside git's own files: inside `.git`, so it is never
/// part of the working tree or of history, and no commit (nor a link in one) can reach it.
/// Every module builds these paths here.
public struct MetadataPaths: Sendable {
    public let gitDirectory: String

    public init(gitDirectory: String) {
        self.gitDirectory = gitDirectory
    }

    /// For a store whose `.git` is a folder in its root (every store scimgit creates).
    public init(storeRoot: String) {
        gitDirectory = MetadataPaths.join(storeRoot, ".git")
    }

    /// `.git/scimgit/`: the server's own files.
    public var folder: String { MetadataPaths.join(gitDirectory, "scimgit") }
    /// API tokens, as salted hashes (mode 0600).
    public var tokens: String { MetadataPaths.join(folder, "tokens.json") }
    /// Admin tokens (sign-in to the console), apart from the API tokens so neither kind can
    /// stand for the other.
    public var adminTokens: String { MetadataPaths.join(folder, "admin-tokens.json") }
    /// The in-memory indexes as of a clean stop, for a fast start.
    public var indexSnapshot: String { MetadataPaths.join(folder, "index-snapshot") }
    /// The HEAD a clean stop left the working tree and index equal to.
    public var cleanShutdown: String { MetadataPaths.join(folder, "clean-shutdown") }
    /// The deprovisioning guard's counts and trip (see `GuardState`).
    public var guardState: String { MetadataPaths.join(folder, "guard.json") }
    /// The console's history index (commits and what each did), so a restart reads only
    /// the commits since (see `HistoryIndexFile`).
    public var historyIndex: String { MetadataPaths.join(folder, "history-index") }
    /// The key cursors (RFC 9865 paging) are signed with: a cursor from another store, or
    /// one a client made up, fails its check (mode 0600).
    public var cursorKey: String { MetadataPaths.join(folder, "cursor-key") }
    /// Held for its whole life by the process that owns the working tree (`serve`).
    public var ownerLock: String { MetadataPaths.join(folder, "owner.lock") }
    /// One writer at a time (the server, a CLI command): held for each write.
    public var writerLock: String { MetadataPaths.join(gitDirectory, "scimgit.lock") }
    /// Says the store is going offline (`scimgit tenant remove`): a server of many
    /// organisations closes it and answers its requests as for an unknown tenant.
    public var offlineMarker: String { MetadataPaths.join(folder, "offline") }
    /// Old versions of replaced working-tree files, whose inodes later writes reuse.
    public var spareFolder: String { MetadataPaths.join(gitDirectory, "scimgit-spare") }

    public static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
