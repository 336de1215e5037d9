import Directory
import Foundation
import SCIM
import SCIMService
import Testing

/// A member's `display` follows a rename of the member, with no commit to its groups: the
/// derived name unless the client gave another display, and that one only while the member
/// keeps the name it had when it was given.
@Suite("Member displays")
struct MemberDisplayTests {
    private func displays(_ fixture: DirectoryFixture, _ group: String) async throws -> [String] {
        (try await fixture.get(.group, group).document["members"]?.arrayValue ?? []).compactMap { $0["display"]?.stringValue }
    }

    @Test func displaysFollowARenameWithoutACommitToTheGroups() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com").id
        let okta = try await fixture.directory.create(.group, document: [
            "displayName": "Okta group", "members": [["value": .string(ada), "display": "ada@example.com"]],
        ], projection: .default, context: fixture.okta).id
        let named = try await fixture.directory.create(.group, document: [
            "displayName": "Named group", "members": [["value": .string(ada), "display": "Ada Lovelace"]],
        ], projection: .default, context: fixture.okta).id
        #expect(try await displays(fixture, okta) == ["ada@example.com"])
        #expect(try await displays(fixture, named) == ["Ada Lovelace"], "a display the client gave is kept while the name holds")
        let groupsTree = try git(["rev-parse", "HEAD:Groups"], in: fixture.root)

        _ = try await fixture.patch(.user, ada, [["op": "replace", "path": "userName", "value": "ada.lovelace@example.com"]])
        #expect(try git(["rev-parse", "HEAD:Groups"], in: fixture.root) == groupsTree, "no group was written")
        #expect(try await displays(fixture, okta) == ["ada.lovelace@example.com"])
        #expect(try await displays(fixture, named) == ["ada.lovelace@example.com"], "renamed since: the current name")

        // The same after a restart, from the snapshot and from the files.
        try fixture.restart()
        #expect(try await displays(fixture, named) == ["ada.lovelace@example.com"])
        try FileManager.default.removeItem(atPath: fixture.root + "/.git/scimgit/index-snapshot")
        try fixture.restart()
        #expect(try await displays(fixture, named) == ["ada.lovelace@example.com"])
        #expect(try await displays(fixture, okta) == ["ada.lovelace@example.com"])
    }
}
