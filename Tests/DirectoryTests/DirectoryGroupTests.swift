import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

@Suite("Directory: groups and memberships")
struct DirectoryGroupTests {
    @Test func createGroupWithMembersWritesOneFilePerMember() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let eng = try await fixture.createGroup("Engineering", members: [ada.id, bob.id])
        #expect(try fixture.lastSubject() == "Create group Engineering with 2 members")
        let files = try git(["ls-tree", "-r", "--name-only", "HEAD", ResourceKind.group.folder(of: eng.id)], in: fixture.root)
        #expect(files.split(separator: "\n").sorted() == [
            ResourceKind.group.path(of: eng.id),
            StoreLayout.membershipPath(group: eng.id, member: ada.id),
            StoreLayout.membershipPath(group: eng.id, member: bob.id),
        ].sorted().map { Substring($0) })
        let members = try await fixture.get(.group, eng.id).document["members"]?.arrayValue ?? []
        #expect(Set(members.compactMap { $0["value"]?.stringValue }) == [ada.id, bob.id])
        #expect(members.first { $0["value"]?.stringValue == ada.id }?["display"] == "ada@example.com")
        #expect(members.first?["$ref"]?.stringValue?.hasPrefix("https://idp.example.com/scim/v2/Users/") == true)
        // User.groups is derived.
        let groups = try await fixture.get(.user, ada.id).document["groups"]?.arrayValue
        #expect(groups?.first?["value"]?.stringValue == eng.id)
        #expect(groups?.first?["display"] == "Engineering")
    }

    @Test func oktaMembershipPatchesAreCommitsNamingTheChange() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let eng = try await fixture.createGroup("Engineering")
        // Okta re-sends the rename with its id inside the value, plus the membership change.
        let patched = try await fixture.patch(.group, eng.id, [
            ["op": "replace", "value": ["id": .string(eng.id), "displayName": "Engineering"]],
            ["op": "add", "path": "members", "value": [["value": .string(ada.id), "display": "ada@example.com"], ["value": .string(bob.id)]]],
        ])
        #expect(try fixture.lastSubject() == "Add 2 members to group Engineering")
        #expect(try fixture.lastMessage().contains("+ member ada@example.com (\(ada.id))"))
        // A small group's PATCH answer is the whole group, members included.
        #expect(patched.document["members"]?.arrayValue?.count == 2)
        #expect(patched.version != eng.version)
        _ = try await fixture.patch(.group, eng.id, [["op": "remove", "path": .string("members[value eq \"\(ada.id)\"]")]])
        #expect(try fixture.lastSubject() == "Remove 1 member from group Engineering")
        let members = try await fixture.get(.group, eng.id).document["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0["value"]?.stringValue } == [bob.id])
        // Removing someone who is not a member changes nothing and makes no commit.
        let before = try fixture.commitCount()
        _ = try await fixture.patch(.group, eng.id, [["op": "remove", "path": .string("members[value eq \"\(ada.id)\"]")]])
        #expect(try fixture.commitCount() == before)
    }

    @Test func entraRemoveWithValueArrayRemovesOnlyThoseMembers() async throws {
        let fixture = try DirectoryFixture()
        let users = try await [fixture.createUser("a@x.com"), fixture.createUser("b@x.com"), fixture.createUser("c@x.com")]
        let group = try await fixture.createGroup("G", members: users.map(\.id))
        _ = try await fixture.patch(.group, group.id, [["op": "Remove", "path": "members", "value": [["value": .string(users[1].id), "$ref": .null]]]])
        let members = try await fixture.get(.group, group.id).document["members"]?.arrayValue ?? []
        #expect(Set(members.compactMap { $0["value"]?.stringValue }) == [users[0].id, users[2].id])
    }

    @Test func unknownMembersAre400AndCommitNothing() async throws {
        let fixture = try DirectoryFixture()
        let group = try await fixture.createGroup("G")
        let before = try fixture.commitCount()
        for value in ["3fa85f64-5717-4562-b3fc-2c963f66afa6", "not-an-id", group.id] {
            let error = await scimError {
                _ = try await fixture.patch(.group, group.id, [["op": "add", "path": "members", "value": [["value": .string(value)]]]])
            }
            #expect(error?.status == 400)
            #expect(error?.scimType == .invalidValue)
        }
        let createError = await scimError { try await fixture.createGroup("H", members: ["3fa85f64-5717-4562-b3fc-2c963f66afa6"]) }
        #expect(createError?.scimType == .invalidValue)
        #expect(try fixture.commitCount() == before)
    }

    @Test func duplicateDisplayNameIs409() async throws {
        let fixture = try DirectoryFixture()
        try await fixture.createGroup("Engineering")
        let error = await scimError { try await fixture.createGroup("engineering") }
        #expect(error?.status == 409)
        #expect(error?.scimType == .uniqueness)
    }

    @Test func renameGroupIsNamedAsSuch() async throws {
        let fixture = try DirectoryFixture()
        let group = try await fixture.createGroup("Eng")
        _ = try await fixture.patch(.group, group.id, [["op": "replace", "value": ["id": .string(group.id), "displayName": "Engineering"]]])
        #expect(try fixture.lastSubject() == "Rename group Eng to Engineering")
    }

    @Test func deletingAUserRemovesItsMembershipsInTheSameCommit() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let eng = try await fixture.createGroup("Engineering", members: [ada.id])
        let ops = try await fixture.createGroup("Ops", members: [ada.id])
        let before = try fixture.commitCount()
        try await fixture.directory.delete(.user, id: ada.id, precondition: nil, context: fixture.okta)
        #expect(try fixture.commitCount() == before + 1)
        #expect(try fixture.lastSubject() == "Delete user ada@example.com")
        let changed = try git(["show", "--name-only", "--format=", "HEAD"], in: fixture.root).split(separator: "\n").map(String.init)
        #expect(Set(changed) == [
            ResourceKind.user.path(of: ada.id),
            StoreLayout.membershipPath(group: eng.id, member: ada.id), ResourceKind.group.path(of: eng.id),
            StoreLayout.membershipPath(group: ops.id, member: ada.id), ResourceKind.group.path(of: ops.id),
        ])
        #expect(try await fixture.get(.group, eng.id).document["members"] == nil)
        #expect(try await fixture.get(.group, eng.id).version != eng.version)
        #expect(await scimError { _ = try await fixture.get(.user, ada.id) }?.status == 404)
        #expect(await scimError { try await fixture.directory.delete(.user, id: ada.id, precondition: nil, context: fixture.okta) }?.status == 404)
    }

    @Test func groupsCanContainGroupsAndDeletingOneCleansUp() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let inner = try await fixture.createGroup("Inner", members: [ada.id])
        let outer = try await fixture.createGroup("Outer", members: [inner.id])
        let members = try await fixture.get(.group, outer.id).document["members"]?.arrayValue
        #expect(members?.first?["type"] == "Group")
        try await fixture.directory.delete(.group, id: inner.id, precondition: nil, context: fixture.okta)
        #expect(try fixture.lastSubject() == "Delete group Inner")
        #expect(try await fixture.get(.group, outer.id).document["members"] == nil)
        #expect(try await fixture.get(.user, ada.id).document["groups"] == nil)
        #expect(try git(["ls-tree", "-r", "--name-only", "HEAD", "Groups"], in: fixture.root) == ResourceKind.group.path(of: outer.id) + "\n")
    }

    @Test func putReplacesMembersWholesale() async throws {
        let fixture = try DirectoryFixture()
        let a = try await fixture.createUser("a@x.com")
        let b = try await fixture.createUser("b@x.com")
        let group = try await fixture.createGroup("G", members: [a.id])
        let body: JSONValue = ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G", "members": [["value": .string(b.id)]]]
        let replaced = try await fixture.directory.replace(.group, id: group.id, document: body, precondition: nil, projection: .default, context: fixture.okta)
        #expect(try fixture.lastSubject() == "Add 1 member to and remove 1 member from group G")
        #expect(replaced.document["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [b.id])
    }
}
