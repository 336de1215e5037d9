import CLibgit2

/// Walks history newest first, optionally keeping only commits that changed given paths
/// (files or folders), the way `git log -- PATH` does on a linear history.
///
/// scimgit's history is a line (every write is one commit on the last), and a line is
/// walked one parent at a time: the newest commits come at once, where libgit2's sorted
/// walk reads the whole history before it returns the first. With a commit-graph
/// (`graph`), parents come from it and a commit its Bloom filters rule out is passed over
/// without reading an object. From the first merge on (a history made by hand), libgit2's
/// walk takes over.
enum CommitLog {
    static func walk(
        in repository: Repository, from start: ObjectID, paths: [String]?, limit: Int?,
        graph: CommitGraph? = nil, _ visit: (CommitInfo) throws -> Bool
    ) throws {
        let paths = paths?.isEmpty == false ? paths : nil
        let keys = graph.flatMap { graph in paths.map { $0.map(graph.key) } }
        if let limit, limit <= 0 { return }
        var emitted = 0
        /// Visits one commit unless the paths rule it out; false when the walk is over.
        func consider(_ info: CommitInfo) throws -> Bool {
            if let paths, !(try touches(info, paths, repository)) { return true }
            emitted += 1
            guard try visit(info) else { return false }
            // Over at the limit: not one commit more is read.
            return limit.map { emitted < $0 } ?? true
        }
        var next: ObjectID? = start
        var position = graph?.position(of: start)
        while let id = next {
            if let graph, let at = position, let entry = graph.commit(at: at), entry.id == id, entry.parents.count <= 1 {
                let ruledOut = keys.map { keys in !keys.contains { graph.mayHaveChanged(at: at, $0) } } ?? false
                if !ruledOut {
                    guard try consider(try repository.withCommit(id) { CommitInfo(commit: $0) }) else { return }
                }
                position = entry.parents.first
                next = position.flatMap { graph.commit(at: $0)?.id }
                continue
            }
            let info = try repository.withCommit(id) { CommitInfo(commit: $0) }
            guard info.parents.count <= 1 else {
                return try walkSorted(in: repository, from: id, paths: paths, consider)
            }
            guard try consider(info) else { return }
            next = info.parents.first
            position = next.flatMap { graph?.position(of: $0) }
        }
    }

    /// libgit2's walk (newest first, parents after children) of everything from `start`.
    private static func walkSorted(in repository: Repository, from start: ObjectID, paths: [String]?, _ consider: (CommitInfo) throws -> Bool) throws {
        var walker: OpaquePointer?
        try gitCheck(git_revwalk_new(&walker, repository.pointer), "start history walk")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        var startOid = start.oid
        try gitCheck(git_revwalk_push(walker, &startOid), "walk from \(start.short)")
        var oid = git_oid()
        while git_revwalk_next(&oid, walker) == 0 {
            guard try consider(try repository.withCommit(ObjectID(oid)) { CommitInfo(commit: $0) }) else { return }
        }
    }

    /// Whether the commit changed anything under one of `paths` compared with its first parent.
    static func touches(_ commit: CommitInfo, _ paths: [String], _ repository: Repository) throws -> Bool {
        let parentTree = try commit.parents.first.map { try repository.treeID(ofCommit: $0) }
        for path in paths {
            let now = try repository.entry(at: path, inTree: commit.tree)?.id
            let before = try parentTree.flatMap { try repository.entry(at: path, inTree: $0)?.id }
            if now != before { return true }
        }
        return false
    }
}
