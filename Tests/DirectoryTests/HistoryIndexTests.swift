@testable import Directory
import Files
import Foundation
import GitStore
import SCIM
import Testing

@Suite("History index: kept on disk between runs, rebuilt when it does not fit")
struct HistoryIndexTests {
    private func file(_ fixture: DirectoryFixture) -> String {
        MetadataPaths(gitDirectory: fixture.directory.store.gitDirectory).historyIndex
    }

    /// Fills in the background and waits for the file it writes when done.
    private func filled(_ fixture: DirectoryFixture) async throws -> HistoryIndex {
        let index = HistoryIndex(file: file(fixture))
        AtomicFile.remove(file(fixture))
        index.fill(from: fixture.directory.store)
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: file(fixture)) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(FileManager.default.fileExists(atPath: file(fixture)))
        return index
    }

    private func summaries(_ syncs: [Sync]) -> [String] {
        syncs.map { "\($0.id) \($0.client) \($0.commits.count) \($0.counts.words)" }
    }

    @Test func aRestartedIndexReadsTheFileAndOnlyTheCommitsSince() async throws {
        let fixture = try DirectoryFixture()
        for number in 0..<5 { _ = try await fixture.createUser("user\(number)@example.com") }
        _ = try await filled(fixture)
        let store = fixture.directory.store
        var contents = try #require(HistoryIndexFile.read(file(fixture)))
        #expect(contents.head == store.head)
        #expect(contents.entries.count == (try fixture.commitCount()))
        #expect(contents.counts.count == 5, "one count per SCIM write")

        // What a new index reports for the old commits comes from the file: mark one.
        let marked = contents.entries[0].id
        var counts = Sync.Counts()
        counts.updated[.group] = 7
        contents.counts[marked] = counts.packed
        try HistoryIndexFile.write(contents, to: file(fixture))

        let later = try await fixture.createUser("later@example.com")
        let index = HistoryIndex(file: file(fixture))
        let syncs = try SyncFinder(store: store, index: index).syncs()
        #expect(syncs.count == 1)
        #expect(syncs[0].commits.count == 6)
        #expect(syncs[0].commits.last?.resource == "User/\(later.id)")
        #expect(syncs[0].counts.updated[.group] == 7, "the marked count came from the file")
        #expect(syncs[0].counts.created[.user] == 5, "the new commit was counted; the marked one kept its count from the file")
    }

    @Test func aCorruptOrForeignFileIsIgnored() async throws {
        let fixture = try DirectoryFixture()
        for number in 0..<3 { _ = try await fixture.createUser("user\(number)@example.com") }
        let store = fixture.directory.store
        let expected = summaries(try SyncFinder(store: store).syncs())

        try AtomicFile.write(Array("SGHI not an index".utf8), to: file(fixture))
        #expect(summaries(try SyncFinder(store: store, index: HistoryIndex(file: file(fixture))).syncs()) == expected)

        // Another store's history: its head is never met walking this one.
        let other = try DirectoryFixture()
        _ = try await other.createUser("someone@example.com")
        _ = try await filled(other)
        try FileManager.default.removeItem(atPath: file(fixture))
        try FileManager.default.copyItem(atPath: file(other), toPath: file(fixture))
        #expect(summaries(try SyncFinder(store: store, index: HistoryIndex(file: file(fixture))).syncs()) == expected)
    }

    @Test func encodingRoundTrips() throws {
        let id = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let entry = LogEntry(id: id, time: Date(timeIntervalSince1970: 1_790_000_000.25), client: "okta", subject: "Create user <ü>", operation: "POST", resource: nil)
        var counts = Sync.Counts()
        counts.created[.user] = 1
        counts.membershipsRemoved = 3
        let bytes = HistoryIndexFile.encode(.init(head: id, entries: [entry], counts: [id: counts.packed]))
        let decoded = try #require(HistoryIndexFile.decode(bytes))
        #expect(decoded.head == id)
        #expect(decoded.entries.map(\.subject) == ["Create user <ü>"])
        #expect(decoded.entries[0].time == entry.time)
        #expect(decoded.entries[0].operation == "POST" && decoded.entries[0].resource == nil)
        #expect(decoded.counts[id].map(Sync.Counts.init(packed:)) == counts)
        // Cut anywhere, it is refused rather than read short.
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(HistoryIndexFile.decode(Array(bytes.prefix(cut))) == nil)
        }
    }
}
