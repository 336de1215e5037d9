import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

/// A clean stop saves the indexes; the next start uses them, brought up to HEAD by the tree
/// diff when git moved HEAD in between, and rebuilds from the files when the snapshot is
/// unusable.
@Suite("Directory: index snapshot")
struct IndexSnapshotTests {
    private func snapshotPath(_ fixture: DirectoryFixture) -> String {
        fixture.directory.store.gitDirectory + "/scimgit/index-snapshot"
    }

    @Test func aCleanStopSavesTheIndexesAndTheNextStartUsesThem() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com", extra: ["externalId": "00uA", "active": false])
        let eng = try await fixture.createGroup("Engineering", members: [ada.id])
        try fixture.restart()
        #expect(FileManager.default.fileExists(atPath: snapshotPath(fixture)))
        #expect(try await fixture.search(.user, ["filter": "userName eq \"ADA@example.com\""]).resources.map(\.id) == [ada.id])
        #expect(try await fixture.search(.user, ["filter": "externalId eq \"00uA\""]).totalResults == 1)
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).totalResults == 1)
        #expect(try await fixture.get(.user, ada.id).document["groups"]?[0]?["value"]?.stringValue == eng.id)
        #expect(await scimError { try await fixture.createUser("Ada@Example.com") }?.status == 409)
    }

    @Test func changesMadeWithGitWhileStoppedAreTakenIn() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "value": ["active": false]]])
        try fixture.directory.close()
        // While the server is stopped, an admin reverts the deactivation with plain git.
        try git(["revert", "--no-edit", "HEAD"], in: fixture.root)
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).totalResults == 0)
        #expect(try await fixture.search(.user, ["filter": "active eq true"]).totalResults == 1)
    }

    @Test func anUnreadableSnapshotMeansAFullRebuild() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        try fixture.directory.close()
        // The current format's first line, then nonsense.
        let saved = try [UInt8](Data(contentsOf: URL(fileURLWithPath: snapshotPath(fixture))))
        let firstLine = saved.prefix(through: try #require(saved.firstIndex(of: UInt8(ascii: "\n"))))
        try Data(firstLine + Array("garbage".utf8)).write(to: URL(fileURLWithPath: snapshotPath(fixture)))
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await fixture.search(.user, ["filter": "userName eq \"ada@example.com\""]).resources.map(\.id) == [ada.id])
    }

    /// A snapshot whose first line names the format before members' displays were derived
    /// (which held a display per membership) is never read, however well it fits HEAD.
    @Test func aSnapshotOfTheEarlierFormatIsRebuiltNotRead() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let eng = try await fixture.createGroup("Engineering", members: [ada.id])
        let before = try #require(fixture.directory.store.head)
        try fixture.directory.close()
        let old = try [UInt8](Data(contentsOf: URL(fileURLWithPath: snapshotPath(fixture))))
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "userName", "value": "grace@example.com"]])
        let head = try #require(fixture.directory.store.head)
        try fixture.directory.close()
        // The snapshot of before the rename, claiming to be of HEAD: believed as it is (its
        // member display is the old name), so the check below can fail.
        var forged = old
        let at = try #require(IndexSnapshotTests.range(of: Array(before.hex.utf8), in: forged))
        forged.replaceSubrange(at, with: Array(head.hex.utf8))
        let reopen = { (bytes: [UInt8]) async throws -> JSONValue? in
            try Data(bytes).write(to: URL(fileURLWithPath: self.snapshotPath(fixture)))
            fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
            return try await fixture.get(.group, eng.id).document["members"]?[0]?["display"]
        }
        #expect(try await reopen(forged) == "ada@example.com")
        try fixture.directory.close()
        // The same with the earlier format's first line: rebuilt from the files.
        let newline = try #require(forged.firstIndex(of: UInt8(ascii: "\n")))
        forged.replaceSubrange(...newline, with: Array("scimgit-index-snapshot-1\n".utf8))
        #expect(try await reopen(forged) == "grace@example.com")
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }
}
