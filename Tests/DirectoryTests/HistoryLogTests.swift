import Directory
import Foundation
import GitStore
import SCIM
import Testing

/// `scimgit log --resource NAME` finds the resource by its name as it is now: through the
/// index snapshot and the files changed since it, or by reading every file without one.
@Suite("History: the log of one resource, by name")
struct HistoryLogTests {
    @Test func namesAreFoundAsTheyAreNowWhateverChangedSinceTheSnapshot() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let eve = try await fixture.createUser("eve@example.com")
        try fixture.directory.close() // the snapshot names ada, bob and eve
        let snapshot = fixture.root + "/.git/scimgit/index-snapshot"
        #expect(FileManager.default.fileExists(atPath: snapshot))
        // An admin renames ada by hand: no commit trailer records the new name.
        let adaFile = ResourceKind.user.path(of: ada.id)
        let edited = try String(contentsOfFile: fixture.root + "/" + adaFile, encoding: .utf8).replacingOccurrences(of: "ada@example.com", with: "zed@example.com")
        try edited.write(toFile: fixture.root + "/" + adaFile, atomically: true, encoding: .utf8)
        _ = try git(["-c", "user.name=admin", "-c", "user.email=admin@example.com", "commit", "-q", "-am", "rename by hand"], in: fixture.root)
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        _ = try await fixture.patch(.user, bob.id, [["op": "replace", "path": "userName", "value": "robert@example.com"]])
        let carol = try await fixture.createUser("carol@example.com")
        let log = HistoryLog(store: fixture.directory.store)
        let user = ResourceKind.user
        for withSnapshot in [true, false] {
            if !withSnapshot { try FileManager.default.removeItem(atPath: snapshot) }
            #expect(try log.paths(forResource: "ZED@example.com") == [user.folder(of: ada.id)], "renamed by hand since the snapshot")
            #expect(try log.paths(forResource: "robert@example.com") == [user.folder(of: bob.id)], "renamed since")
            #expect(try log.paths(forResource: "carol@example.com") == [user.folder(of: carol.id)], "created since")
            #expect(try log.paths(forResource: "Eve@Example.com") == [user.folder(of: eve.id)], "unchanged since")
            // A name no resource has now is looked up in the commits that recorded it.
            #expect(try log.paths(forResource: "bob@example.com") == [user.folder(of: bob.id)])
            #expect(try log.paths(forResource: "nobody@example.com") == nil)
        }
    }

    /// A userName is unique: the user the snapshot names so is the answer only while it
    /// still holds the name; once another took it, that one is.
    @Test func aNameTakenOverSinceTheSnapshotIsItsNewHolders() async throws {
        let fixture = try DirectoryFixture()
        let bob = try await fixture.createUser("bob@example.com")
        try fixture.directory.close()
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        _ = try await fixture.patch(.user, bob.id, [["op": "replace", "path": "userName", "value": "robert@example.com"]])
        let newBob = try await fixture.createUser("bob@example.com")
        let log = HistoryLog(store: fixture.directory.store)
        #expect(try log.paths(forResource: "bob@example.com") == [ResourceKind.user.folder(of: newBob.id)])
    }

    /// An id is followed in the folder of the kind that holds it now; a deleted one, in both.
    @Test func anIdIsFollowedWhereItsKindKeepsIt() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let log = HistoryLog(store: fixture.directory.store)
        #expect(try log.paths(forResource: ada.id) == [ResourceKind.user.folder(of: ada.id)])
        let gone = "6f1c2b8e-5d3a-4c7b-9e2f-1a0b3c4d5e6f"
        #expect(try log.paths(forResource: gone) == ResourceKind.all.map { $0.folder(of: gone) })
    }
}
