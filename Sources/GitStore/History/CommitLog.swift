import CLibgit2

/// Walks history newest first, optionally keeping only commits that changed given paths
/// (files or folders), the way `git log -- PATH` does on a linear history.
enum CommitLog {
    static func walk(
        in repository: Repository, from start: ObjectID, paths: [String]?, limit: Int?,
        _ visit: (CommitInfo) throws -> Bool
    ) throws {
        var walker: OpaquePointer?
        try gitCheck(git_revwalk_new(&walker, repository.pointer), "start history walk")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        var startOid = start.oid
        try gitCheck(git_revwalk_push(walker, &startOid), "walk from \(start.short)")
        var emitted = 0
        var oid = git_oid()
        while git_revwalk_next(&oid, walker) == 0 {
            if let limit, emitted >= limit { return }
            let id = ObjectID(oid)
            let info = try repository.withCommit(id) { CommitInfo(commit: $0) }
            if let paths, !paths.isEmpty {
                guard try touches(info, paths, repository) else { continue }
            }
            emitted += 1
            guard try visit(info) else { return }
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
