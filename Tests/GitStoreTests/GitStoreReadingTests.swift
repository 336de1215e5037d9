import Foundation
import GitStore
import Testing

@Suite("GitStore: reads, revisions, diffs, log, tags, restore")
struct GitStoreReadingTests {
    /// Three commits touching a.json and b.json.
    private func history(_ folder: TemporaryFolder) throws -> (GitStore, [ObjectID]) {
        let store = try makeStore(folder)
        var ids: [ObjectID] = []
        ids.append(try store.commit(changes: ["a.json": .write(bytes("a1\n"))], message: "one", author: client)!)
        ids.append(try store.commit(changes: ["b/b.json": .write(bytes("b1\n"))], message: "two", author: client)!)
        ids.append(try store.commit(changes: ["a.json": .write(bytes("a2\n")), "b/b.json": .delete], message: "three", author: client)!)
        return (store, ids)
    }

    @Test func readsAtAnyRevision() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        #expect(try store.read("a.json", at: ids[0]) == bytes("a1\n"))
        #expect(try store.read("a.json", at: ids[2]) == bytes("a2\n"))
        #expect(try store.read("b/b.json", at: ids[2]) == nil)
        #expect(try store.read("b/b.json", at: ids[1]) == bytes("b1\n"))
        #expect(try store.readWorkingFile("a.json") == bytes("a2\n"))
        #expect(try store.readWorkingFile("b/b.json") == nil)
    }

    @Test func resolvesRevisionsLikeGit() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        #expect(try store.resolve(ids[1].hex) == ids[1])
        #expect(try store.resolve(ids[1].short) == ids[1])
        #expect(try store.resolve("HEAD") == ids[2])
        #expect(try store.resolve("main") == ids[2])
        #expect(try store.resolve("HEAD~2") == ids[0])
        try store.createTag("before-three", target: ids[1], message: "snapshot", tagger: client)
        #expect(try store.resolve("before-three") == ids[1])
        #expect(throws: GitStoreError.self) { try store.resolve("no-such-thing") }
    }

    @Test func resolvesTimesToTheLastCommitAtOrBefore() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        // Commit times have one-second resolution: space the commits out.
        let first = try store.commit(changes: ["a.json": .write(bytes("1\n"))], message: "one", author: client)!
        Thread.sleep(forTimeInterval: 1.1)
        let between = Date()
        Thread.sleep(forTimeInterval: 1.1)
        let second = try store.commit(changes: ["a.json": .write(bytes("2\n"))], message: "two", author: client)!
        let iso = ISO8601DateFormatter()
        #expect(try store.resolve(iso.string(from: between)) == first)
        #expect(try store.resolve(iso.string(from: Date().addingTimeInterval(60))) == second)
        #expect(throws: GitStoreError.self) { try store.resolve("2001-01-01T00:00:00Z") }
    }

    @Test func diffsTreesByPath() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        let changes = try store.diff(from: ids[0], to: ids[2])
        #expect(changes.map(\.path) == ["a.json"])
        #expect(changes.first?.kind == .modified)
        let wider = try store.diff(from: ids[1], to: ids[2])
        #expect(Set(wider.map(\.path)) == ["a.json", "b/b.json"])
        #expect(wider.first { $0.path == "b/b.json" }?.kind == .deleted)
        #expect(try store.diff(from: ids[0], to: ids[1], under: "b").map(\.path) == ["b/b.json"])
        #expect(try store.diff(from: ids[2], to: ids[2]).isEmpty)
        // The same answer as git's own diff.
        let gitPaths = try git(["diff", "--name-only", ids[1].hex, ids[2].hex], in: store.root)
        #expect(gitPaths == "a.json\nb/b.json\n")
    }

    @Test func walksLogNewestFirstOptionallyByPath() throws {
        let folder = TemporaryFolder()
        let (store, _) = try history(folder)
        defer { try? store.close() }
        var subjects: [String] = []
        try store.log { subjects.append($0.subject); return true }
        #expect(subjects == ["three", "two", "one", "Initialize store"])
        subjects = []
        try store.log(paths: ["b"]) { subjects.append($0.subject); return true }
        #expect(subjects == ["three", "two"])
        subjects = []
        try store.log(paths: ["a.json"], limit: 1) { subjects.append($0.subject); return true }
        #expect(subjects == ["three"])
        var info: CommitInfo?
        try store.log(limit: 1) { info = $0; return true }
        #expect(info?.author.name == "okta")
        #expect(info?.committer.name == "scimgit")
    }

    @Test func parsesTrailers() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        let id = try store.commit(
            changes: ["x.json": .write(bytes("1\n"))],
            message: "Create user ada\n\nattributes: userName\n\nSCIM-Operation: POST\nSCIM-Client: okta",
            author: client
        )!
        let info = try store.commitInfo(id)
        #expect(info.trailer("scim-operation") == "POST")
        #expect(info.trailer("SCIM-Client") == "okta")
        #expect(info.trailer("Missing") == nil)
    }

    @Test func annotatedTagsAreVisibleToGit() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        let tag = try store.createTag("before-sync", message: "Before the nightly sync", tagger: client)
        #expect(tag.target == ids[2])
        #expect(tag.message == "Before the nightly sync\n")
        #expect(try git(["tag", "-l", "-n1"], in: store.root).contains("before-sync     Before the nightly sync"))
        #expect(try git(["cat-file", "-t", "before-sync"], in: store.root) == "tag\n")
        #expect(throws: GitStoreError.self) { try store.createTag("before-sync", message: "again", tagger: client) }
        #expect(throws: GitStoreError.self) { try store.createTag("bad..name", message: "x", tagger: client) }
        #expect(try store.tags().map(\.name) == ["before-sync"])
        #expect(try git(["fsck", "--strict"], in: store.root).isEmpty)
        try store.deleteTag("before-sync")
        #expect(try store.tags().isEmpty)
        #expect(throws: GitStoreError.self) { try store.deleteTag("before-sync") }
        #expect(try git(["tag"], in: store.root).isEmpty)
    }

    @Test func restoresAPastTreeAsANewCommit() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        let restored = try store.write { session in
            try session.restore(treeOf: ids[1], message: "Roll back to two", author: client)
        }
        #expect(restored != nil)
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "5\n")
        #expect(try git(["diff", ids[1].hex, "HEAD"], in: store.root) == "")
        #expect(try store.readWorkingFile("a.json") == bytes("a1\n"))
        #expect(try store.readWorkingFile("b/b.json") == bytes("b1\n"))
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
        // Restoring the state HEAD already has makes no commit.
        #expect(try store.write { try $0.restore(treeOf: ids[1], message: "again", author: client) } == nil)
    }

    @Test func restoreReusesPastBlobs() throws {
        let folder = TemporaryFolder()
        let (store, ids) = try history(folder)
        defer { try? store.close() }
        let blob = try store.files(at: ids[0], under: nil).first { $0.path == "a.json" }!.blob
        try store.commit(changes: ["a.json": .restore(blob)], message: "revert a", author: client)
        #expect(try store.readWorkingFile("a.json") == bytes("a1\n"))
        #expect(try store.files(at: store.head!).map(\.path) == ["README.md", "a.json"])
    }
}
