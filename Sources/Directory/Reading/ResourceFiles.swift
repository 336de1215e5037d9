import GitStore

/// Where resource files are read from: the working tree (every request, as committed
/// now) or one commit's tree (reads as of a past point). The indexer and the readers take
/// one, so a store at an old commit is indexed and answered by the same code as today's.
protocol ResourceFiles: Sendable {
    /// The file's bytes; nil when there is none at `path`.
    func read(_ path: String) throws -> [UInt8]?
    /// Every tracked file with its blob id.
    func listing() throws -> [(path: String, blob: ObjectID)]
}

struct WorkingTreeFiles: ResourceFiles {
    let store: GitStore

    func read(_ path: String) throws -> [UInt8]? { try store.readWorkingFile(path) }

    func listing() throws -> [(path: String, blob: ObjectID)] { try store.trackedFiles() }
}

/// A commit's files, read from git's objects: links and other non-files are left out, as a
/// link in the working tree is never followed.
struct CommitFiles: ResourceFiles {
    let store: GitStore
    let commit: ObjectID

    func read(_ path: String) throws -> [UInt8]? {
        guard let blob = try store.blob(at: path, in: commit) else { return nil }
        return try store.readBlob(blob)
    }

    func listing() throws -> [(path: String, blob: ObjectID)] {
        try StoreLayout.ownedFolders.flatMap { folder in
            try store.files(at: commit, under: folder).filter { $0.kind == .file }.map { ($0.path, $0.blob) }
        }
    }
}
