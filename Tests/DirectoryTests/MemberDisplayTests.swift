import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

/// A group member's `display` is the member's current name (a user's userName, a group's
/// displayName), derived on each read: a rename shows in every group at once and writes
/// nothing to any group; a display a client sends is not kept.
@Suite("Directory: member display follows the member's name")
struct MemberDisplayTests {
    private func displays(_ fixture: DirectoryFixture, _ group: String) async throws -> [String: String] {
        let members = try await fixture.get(.group, group).document["members"]?.arrayValue ?? []
        return Dictionary(uniqueKeysWithValues: members.compactMap { member in
            member["value"]?.stringValue.map { ($0, member["display"]?.stringValue ?? "(none)") }
        })
    }

    /// The tree of everything under `Groups/` at HEAD: unchanged means no group file changed.
    private func groupsTree(_ fixture: DirectoryFixture) throws -> String {
        try git(["rev-parse", "HEAD:Groups"], in: fixture.root).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func changedFiles(_ fixture: DirectoryFixture) throws -> [String] {
        try git(["show", "--name-only", "--format=", "HEAD"], in: fixture.root).split(separator: "\n").map(String.init)
    }

    @Test func renamingAUserChangesItsDisplayInEveryGroupWithoutACommitToAny() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let groupBody = { (name: String, member: JSONValue) -> JSONValue in
            ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": .string(name), "members": [member]]
        }
        // One membership with a display the client chose, one without.
        let eng = try await fixture.directory.create(
            .group, document: groupBody("Engineering", ["value": .string(ada.id), "display": "Ada Lovelace"]), projection: .default, context: fixture.okta)
        let ops = try await fixture.directory.create(
            .group, document: groupBody("Ops", ["value": .string(ada.id)]), projection: .default, context: fixture.okta)
        #expect(try await displays(fixture, eng.id) == [ada.id: "ada@example.com"])
        #expect(try await displays(fixture, ops.id) == [ada.id: "ada@example.com"])
        let groupsBefore = try groupsTree(fixture)
        let versions = (eng: try await fixture.get(.group, eng.id).version, ops: try await fixture.get(.group, ops.id).version)

        // PUT with a new userName: one commit, to the user's file alone.
        var commits = try fixture.commitCount()
        let put: JSONValue = [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada.lovelace@example.com",
            "name": ["givenName": "Ada", "familyName": "Lovelace"], "active": true,
        ]
        _ = try await fixture.directory.replace(.user, id: ada.id, document: put, precondition: nil, projection: .default, context: fixture.okta)
        #expect(try fixture.commitCount() == commits + 1)
        #expect(try changedFiles(fixture) == [ResourceKind.user.path(of: ada.id)])
        #expect(try groupsTree(fixture) == groupsBefore)
        #expect(try await displays(fixture, eng.id) == [ada.id: "ada.lovelace@example.com"])
        #expect(try await displays(fixture, ops.id) == [ada.id: "ada.lovelace@example.com"])

        // PATCH of userName: the same.
        commits = try fixture.commitCount()
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "userName", "value": "countess@example.com"]])
        #expect(try fixture.commitCount() == commits + 1)
        #expect(try changedFiles(fixture) == [ResourceKind.user.path(of: ada.id)])
        #expect(try groupsTree(fixture) == groupsBefore)
        #expect(try await displays(fixture, eng.id) == [ada.id: "countess@example.com"])
        #expect(try await displays(fixture, ops.id) == [ada.id: "countess@example.com"])
        // The groups' files, hence their versions (ETags), are those of before the renames.
        #expect(try await fixture.get(.group, eng.id).version == versions.eng)
        #expect(try await fixture.get(.group, ops.id).version == versions.ops)
        // A filter on the display sees the current name too.
        let found = try await fixture.search(.group, ["filter": "members.display eq \"countess@example.com\""])
        #expect(Set(found.resources.map(\.id)) == [eng.id, ops.id])
        #expect(try await fixture.search(.group, ["filter": "members.display eq \"Ada Lovelace\""]).totalResults == 0)

        // After a restart (indexes from the snapshot) and a rebuild from the files, the same.
        try fixture.restart()
        #expect(try await displays(fixture, eng.id) == [ada.id: "countess@example.com"])
        try fixture.directory.close()
        try FileManager.default.removeItem(atPath: fixture.directory.store.gitDirectory + "/scimgit/index-snapshot")
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await displays(fixture, eng.id) == [ada.id: "countess@example.com"])
        #expect(try await displays(fixture, ops.id) == [ada.id: "countess@example.com"])
    }

    @Test func aGroupMembersDisplayAndAUsersGroupsFollowGroupRenames() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let inner = try await fixture.createGroup("Inner", members: [ada.id])
        let outer = try await fixture.createGroup("Outer", members: [inner.id])
        let outerVersion = try await fixture.get(.group, outer.id).version
        _ = try await fixture.patch(.group, inner.id, [["op": "replace", "path": "displayName", "value": "Core"]])
        #expect(try changedFiles(fixture) == [ResourceKind.group.path(of: inner.id)])
        #expect(try await displays(fixture, outer.id) == [inner.id: "Core"])
        #expect(try await fixture.get(.group, outer.id).version == outerVersion)
        #expect(try await fixture.get(.user, ada.id).document["groups"]?[0]?["display"] == "Core")
    }

    @Test func aDisplayAClientSendsIsNotKept() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        // Okta sends the userName it last knew: here a stale one.
        let group = try await fixture.directory.create(.group, document: [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering",
            "members": [["value": .string(ada.id), "display": "ada.old@example.com"]],
        ], projection: .default, context: fixture.okta)
        #expect(group.document["members"]?[0]?["display"] == "ada@example.com", "the answer to the POST shows the name")
        let file = try git(["show", "HEAD:" + StoreLayout.membershipPath(group: group.id, member: ada.id)], in: fixture.root)
        #expect(file == "{\n  \"type\": \"User\"\n}\n", "nothing of the display sent is stored")
        let patched = try await fixture.patch(.group, group.id, [
            ["op": "add", "path": "members", "value": [["value": .string(bob.id), "display": "Robert"]]],
        ])
        #expect(patched.document["members"]?.arrayValue?.compactMap { $0["display"]?.stringValue }.sorted() == ["ada@example.com", "bob@example.com"])
        #expect(try await displays(fixture, group.id) == [ada.id: "ada@example.com", bob.id: "bob@example.com"])

        // Setting a member's display by path is refused as for any readOnly value, and commits nothing.
        let before = try fixture.commitCount()
        let error = await scimError {
            _ = try await fixture.patch(.group, group.id, [["op": "replace", "path": .string("members[value eq \"\(bob.id)\"].display"), "value": "Robert"]])
        }
        #expect(error?.status == 400)
        #expect(error?.scimType == .mutability)
        // A member given by a display alone names no one: refused, not silently left out.
        let nameless = await scimError {
            _ = try await fixture.patch(.group, group.id, [["op": "add", "path": "members", "value": [["display": "Carol"]]]])
        }
        #expect(nameless?.scimType == .invalidValue)
        #expect(try fixture.commitCount() == before)
        // /Schemas says so.
        let members = fixture.directory.registry.group?.schema.attribute(named: "members")
        #expect(members?.subAttribute(named: "display")?.mutability == .readOnly)
    }

    @Test func aMembershipFileWithADisplayFromAnOlderScimgitShowsTheName() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let group = try await fixture.createGroup("Engineering")
        try fixture.directory.close()
        // What scimgit wrote before displays were derived: the display a client gave.
        let path = StoreLayout.membershipPath(group: group.id, member: ada.id)
        try FileManager.default.createDirectory(atPath: fixture.root + "/" + (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "{\n  \"display\": \"Ada Lovelace\",\n  \"type\": \"User\"\n}\n".write(toFile: fixture.root + "/" + path, atomically: true, encoding: .utf8)
        try git(["add", "-A"], in: fixture.root)
        try git(["commit", "-q", "-m", "membership from an older scimgit"], in: fixture.root)
        // Taken in from the snapshot and the tree diff, and from every file.
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await displays(fixture, group.id) == [ada.id: "ada@example.com"])
        try fixture.directory.close()
        try FileManager.default.removeItem(atPath: fixture.directory.store.gitDirectory + "/scimgit/index-snapshot")
        fixture.directory = try DirectoryService(store: try StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        #expect(try await displays(fixture, group.id) == [ada.id: "ada@example.com"])
        // Such a file is as valid as ever: verify does not ask for a commit to each group.
        let problems = try StoreVerifier(store: fixture.directory.store).verify(runFsck: false)
        #expect(problems.isEmpty, "\(problems)")
    }
}
