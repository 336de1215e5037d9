import Directory
import Foundation
import GitStore
import SCIM
import SCIMService
import Testing

@Suite("History: diff, snapshots, rollback, revert, verify")
struct HistoryTests {
    /// Ten users in group Engineering, a snapshot, then a bad sync: five deactivated, two
    /// removed from the group, the group Sales deleted.
    private func badSync(_ fixture: DirectoryFixture) async throws -> (users: [ResourceRecord], eng: ResourceRecord, sales: ResourceRecord) {
        var users: [ResourceRecord] = []
        for number in 0..<10 { users.append(try await fixture.createUser("user\(number)@example.com")) }
        let eng = try await fixture.createGroup("Engineering", members: users.map(\.id))
        let sales = try await fixture.createGroup("Sales", members: [users[0].id])
        try Snapshots(store: fixture.directory.store).create("before-sync", message: "Before the nightly sync", by: CLIIdentity(name: "admin"))
        for user in users.prefix(5) {
            _ = try await fixture.patch(.user, user.id, [["op": "replace", "value": ["active": false]]])
        }
        _ = try await fixture.patch(.group, eng.id, [
            ["op": "remove", "path": .string("members[value eq \"\(users[8].id)\"]")],
            ["op": "remove", "path": .string("members[value eq \"\(users[9].id)\"]")],
        ])
        try await fixture.directory.delete(.group, id: sales.id, precondition: nil, context: fixture.okta)
        return (users, eng, sales)
    }

    @Test func diffReportsExactlyTheBadSync() async throws {
        let fixture = try DirectoryFixture()
        let (users, eng, sales) = try await badSync(fixture)
        let store = fixture.directory.store
        let diff = try HistoryDiff(store: store).diff(from: store.resolve("before-sync"), to: store.resolve("HEAD"))
        let userChanges = diff.changes.filter { $0.kind == .user }
        #expect(userChanges.map(\.id).sorted() == users.prefix(5).map(\.id).sorted())
        for change in userChanges {
            #expect(change.change == .modified)
            #expect(change.attributes == [AttributeChange(path: "active", before: .bool(true), after: .bool(false))])
        }
        let engChange = diff.changes.first { $0.id == eng.id }
        #expect(engChange?.change == .modified)
        #expect(engChange?.attributes.isEmpty == true)
        #expect(engChange?.membersRemoved == [users[8].id, users[9].id].sorted())
        let salesChange = diff.changes.first { $0.id == sales.id }
        #expect(salesChange?.change == .removed)
        #expect(salesChange?.name == "Sales")
        #expect(salesChange?.membersRemoved == [users[0].id])
        #expect(diff.changes.count == 7)
        // The JSON form has the documented shape.
        let json = diff.json
        #expect(json["from"]?.stringValue == (try store.resolve("before-sync")).hex)
        let first = json["changes"]?.arrayValue?.first
        #expect(first?["resourceType"] == "User")
        #expect(first?["attributes"]?[0]?["path"] == "active")
        #expect(first?["attributes"]?[0]?["before"] == .bool(true))
        // Human form: users first, by name; members by name.
        let text = DiffFormatter.text(diff)
        #expect(text.hasPrefix("Users\n  ~ user0@example.com\n      active: true → false\n"))
        #expect(text.hasSuffix("Groups\n  ~ Engineering\n      - member user8@example.com\n      - member user9@example.com\n  - Sales\n      - member user0@example.com\n"))
    }

    @Test func rollbackRestoresTheSnapshotWhileTheDirectoryRuns() async throws {
        let fixture = try DirectoryFixture()
        let (users, eng, sales) = try await badSync(fixture)
        let store = fixture.directory.store
        let before = try fixture.commitCount()
        // A second process would open its own store; here the CLI code runs beside the directory.
        let cli = try StoreSetup.open(at: fixture.root)
        let rollback = Rollback(store: cli)
        let plan = try rollback.plan(to: "before-sync")
        #expect(plan.subject.hasPrefix("Roll back to before-sync (\(try store.resolve("before-sync").short)): "))
        #expect(plan.subject.contains("reactivate 5 users"))
        #expect(plan.subject.contains("restore group Sales"))
        let commit = try rollback.apply(plan, by: CLIIdentity(name: "admin"))
        try cli.close()
        #expect(commit != nil)
        #expect(try fixture.commitCount() == before + 1)
        #expect(try git(["diff", "before-sync", "HEAD", "--", "Users", "Groups"], in: fixture.root) == "")
        #expect(try fixture.lastMessage().contains("SCIM-Operation: ROLLBACK"))
        // The running directory serves the restored state on its next request, indexes included.
        #expect(try await fixture.search(.user, ["filter": "active eq false"]).totalResults == 0)
        #expect(try await fixture.get(.group, sales.id).document["displayName"] == "Sales")
        let members = try await fixture.get(.group, eng.id).document["members"]?.arrayValue ?? []
        #expect(members.count == 10)
        #expect(try await fixture.get(.user, users[0].id).document["groups"]?.arrayValue?.count == 2)
        // And keeps writing.
        _ = try await fixture.patch(.user, users[1].id, [["op": "replace", "path": "displayName", "value": "One"]])
        #expect(try fixture.lastSubject() == "Update user user1@example.com")
        #expect(try git(["status", "--porcelain"], in: fixture.root).isEmpty || eventually(within: 1.5) { (try? git(["status", "--porcelain"], in: fixture.root))?.isEmpty == true })
    }

    @Test func revertUndoesChosenCommitsAndKeepsLaterOnes() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let eng = try await fixture.createGroup("Engineering", members: [ada.id])
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "value": ["active": false]]])
        let badAda = try fixture.directory.store.resolve("HEAD")
        _ = try await fixture.patch(.group, eng.id, [["op": "add", "path": "members", "value": [["value": .string(bob.id)]]]])
        let addBob = try fixture.directory.store.resolve("HEAD")
        // A later, unrelated change.
        _ = try await fixture.patch(.user, bob.id, [["op": "replace", "path": "displayName", "value": "Bob"]])
        let cli = try StoreSetup.open(at: fixture.root)
        let revert = Revert(store: cli)
        let plan = try revert.plan([badAda.hex, addBob.short])
        #expect(plan.subject == "Revert 2 commits: Deactivate user ada@example.com, Add 1 member to group Engineering")
        #expect(plan.lines.contains("+ member ada@example.com of group Engineering") == false)
        #expect(plan.lines.contains("- member bob@example.com of group Engineering"))
        #expect(try revert.apply(plan, by: CLIIdentity(name: "admin")) != nil)
        try cli.close()
        #expect(try await fixture.get(.user, ada.id).document["active"] == .bool(true))
        #expect(try await fixture.get(.user, bob.id).document["displayName"] == "Bob")
        let members = try await fixture.get(.group, eng.id).document["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0["value"]?.stringValue } == [ada.id])
        let message = try fixture.lastMessage()
        #expect(message.contains("SCIM-Operation: REVERT"))
        #expect(message.contains("SCIM-Reverts: \(badAda.hex)"))
    }

    @Test func revertStopsOnALaterChangeToTheSameResource() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "value": ["active": false]]])
        let bad = try fixture.directory.store.resolve("HEAD")
        _ = try await fixture.patch(.user, ada.id, [["op": "replace", "path": "displayName", "value": "Ada"]])
        let before = try fixture.commitCount()
        let cli = try StoreSetup.open(at: fixture.root)
        defer { try? cli.close() }
        do {
            _ = try Revert(store: cli).plan([bad.hex])
            Issue.record("revert should have stopped")
        } catch let conflict as Revert.Conflict {
            #expect(conflict.description.contains("user ada@example.com"))
            #expect(conflict.description.contains(ResourceKind.user.path(of: ada.id)))
        }
        #expect(try fixture.commitCount() == before)
    }

    @Test func revertOfAMembershipChangeSurvivesLaterMembershipChangesOfTheGroup() async throws {
        let fixture = try DirectoryFixture()
        let users = try await [fixture.createUser("a@x.com"), fixture.createUser("b@x.com"), fixture.createUser("c@x.com")]
        let group = try await fixture.createGroup("G", members: [users[0].id])
        _ = try await fixture.patch(.group, group.id, [["op": "remove", "path": .string("members[value eq \"\(users[0].id)\"]")]])
        let bad = try fixture.directory.store.resolve("HEAD")
        _ = try await fixture.patch(.group, group.id, [["op": "add", "path": "members", "value": [["value": .string(users[2].id)]]]])
        let cli = try StoreSetup.open(at: fixture.root)
        let revert = Revert(store: cli)
        _ = try revert.apply(try revert.plan([bad.hex]), by: CLIIdentity(name: "admin"))
        try cli.close()
        let members = try await fixture.get(.group, group.id).document["members"]?.arrayValue ?? []
        #expect(Set(members.compactMap { $0["value"]?.stringValue }) == [users[0].id, users[2].id])
        let verify = try StoreVerifier(store: fixture.directory.store).verify()
        #expect(verify.isEmpty, "\(verify)")
    }

    @Test func verifyFindsHandMadeDamage() async throws {
        let fixture = try DirectoryFixture()
        let ada = try await fixture.createUser("ada@example.com")
        let bob = try await fixture.createUser("bob@example.com")
        let carol = try await fixture.createUser("carol@example.com")
        let group = try await fixture.createGroup("G", members: [ada.id])
        #expect(try StoreVerifier(store: fixture.directory.store).verify().isEmpty)
        try fixture.directory.store.flushIndex()
        let root = fixture.root
        // Break things by hand, as an admin with an editor might.
        var bobFile = try String(contentsOfFile: root + "/" + ResourceKind.user.path(of: bob.id), encoding: .utf8)
        bobFile = bobFile.replacingOccurrences(of: "bob@example.com", with: "ADA@example.com")
        try bobFile.write(toFile: root + "/" + ResourceKind.user.path(of: bob.id), atomically: true, encoding: .utf8)
        try "{\"userName\":\"x\"}".write(toFile: root + "/" + ResourceKind.user.path(of: carol.id), atomically: true, encoding: .utf8)
        let dangling = StoreLayout.membershipPath(group: group.id, member: "3fa85f64-5717-4562-b3fc-2c963f66afa6")
        try FileManager.default.createDirectory(atPath: root + "/" + (dangling as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "{\n  \"type\": \"User\"\n}\n".write(toFile: root + "/" + dangling, atomically: true, encoding: .utf8)
        try "hello".write(toFile: root + "/Users/notes.txt", atomically: true, encoding: .utf8)
        try git(["add", "-A"], in: root)
        try git(["commit", "-m", "hand edits"], in: root)
        let reopened = try GitStore.open(at: root, options: GitStoreOptions(readOnly: true))
        let problems = try StoreVerifier(store: reopened).verify().map(\.description)
        #expect(problems.contains { $0.hasPrefix(ResourceKind.user.path(of: carol.id)) && $0.contains("not canonical") })
        #expect(problems.contains { $0.hasPrefix(ResourceKind.user.path(of: carol.id)) && $0.contains("its id is missing") })
        #expect(problems.contains { $0.contains("userName ADA@example.com is also used by") || $0.contains("userName ada@example.com is also used by") })
        #expect(problems.contains { $0.hasPrefix(dangling) && $0.contains("is not an existing user or group") })
        #expect(problems.contains { $0.hasPrefix("Users/notes.txt") })
    }
}
