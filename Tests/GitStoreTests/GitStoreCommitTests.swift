import Foundation
import GitStore
import Testing

@Suite("GitStore: one commit per write")
struct GitStoreCommitTests {
    @Test func createMakesBranchMainWithReadme() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        let root = store.root
        #expect(try git(["rev-parse", "--abbrev-ref", "HEAD"], in: root) == "main\n")
        #expect(try git(["log", "--format=%an|%cn|%s"], in: root) == "scimgit|scimgit|Initialize store\n")
        #expect(try git(["show", "HEAD:README.md"], in: root) == "# test store\n")
        #expect(try String(contentsOfFile: root + "/README.md", encoding: .utf8) == "# test store\n")
        #expect(try git(["status", "--porcelain"], in: root) == "")
        #expect(try git(["fsck", "--strict"], in: root).isEmpty)
    }

    @Test(arguments: Durability.allCases)
    func oneWriteIsExactlyOneCommit(durability: Durability) throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder, options: .serving(durability: durability))
        defer { try? store.close() }
        let commit = try store.commit(
            changes: [
                "Users/3f/a8/3fa85f64.json": .write(bytes("{\"userName\": \"ada\"}\n")),
                "Users/9c/0e/9c0e1234.json": .write(bytes("{\"userName\": \"bob\"}\n")),
            ],
            message: "Create two users\n\nSCIM-Client: okta",
            author: client
        )
        let root = store.root
        #expect(commit != nil)
        #expect(try git(["rev-list", "--count", "HEAD"], in: root) == "2\n")
        #expect(try git(["rev-parse", "HEAD"], in: root) == commit!.hex + "\n")
        #expect(try git(["log", "-1", "--format=%an <%ae>|%cn|%s|%(trailers:key=SCIM-Client,valueonly)"], in: root)
            == "okta <okta@scimgit>|scimgit|Create two users|okta\n\n")
        #expect(try git(["show", "HEAD:Users/3f/a8/3fa85f64.json"], in: root) == "{\"userName\": \"ada\"}\n")
        #expect(try store.readWorkingFile("Users/9c/0e/9c0e1234.json") == bytes("{\"userName\": \"bob\"}\n"))
        #expect(try git(["show", "--name-only", "--format=", "HEAD"], in: root) == "Users/3f/a8/3fa85f64.json\nUsers/9c/0e/9c0e1234.json\n")
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: root) == "")
        #expect(try git(["fsck", "--strict"], in: root).isEmpty)
    }

    /// After a restart the writer's tree cache is empty and folders are rebuilt from the
    /// index; after a commit made with plain git too. Every other file must stay.
    @Test func foldersRebuiltAfterARestartKeepTheirOtherFiles() throws {
        let folder = TemporaryFolder()
        var store = try makeStore(folder)
        _ = try store.commit(changes: ["Users/ab/cd/1.json": .write(bytes("1\n")), "Users/ab/cd/2.json": .write(bytes("2\n"))], message: "two", author: client)
        try store.close()
        let root = folder.path + "/store"
        store = try GitStore.open(at: root)
        _ = try store.commit(changes: ["Users/ab/cd/3.json": .write(bytes("3\n"))], message: "three", author: client)
        #expect(try git(["ls-tree", "--name-only", "HEAD", "Users/ab/cd/"], in: root) == "Users/ab/cd/1.json\nUsers/ab/cd/2.json\nUsers/ab/cd/3.json\n")
        try store.close()

        try "x\n".write(toFile: root + "/Users/ab/cd/0.json", atomically: true, encoding: .utf8)
        _ = try git(["add", "Users/ab/cd/0.json"], in: root)
        _ = try git(["-c", "user.name=admin", "-c", "user.email=admin@example.com", "commit", "-q", "-m", "by hand"], in: root)
        _ = try git(["update-index", "--force-remove", "Users/ab/cd/0.json"], in: root)
        store = try GitStore.open(at: root)
        defer { try? store.close() }
        _ = try store.commit(changes: ["Users/ab/cd/4.json": .write(bytes("4\n"))], message: "four", author: client)
        #expect(try git(["ls-tree", "--name-only", "HEAD", "Users/ab/cd/"], in: root)
            == "Users/ab/cd/0.json\nUsers/ab/cd/1.json\nUsers/ab/cd/2.json\nUsers/ab/cd/3.json\nUsers/ab/cd/4.json\n")
        #expect(try git(["fsck", "--strict"], in: root).isEmpty)
    }

    @Test func emptyOrUnchangingWritesMakeNoCommit() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        #expect(try store.commit(changes: [:], message: "nothing", author: client) == nil)
        #expect(try store.commit(changes: ["README.md": .write(bytes("# test store\n"))], message: "same bytes", author: client) == nil)
        #expect(try store.commit(changes: ["Users/none.json": .delete], message: "delete nothing", author: client) == nil)
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "1\n")
    }

    @Test func deleteRemovesFileAndEmptyFolders() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        try store.commit(changes: ["Users/ab/cd/abcd.json": .write(bytes("{}\n"))], message: "Create", author: client)
        try store.commit(changes: ["Users/ab/cd/abcd.json": .delete], message: "Delete", author: client)
        #expect(!FileManager.default.fileExists(atPath: store.root + "/Users"))
        #expect(try git(["ls-tree", "-r", "--name-only", "HEAD"], in: store.root) == "README.md\n")
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
    }

    @Test func indexIsWrittenWithinASecondOfTheLastWrite() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        for number in 0..<5 {
            try store.commit(changes: ["Users/\(number).json": .write(bytes("\(number)\n"))], message: "w\(number)", author: client)
        }
        // The flusher writes 0.5 s after writes pause; allow scheduling noise on a busy machine.
        #expect(try eventually(within: 1.5) { try git(["--no-optional-locks", "status", "--porcelain"], in: store.root).isEmpty })
    }

    @Test func closeLeavesStatusClean() throws {
        let folder = TemporaryFolder()
        let store = try GitStore.create(
            at: folder.path + "/store", initialFiles: ["README.md": bytes("x\n")], message: "init",
            options: GitStoreOptions(indexFlushDelay: .seconds(60))
        )
        try store.commit(changes: ["a/b.json": .write(bytes("1\n"))], message: "w", author: client)
        try store.close()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
        #expect(throws: GitStoreError.closed) { try store.commit(changes: ["a/c.json": .write(bytes("1\n"))], message: "w", author: client) }
    }

    @Test func refusesPathsOutsideTheTree() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        for path in ["../escape.json", "/etc/passwd", ".git/config", "a//b", "a/./b", "a\\b", ""] {
            #expect(throws: GitStoreError.self) {
                try store.commit(changes: [path: .write(bytes("x"))], message: "bad", author: client)
            }
        }
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "1\n")
    }

    @Test func batchMakesOneCommitPerSpecAllOrNothing() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        let ids = try store.write { session in
            try session.commit([
                CommitSpec(changes: ["a.json": .write(bytes("1\n"))], message: "first", author: client),
                CommitSpec(changes: [:], message: "empty", author: client),
                CommitSpec(changes: ["a.json": .write(bytes("2\n")), "b.json": .write(bytes("3\n"))], message: "second", author: client),
            ])
        }
        #expect(ids.count == 3 && ids[0] != nil && ids[1] == nil && ids[2] != nil)
        #expect(try git(["log", "--format=%s"], in: store.root) == "second\nfirst\nInitialize store\n")
        #expect(try git(["show", "HEAD~1:a.json"], in: store.root) == "1\n")
        #expect(try store.readWorkingFile("a.json") == bytes("2\n"))
        // A batch with a bad spec commits nothing at all.
        #expect(throws: GitStoreError.self) {
            try store.write { session in
                try session.commit([
                    CommitSpec(changes: ["c.json": .write(bytes("4\n"))], message: "ok", author: client),
                    CommitSpec(changes: ["../x": .write(bytes("5\n"))], message: "bad", author: client),
                ])
            }
        }
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "3\n")
        #expect(try store.readWorkingFile("c.json") == nil)
    }

    @Test func eightConcurrentWritersMakeEightCommits() async throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<8 {
                group.addTask {
                    try store.commit(changes: ["Users/\(number)/u.json": .write(bytes("\(number)\n"))], message: "write \(number)", author: client)
                }
            }
            try await group.waitForAll()
        }
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "9\n")
        #expect(try git(["ls-tree", "-r", "--name-only", "HEAD", "Users"], in: store.root).split(separator: "\n").count == 8)
        #expect(try git(["fsck", "--strict"], in: store.root).isEmpty)
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
    }
}
