@testable import Directory
import Foundation
import Logging
import SCIM
import Testing

/// The snapshot's layout: what a start loads is exactly what reading every file builds,
/// whatever the sections, however many values a path has; a damaged file is refused, never
/// half loaded.
@Suite("Directory: index snapshot layout")
struct IndexSnapshotLayoutTests {
    /// Users with one, no and 300 emails, names in and out of lower case, one inactive;
    /// groups with plain members and one a client gave a display.
    private func populatedFixture() async throws -> DirectoryFixture {
        let fixture = try DirectoryFixture()
        var ids: [String] = []
        for name in ["ada@example.com", "Bob@Example.com", "eve@example.com", "zoë@example.com", "mo@example.com"] {
            ids.append(try await fixture.createUser(name, extra: ["externalId": .string("ext-" + name)]).id)
        }
        let emails = (0..<300).map { JSONValue.object(["value": .string("alias\($0)@example.com")]) }
        ids.append(try await fixture.createUser("many@example.com", extra: ["emails": .array(emails), "active": false]).id)
        ids.append(try await fixture.createUser("none@example.com", extra: ["emails": .array([])]).id)
        let engineering = try await fixture.createGroup("Engineering", members: Array(ids.prefix(4)))
        _ = try await fixture.createGroup("Everyone", members: ids + [engineering.id])
        _ = try await fixture.patch(.group, engineering.id, [["op": "add", "path": "members", "value": [["value": .string(ids[5]), "display": "Many Emails"]]]])
        return fixture
    }

    private func rebuilt(_ fixture: DirectoryFixture) throws -> DirectoryIndex.State {
        try Indexer(store: fixture.directory.store, logger: Logger(label: "test")).build()
    }

    @Test func aLoadedSnapshotEqualsAStateBuiltFromEveryFile() async throws {
        let fixture = try await populatedFixture()
        let built = try rebuilt(fixture)
        #expect(built.summaries.count == 9)
        #expect(built.equality[.user]?["emails.value"]?["alias299@example.com"]?.count == 1)
        #expect(built.memberDisplays.values.contains { $0.values.contains { $0.text == "Many Emails" } })
        let path = fixture.folder.path + "/snapshot"
        let head = try #require(fixture.directory.store.head)
        for chunkSize in [1, 2, 4, 1000] {
            try IndexSnapshot.save(built, head: head, to: path, chunkSize: chunkSize)
            let loaded = try #require(IndexSnapshot.load(from: path), "chunks of \(chunkSize)")
            #expect(loaded.head == head)
            #expect(loaded.state == built, "chunks of \(chunkSize)")
        }
    }

    @Test func theLiveIndexSurvivesARestartWithTheSameAnswers() async throws {
        let fixture = try await populatedFixture()
        let before = fixture.directory.index.read { $0 }
        try fixture.restart()
        let after = fixture.directory.index.read { $0 }
        #expect(after.summaries == before.summaries)
        #expect(after.order == before.order)
        #expect(after.members == before.members)
        #expect(after.memberDisplays == before.memberDisplays)
        for (path, keys) in before.equality[.user] ?? [:] {
            #expect((after.equality[.user]?[path] ?? [:]) == keys, "\(path)")
        }
        #expect(try await fixture.search(.user, ["filter": "emails.value eq \"ALIAS150@example.com\""]).resources.map(\.id)
            == before.equality[.user]?["emails.value"]?["alias150@example.com"].map(Array.init))
    }

    @Test func aDamagedSnapshotIsRefusedWherever() async throws {
        let fixture = try await populatedFixture()
        let path = fixture.folder.path + "/snapshot"
        try IndexSnapshot.save(try rebuilt(fixture), head: try #require(fixture.directory.store.head), to: path, chunkSize: 2)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in stride(from: 0, to: whole.count, by: max(1, whole.count / 97)) {
            try whole.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(IndexSnapshot.load(from: path) == nil, "cut at \(length) of \(whole.count)")
            _ = IndexSnapshot.resources(namedAnyOf: ["mo@example.com"], from: path)
        }
        var flipped = whole
        flipped[whole.count / 2] ^= 0xFF
        try flipped.write(to: URL(fileURLWithPath: path))
        // A flipped byte inside a string changes a value, not the layout; anywhere else the
        // file is refused. Either way the load returns, and never crashes.
        _ = IndexSnapshot.load(from: path)
    }

    @Test func namesAreFoundInEverySection() async throws {
        let fixture = try await populatedFixture()
        let path = fixture.folder.path + "/snapshot"
        let built = try rebuilt(fixture)
        try IndexSnapshot.save(built, head: try #require(fixture.directory.store.head), to: path, chunkSize: 2)
        let found = try #require(IndexSnapshot.resources(namedAnyOf: ["bob@example.com", "none@example.com", "engineering"], from: path))
        #expect(Set(found.found.map(\.id)) == Set([
            built.id(named: "bob@example.com", kind: .user), built.id(named: "none@example.com", kind: .user), built.id(named: "Engineering", kind: .group),
        ].compactMap { $0 }))
    }

    @Test func keysKeepTheirRunsPackedOrWide() {
        let packed = IndexKeys([["a"], [], ["b", "c"], ["d"]])
        #expect(packed.runs.map(Array.init) == [["a"], [], ["b", "c"], ["d"]])
        #expect(Array(packed[2]) == ["b", "c"])
        let long = (0..<300).map { "k\($0)" }
        let wide = IndexKeys([["a"], long, []])
        #expect(wide.runs.map(Array.init) == [["a"], long, []])
        #expect(Array(wide[1]).count == 300)
        var seen: [String] = []
        wide.forEach(path: 1) { seen.append($0) }
        #expect(seen == long)
        let nine = IndexKeys((0..<9).map { ["v\($0)"] })
        #expect(nine.runs.map(Array.init) == (0..<9).map { ["v\($0)"] })
    }
}
