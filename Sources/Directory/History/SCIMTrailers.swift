import GitStore

/// The trailers scimgit wrote on a commit: the message's last paragraph, read only when it
/// opens with `SCIM-Operation:` as every block scimgit writes does. Client text is quoted
/// into single lines (`CommitMessage.quote`), so no body line can pass for a trailer, and a
/// hand-made commit whose last paragraph looks like trailers is not taken for scimgit's.
struct SCIMTrailers {
    private var pairs: [(key: String, value: String)] = []

    init(_ info: CommitInfo) {
        let trailers = info.trailers
        guard let first = trailers.first, first.key == CommitMessage.operationKey else { return }
        pairs = trailers
    }

    /// The first value of `key` (keys compare without case, as git's do).
    subscript(_ key: String) -> String? {
        pairs.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    var isEmpty: Bool { pairs.isEmpty }
}
