import Foundation
@testable import GitStore
import Testing

/// Trailers are read as Foundation would split and trim them (what the history commands
/// were written against), without going through NSString.
@Suite("GitStore: commit trailers")
struct CommitTrailersTests {
    private func info(_ message: String) -> CommitInfo {
        let id = ObjectID.blob(hashing: Array(message.utf8))
        let someone = Signature(name: "a", email: "a@example.com")
        return CommitInfo(id: id, tree: id, parents: [], author: someone, committer: someone, time: Date(), authorTime: Date(), message: message)
    }

    /// The parser this one replaced.
    private func foundationTrailers(_ message: String) -> [(key: String, value: String)] {
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

    @Test(arguments: [
        "Create user ada\n\nSCIM-Operation: POST\nSCIM-Client: okta\n",
        "Create user ada\n\nbody text\n\nSCIM-Operation: POST\nSCIM-Client:   okta  \n\n\n",
        "Subject only",
        "Subject\n\n",
        "Subject\n\nnot a trailer line\n",
        "Subject\n\n\nSCIM-Client: okta",
        "Subject\n\nKey With Space: x\n",
        "Subject\n\n\tSCIM-Client\t:\tokta\u{00A0}\n",
        "Subject\n\n\u{3000}SCIM-Client: zoë\u{2003}\n\u{2028}",
        "Subject\n\n: empty key\n",
        "Subject\n\nSCIM-Client: a: b\r\n",
        "  \n\nSCIM-Client: x",
        "",
    ])
    func trailersMatchFoundationsSplit(message: String) {
        let ours = info(message).trailers, reference = foundationTrailers(message)
        #expect(ours.map(\.key) == reference.map(\.key))
        #expect(ours.map(\.value) == reference.map(\.value))
    }

    @Test func aTrailerIsFoundByKeyInAnyCase() {
        #expect(info("Subject\n\nSCIM-Client: okta").trailer("scim-client") == "okta")
        #expect(info("Subject\n\nSCIM-Client: okta").trailer("SCIM-Operation") == nil)
    }
}
