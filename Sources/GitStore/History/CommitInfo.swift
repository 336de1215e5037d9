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
    ///
    /// In plain Swift rather than Foundation's `trimmingCharacters`/`components`, which go
    /// through NSString: a sync's rollback reads the trailers of ten thousand commits.
    public var trailers: [(key: String, value: String)] {
        let trimmed = CommitInfo.trimmed(message[...], isSpace: CommitInfo.isSpaceOrNewline)
        let bytes = trimmed.utf8
        // The last paragraph: what follows the last blank line ("\n\n").
        var start: String.Index?
        var position = bytes.endIndex
        while position > bytes.startIndex {
            let previous = bytes.index(before: position)
            if bytes[previous] == 0x0A, previous > bytes.startIndex, bytes[bytes.index(before: previous)] == 0x0A {
                start = position
                break
            }
            position = previous
        }
        guard let start else { return [] }
        var out: [(String, String)] = []
        for line in trimmed[start...].split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let key = CommitInfo.trimmed(line[..<colon], isSpace: CommitInfo.isSpace)
            guard !key.isEmpty, !key.contains(" ") else { return [] }
            out.append((String(key), String(CommitInfo.trimmed(line[line.index(after: colon)...], isSpace: CommitInfo.isSpace))))
        }
        return out
    }

    /// Foundation's `.whitespaces`: tab and the space separators.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// Foundation's `.whitespacesAndNewlines`.
    private static func isSpaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        if isSpace(scalar) { return true }
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    private static func trimmed(_ text: Substring, isSpace: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return Substring(scalars[first...last])
    }

    public func trailer(_ key: String) -> String? {
        trailers.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    public static func == (lhs: CommitInfo, rhs: CommitInfo) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    init(id: ObjectID, tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, time: Date, authorTime: Date, message: String) {
        (self.id, self.tree, self.parents, self.author, self.committer) = (id, tree, parents, author, committer)
        (self.time, self.authorTime, self.message) = (time, authorTime, message)
    }

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
