@testable import Directory
import Foundation
import GitStore
import Logging
import SCIM
import SCIMService
import Testing

/// `StoreImport` on a store no server holds: records checked as POSTs are, all or nothing,
/// ids kept or translated, and the imported directory served after a restart.
@Suite("Directory: import")
struct StoreImportTests {
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

    static func user(_ name: String, id: String? = nil, extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = ["schemas": [.string(userSchema)], "userName": .string(name), "active": true]
        if let id { object["id"] = .string(id) }
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    static func group(_ name: String, id: String? = nil, members: [String]) -> JSONValue {
        var object: [String: JSONValue] = [
            "schemas": [.string(groupSchema)], "displayName": .string(name), "members": .array(members.map { ["value": .string($0)] }),
        ]
        if let id { object["id"] = .string(id) }
        return .object(object)
    }

    static func lines(_ resources: [JSONValue]) -> [UInt8] {
        Array(resources.map { String(decoding: $0.serialized(.compact), as: UTF8.self) }.joined(separator: "\n").utf8)
    }

    func importing(_ bytes: [UInt8], into fixture: DirectoryFixture, dryRun: Bool = false) throws -> StoreImport.Summary {
        try fixture.directory.close()
        let store = try StoreSetup.open(at: fixture.root, options: GitStoreOptions())
        defer {
            try? store.close()
            // Served again, as after a restart: the indexes come from the import's snapshot.
            fixture.directory = try! DirectoryService(store: try! StoreSetup.open(at: fixture.root, options: DirectoryFixture.serving))
        }
        return try StoreImport(store: store, logger: .init(label: "test")).run(
            try ImportRecord.read(bytes), source: "people.ndjson", by: CLIIdentity(name: "ada"), dryRun: dryRun)
    }

    @Test func usersAndGroupsBecomeOneCommitWithIdsKeptOrTranslated() async throws {
        let fixture = try DirectoryFixture()
        let existing = try await fixture.createUser("existing@example.com")
        let kept = "6F1C2B8E-5D3A-4C7B-9E2F-1A0B3C4D5E6F"
        let bytes = StoreImportTests.lines([
            // The parent group first: it is planned after the group it contains.
            StoreImportTests.group("Everyone", id: "okta-everyone", members: ["okta-engineering", "00u2"]),
            StoreImportTests.user("ada@example.com", id: kept, extra: ["meta": ["created": "2019-04-01T08:00:00Z"], "password": "hunter2"]),
            StoreImportTests.user("grace@example.com", id: "00u2"),
            StoreImportTests.group("Engineering", id: "okta-engineering", members: [kept, existing.id]),
        ])
        let commits = try fixture.commitCount()
        let summary = try importing(bytes, into: fixture)
        #expect(summary.users == 2 && summary.groups == 2 && summary.memberships == 4)
        #expect(Set(summary.reassigned.map(\.source)) == ["00u2", "okta-everyone", "okta-engineering"])
        #expect(try fixture.commitCount() == commits + 1)
        #expect(try fixture.lastSubject() == "Import 2 users and 2 groups from people.ndjson")
        let message = try fixture.lastMessage()
        #expect(message.contains("+ user ada@example.com") && message.contains("SCIM-Operation: IMPORT") && message.contains("SCIM-Client: cli:ada"))
        #expect(try git(["status", "--porcelain"], in: fixture.root).isEmpty, "the working tree holds the import")

        let ada = try await fixture.get(.user, kept.lowercased())
        #expect(ada.document["meta"]?["created"]?.stringValue?.hasPrefix("2019-04-01T08:00:00") == true)
        #expect(ada.document["password"] == nil, "passwords are dropped, as over the API")
        let grace = try #require(summary.reassigned.first { $0.source == "00u2" }?.id)
        let engineering = try #require(summary.reassigned.first { $0.source == "okta-engineering" }?.id)
        let everyone = try #require(summary.reassigned.first { $0.source == "okta-everyone" }?.id)
        let members = try await fixture.get(.group, everyone).document["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
        #expect(Set(members ?? []) == [engineering, grace])
        let groups = try await fixture.get(.user, existing.id).document["groups"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
        #expect(groups?.contains(engineering) == true)
        #expect(try await fixture.search(.user, ["filter": "userName eq \"grace@example.com\""]).totalResults == 1)
    }

    @Test func oneRefusedRecordCommitsNothingAndEveryRefusalIsNamed() throws {
        let fixture = try DirectoryFixture()
        let taken = StoreImportTests.user("taken@example.com")
        _ = try importing(StoreImportTests.lines([taken]), into: fixture)
        let commits = try fixture.commitCount()
        let bytes = StoreImportTests.lines([
            StoreImportTests.user("fine@example.com"),
            .object(["schemas": [.string(StoreImportTests.userSchema)], "active": true]),
            StoreImportTests.user("TAKEN@example.com"),
            StoreImportTests.user("twice@example.com", id: "a1"),
            StoreImportTests.user("twice@example.com", id: "a1"),
            StoreImportTests.group("Ghosts", members: ["00000000-0000-4000-8000-000000000000"]),
            .object(["schemas": ["urn:example:Device"], "name": "printer"]),
            [1, 2],
        ])
        do {
            _ = try importing(bytes, into: fixture)
            Issue.record("the import was accepted")
        } catch let failure as ImportFailure {
            #expect(failure.problems.map(\.position) == ["line 2", "line 3", "line 5", "line 6", "line 7", "line 8"], "\(failure)")
            #expect(failure.problems.map(\.error.status) == [400, 409, 409, 400, 400, 400])
            #expect(failure.description.contains("line 3: uniqueness"), "\(failure)")
        }
        #expect(try fixture.commitCount() == commits)
        #expect(try git(["status", "--porcelain"], in: fixture.root).isEmpty)
    }

    @Test func linesThatAreNotJSONAreNamedWithTheRest() throws {
        let fixture = try DirectoryFixture()
        let bytes = Array("\(String(decoding: StoreImportTests.user("a@example.com").serialized(.compact), as: UTF8.self))\n\n{\"userName\": \n{\"a\": }\r\n".utf8)
        #expect(try ImportRecord.read(bytes).map(\.position) == ["line 1", "line 3", "line 4"])
        do {
            _ = try importing(bytes, into: fixture)
            Issue.record("the import was accepted")
        } catch let failure as ImportFailure {
            #expect(failure.problems.map(\.position) == ["line 3", "line 4"])
            #expect(failure.problems.allSatisfy { $0.error.scimType == .invalidSyntax })
        }
    }

    @Test func aListResponseAndADryRun() throws {
        let fixture = try DirectoryFixture()
        let list: JSONValue = [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 2,
            "Resources": [StoreImportTests.user("one@example.com"), StoreImportTests.user("two@example.com")],
        ]
        let bytes = list.serialized(.canonical)
        let records = try ImportRecord.read(bytes)
        #expect(records.map(\.position) == ["Resources[0]", "Resources[1]"])
        let commits = try fixture.commitCount()
        let dry = try importing(bytes, into: fixture, dryRun: true)
        #expect(dry.users == 2 && dry.commit == nil)
        #expect(try fixture.commitCount() == commits)
        let summary = try importing(bytes, into: fixture)
        #expect(summary.commit != nil && summary.users == 2)
        #expect(try fixture.commitCount() == commits + 1)
    }

    @Test func aCommitBetweenPlanningAndCommittingIsPlannedAgainst() async throws {
        // A server runs (the fixture's directory owns the working tree) while the import,
        // like the command, writes through a store of its own; another write lands after
        // the import planned, before it took the lock.
        let fixture = try DirectoryFixture()
        let store = try StoreSetup.open(at: fixture.root, options: GitStoreOptions())
        defer { try? store.close() }
        func run(_ resources: [JSONValue], meanwhile: [JSONValue]) throws -> StoreImport.Summary {
            var importer = StoreImport(store: store, logger: .init(label: "test"))
            importer.afterPlanning = {
                _ = try StoreImport(store: store, logger: .init(label: "test")).run(
                    try ImportRecord.read(StoreImportTests.lines(meanwhile)), source: "other.ndjson", by: CLIIdentity(name: "bob"), dryRun: false)
            }
            return try importer.run(try ImportRecord.read(StoreImportTests.lines(resources)), source: "people.ndjson", by: CLIIdentity(name: "ada"), dryRun: false)
        }
        let commits = try fixture.commitCount()
        do {
            _ = try run([StoreImportTests.user("one@example.com"), StoreImportTests.user("late@example.com")], meanwhile: [StoreImportTests.user("Late@example.com")])
            Issue.record("the import was accepted over the later write")
        } catch let failure as ImportFailure {
            #expect(failure.problems.map(\.position) == ["line 2"] && failure.problems.first?.error.scimType == .uniqueness, "\(failure)")
        }
        #expect(try fixture.commitCount() == commits + 1, "only the other write")
        let summary = try run([StoreImportTests.user("two@example.com")], meanwhile: [StoreImportTests.user("three@example.com")])
        #expect(summary.users == 1 && summary.commit != nil)
        #expect(try fixture.commitCount() == commits + 3)
        // The running directory takes in both commits on its next request.
        #expect(try await fixture.search(.user, ["filter": "userName eq \"two@example.com\" or userName eq \"three@example.com\""]).totalResults == 2)
        #expect(try await fixture.search(.user, ["filter": "userName eq \"one@example.com\""]).totalResults == 0)
    }

    @Test func uniqueAttributesTheStoreDeclaresAreCheckedAcrossTheFileAndTheStore() async throws {
        let fixture = try DirectoryFixture()
        let command = try StoreSetup.open(at: fixture.root, options: GitStoreOptions())
        let editor = SchemaEditor(store: command)
        _ = try editor.apply(try editor.planAdd(try SchemaDeclaration.documents(in: StoreSchemaTests.declaration(), resourceType: "User", required: false)), by: CLIIdentity(name: "admin"))
        try command.close()
        let urn = StoreSchemaTests.urn
        try await fixture.createUser("held@example.com", extra: [urn: ["code": "A-1"]])
        let commits = try fixture.commitCount()
        let bytes = StoreImportTests.lines([
            StoreImportTests.user("one@example.com", extra: [urn: ["code": "B-2"]]),
            StoreImportTests.user("two@example.com", extra: [urn: ["code": "b-2"]]),
            StoreImportTests.user("three@example.com", extra: [urn: ["code": "a-1"]]),
            StoreImportTests.user("four@example.com", extra: [urn: ["code": "C-3"]]),
        ])
        do {
            _ = try importing(bytes, into: fixture)
            Issue.record("values held twice were imported")
        } catch let failure as ImportFailure {
            #expect(failure.problems.map(\.position) == ["line 2", "line 3"], "\(failure)")
            #expect(failure.problems[0].error.detail.contains("line 1") && failure.problems[1].error.detail.contains("already used by user"), "\(failure)")
        }
        #expect(try fixture.commitCount() == commits)
    }

    /// An import is one moment: a clock ticking a millisecond per record put a million-user
    /// import 17 minutes into the future, and users created through the API meanwhile sorted
    /// before the imported ones (and each such create merged into all of them).
    @Test func importedRecordsCarryTheImportsTimeAndLaterUsersComeAfterThem() async throws {
        let fixture = try DirectoryFixture()
        let count = 3_000
        let before = Date()
        let summary = try importing(StoreImportTests.lines((0..<count).map { StoreImportTests.user("user\($0)@example.com") }), into: fixture)
        #expect(summary.users == count)
        let page = try await fixture.search(.user, ["count": "\(count)"])
        let created = Set(page.resources.compactMap { $0.document["meta"]?["created"]?.stringValue })
        #expect(created.count == 1, "every imported user carries the import's time")
        let stamp = try #require(created.first.flatMap { SCIMDateTime(parsing: $0) })
        #expect(Double(stamp.secondsSince1970) <= Date().timeIntervalSince1970 && Double(stamp.secondsSince1970) >= before.timeIntervalSince1970.rounded(.down))

        let later = try await fixture.createUser("later@example.com")
        let last = try await fixture.search(.user, ["startIndex": "\(count + 1)", "count": "10"])
        #expect(last.resources.map(\.id) == [later.id], "a user created after the import comes after it in creation order")
    }
}
