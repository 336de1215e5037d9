import Files
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing
@testable import Directory

/// Cursors are opaque, signed with the store's own key, and refused when altered, foreign
/// or older than the cursor timeout.
@Suite struct PageCursorTests {
    private let commit = ObjectID(hex: "0123456789abcdef0123456789abcdef01234567")!

    private func codec(_ folder: TemporaryFolder) -> PageCursorCodec {
        PageCursorCodec(paths: MetadataPaths(gitDirectory: folder.path + "/.git"))
    }

    private func refusal(_ body: () throws -> Void) -> SCIMError? {
        do { try body(); return nil } catch { return error as? SCIMError }
    }

    @Test func aCursorRoundTripsAndIsURLSafe() throws {
        let folder = TemporaryFolder()
        let cursor = PageCursor(commit: commit, offset: 1500, count: 500, query: 0xfeed_beef, issuedAt: 1_700_000_000)
        let text = try codec(folder).encode(cursor)
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try codec(folder).decode(text, now: 1_700_000_100) == cursor, "a second codec reads the same key file")
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path + "/.git/scimgit/cursor-key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func alteredForeignAndExpiredCursorsAreRefused() throws {
        let folder = TemporaryFolder(), other = TemporaryFolder()
        let cursor = PageCursor(commit: commit, offset: 0, count: 10, query: 1, issuedAt: 1_700_000_000)
        let text = try codec(folder).encode(cursor)
        var altered = Array(text)
        altered[10] = altered[10] == "A" ? "B" : "A"
        for forged in [String(altered), "", "not a cursor", text + "A", String(text.dropLast(2)), String(repeating: "A", count: 500)] {
            #expect(refusal { _ = try codec(folder).decode(forged, now: 1_700_000_000) }?.scimType == .invalidCursor, "\(forged)")
        }
        // Another store (another tenant) has another key.
        #expect(refusal { _ = try codec(other).decode(text, now: 1_700_000_000) }?.scimType == .invalidCursor)
        let late = Int64(1_700_000_000 + CursorPaging.timeoutSeconds + 1)
        let expired = refusal { _ = try codec(folder).decode(text, now: late) }
        #expect(expired?.scimType == .expiredCursor)
        #expect(expired?.status == 400)
    }
}
