/// What a writer can do while it holds the store: commit batches, restore past trees.
/// Valid only inside `GitStore.write { }`.
public struct WriteSession {
    fileprivate let writer: Writer
    /// HEAD moved by someone else since this process last wrote, adopted before the session.
    public let headMove: HeadMove?

    init(writer: Writer, headMove: HeadMove?) {
        self.writer = writer
        self.headMove = headMove
    }

    public var head: ObjectID? { writer.head }

    /// Commits each spec as its own commit, in order; the batch is made durable together
    /// and the branch moves once. All or nothing: on error no commit of the batch exists
    /// and the working tree is as before. Returns each spec's commit (nil: no change).
    public func commit(_ specs: [CommitSpec]) throws -> [ObjectID?] {
        try writer.commit(specs)
    }

    /// Commits the tree of `commit` as is on top of HEAD (a rollback). Nil when HEAD
    /// already has that tree.
    public func restore(treeOf commit: ObjectID, message: String, author: Signature) throws -> ObjectID? {
        let tree = try writer.repository.treeID(ofCommit: commit)
        return try writer.commit(tree: tree, message: message, author: author)
    }

    /// A file's bytes in HEAD's tree (what is committed, regardless of the working tree).
    public func committedFile(_ path: String) throws -> [UInt8]? {
        guard let tree = writer.headTree, let blob = try writer.repository.fileBlob(at: path, inTree: tree) else { return nil }
        return try writer.repository.blobContent(blob)
    }

    /// The blob id at a path in HEAD's tree.
    public func committedBlob(_ path: String) throws -> ObjectID? {
        guard let tree = writer.headTree else { return nil }
        return try writer.repository.fileBlob(at: path, inTree: tree)
    }
}
