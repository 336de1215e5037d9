import Files

/// A cheap answer to "may HEAD have moved?": the identity and modification time of the
/// files git keeps HEAD in. Every git command that moves the branch rewrites its ref file,
/// so one `stat` of it answers; HEAD and packed-refs are looked at only when that file
/// changed or is gone (after `git pack-refs`). Only when they change does the store resolve
/// HEAD for real.
struct HeadFingerprint: Equatable, Sendable {
    private var stamps: [FileStamp?]

    /// The branch ref file's stamp (nil when the ref lives in packed-refs).
    var branch: FileStamp? { stamps[1] }

    static func read(gitDirectory: String, branchReference: String) -> HeadFingerprint {
        let files = ["HEAD", branchReference, "packed-refs"]
        return HeadFingerprint(stamps: files.map { stamp(StorePaths.join(gitDirectory, $0)) })
    }

    static func stamp(_ path: String) -> FileStamp? {
        FileStamp.of(path)
    }
}
