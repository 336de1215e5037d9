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
        try Data("scimgit-index-snapshot-1\ngarbage".utf8).write(to: URL(fileURLWithPath: snapshotPath(fixture)))
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await fixture.search(.user, ["filter": "userName eq \"ada@example.com\""]).resources.map(\.id) == [ada.id])
    }
}
