import CLibgit2
import Foundation

/// A commit as the history commands show it.
public struct CommitInfo: Sendable, Hashable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var author: Signature
    public var committer: Signature
    /// Commit time (the committer's).
    public var time: Date
    public var authorTime: Date
    /// The whole message.
    public var message: String

    /// The first line of the message.
    public var subject: String {
        String(message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// `Key: value` lines of the message's last paragraph (git trailers).
    public var trailers: [(key: String, value: String)] {
        let paragraphs = message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        guard paragraphs.count > 1, let last = paragraphs.last else { return [] }
        var out: [(String, String)] = []
        for line in last.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else { return [] }
            out.append((key, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return out
    }

    public func trailer(_ key: String) -> String? {
        trailers.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    public static func == (lhs: CommitInfo, rhs: CommitInfo) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    init(commit pointer: OpaquePointer) {
        id = ObjectID(git_commit_id(pointer))
        tree = ObjectID(git_commit_tree_id(pointer))
        parents = (0..<git_commit_parentcount(pointer)).map { ObjectID(git_commit_parent_id(pointer, $0)) }
        let authorSignature = git_commit_author(pointer)!.pointee
        let committerSignature = git_commit_committer(pointer)!.pointee
        author = Signature(name: String(cString: authorSignature.name), email: String(cString: authorSignature.email))
        committer = Signature(name: String(cString: committerSignature.name), email: String(cString: committerSignature.email))
        authorTime = Date(timeIntervalSince1970: TimeInterval(authorSignature.when.time))
        time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(pointer)))
        message = git_commit_message(pointer).map { String(cString: $0) } ?? ""
    }
}
