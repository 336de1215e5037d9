import CLibgit2
import Foundation
@testable import GitStore
import Testing
import TestSupport

/// `.git/index` written while the writer goes on: what changes meanwhile reaches the index
/// after the write, and what the file holds is the index as the write began.
@Suite("GitStore: the index written in the background")
struct IndexCacheTests {
    /// A repository with files `names` in its working tree and an index (empty on disk).
    /// Their modification times `age` seconds ago (negative: in the future).
    static func repository(_ folder: TemporaryFolder, files names: [String], age: Int = 100) throws -> (Repository, [String: (ObjectID, stat)]) {
        _ = try git(["init", "-q", folder.path], in: folder.path)
        var files: [String: (ObjectID, stat)] = [:]
        for name in names {
            let content = Array("\(name)\n".utf8)
            #expect(FileManager.default.createFile(atPath: folder.path + "/" + name, contents: Data(content)))
            let time = timeval(tv_sec: time(nil) - age, tv_usec: 0)
            #expect(utimes(folder.path + "/" + name, [time, time]) == 0)
            var info = stat()
            #expect(stat(folder.path + "/" + name, &info) == 0)
            files[name] = (ObjectID.blob(hashing: content), info)
        }
        return (try Repository(path: folder.path), files)
    }

    /// An index with "a" written to disk and "b" set since, its background write begun.
    static func writingB(after a: String, in folder: TemporaryFolder) throws -> IndexCache {
        let (repository, files) = try IndexCacheTests.repository(folder, files: [a, "b"])
        let index = try IndexCache(repository: repository)
        try index.set(a, blob: files[a]!.0, stat: files[a]!.1)
        try index.write()
        try index.set("b", blob: files["b"]!.0, stat: files["b"]!.1)
        #expect(index.beginBackgroundWrite())
        return index
    }

    static func listed(_ folder: TemporaryFolder) throws -> [String] {
        try git(["ls-files"], in: folder.path).split(separator: "\n").map(String.init)
    }

    @Test func changesDuringTheWriteAreJournaledAndAppliedAfterIt() throws {
        let folder = TemporaryFolder()
        let (repository, files) = try IndexCacheTests.repository(folder, files: ["a", "b", "c"])
        let index = try IndexCache(repository: repository)
        try index.set("a", blob: files["a"]!.0, stat: files["a"]!.1)
        try index.write()
        #expect(try IndexCacheTests.listed(folder) == ["a"])

        try index.set("b", blob: files["b"]!.0, stat: files["b"]!.1)
        #expect(index.beginBackgroundWrite())
        // The writer goes on while the flusher writes: both changes wait in the journal.
        try index.set("c", blob: files["c"]!.0, stat: files["c"]!.1)
        try index.remove("a")
        #expect(index.leafEntries(of: "") == nil, "the index itself is not read while it is written")
        try index.writeInBackground()
        #expect(try IndexCacheTests.listed(folder) == ["a", "b"], "the file holds the index as the write began")

        #expect(index.isDirty, "the journal's changes are not on disk yet")
        #expect(index.blob(at: "c") == files["c"]!.0 && index.blob(at: "a") == nil && index.blob(at: "b") == files["b"]!.0)
        try index.write()
        #expect(!index.isDirty)
        #expect(try IndexCacheTests.listed(folder) == ["b", "c"])
        #expect(try git(["diff-files", "--name-only"], in: folder.path) == "", "the journaled entry has the file's stat data")
    }

    @Test func aReaderOfTheIndexWaitsForTheWrite() throws {
        let folder = TemporaryFolder()
        let index = try IndexCacheTests.writingB(after: "a", in: folder)
        nonisolated(unsafe) let flusher = index
        let written = Thread { try? flusher.writeInBackground() }
        written.start()
        // Waits for the flusher's thread instead of reading an index being written.
        #expect(index.files(under: nil).map(\.path) == ["a", "b"])
        #expect(!index.isDirty)
        #expect(try IndexCacheTests.listed(folder) == ["a", "b"])
    }

    @Test func aFailedWriteLeavesEveryChangeUnwritten() throws {
        let folder = TemporaryFolder()
        let index = try IndexCacheTests.writingB(after: "a", in: folder)
        // Plain git is writing the index: ours cannot take index.lock.
        #expect(FileManager.default.createFile(atPath: folder.path + "/.git/index.lock", contents: Data()))
        #expect(throws: GitStoreError.self) { try index.writeInBackground() }
        try FileManager.default.removeItem(atPath: folder.path + "/.git/index.lock")
        #expect(index.isDirty, "b is still to be written")
        #expect(index.beginBackgroundWrite())
        try index.writeInBackground()
        #expect(!index.isDirty)
        #expect(try IndexCacheTests.listed(folder) == ["a", "b"])
    }

    /// A write waits while plain git holds `index.lock`, but not for the lock of the
    /// store's own background write: that wait was a half-second stall at a million files.
    @Test func aCommitDuringTheBackgroundWriteDoesNotWaitForItsLock() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder, options: .serving(lockTimeout: .milliseconds(300), indexFlushDelay: .seconds(60)))
        defer { try? store.close() }
        try store.commit(changes: ["Users/a.json": .write(bytes("a\n"))], message: "a", author: client)
        try store.flushIndex()
        try store.commit(changes: ["Users/b.json": .write(bytes("b\n"))], message: "b", author: client)
        let index = store.writer.index
        #expect(index.beginBackgroundWrite())
        let lock = store.root + "/.git/index.lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: Data()), "as the background write holds it")
        #expect(throws: Never.self) { try store.commit(changes: ["Users/c.json": .write(bytes("c\n"))], message: "c", author: client) }
        try FileManager.default.removeItem(atPath: lock)
        try index.writeInBackground()

        #expect(FileManager.default.createFile(atPath: lock, contents: Data()), "as plain git holds it")
        #expect(throws: GitStoreError.self) { try store.commit(changes: ["Users/d.json": .write(bytes("d\n"))], message: "d", author: client) }
        try FileManager.default.removeItem(atPath: lock)
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
        #expect(try git(["ls-files", "Users"], in: store.root) == "Users/a.json\nUsers/b.json\nUsers/c.json\n")
    }

    /// An entry as new as the index file may be "racily clean", and libgit2 checks those
    /// through the repository while it writes. One whose file still has its content is
    /// vouched for; one whose file changed behind the same stat data keeps the write under
    /// the lock.
    @Test func anIndexReadWithRacyEntriesIsWrittenUnderTheLock() throws {
        for (age, changedBehindItsStat, racy) in [(100, false, false), (-100, false, false), (-100, true, true)] {
            let folder = TemporaryFolder()
            let (repository, files) = try IndexCacheTests.repository(folder, files: ["a", "b"], age: age)
            let first = try IndexCache(repository: repository)
            try first.set("a", blob: files["a"]!.0, stat: files["a"]!.1)
            try first.write()
            if changedBehindItsStat {
                // Same size, same inode, the same modification time put back: only the bytes differ.
                let handle = try #require(FileHandle(forWritingAtPath: folder.path + "/a"))
                handle.write(Data("A\n".utf8))
                try handle.close()
                var times = [files["a"]!.1.st_mtim, files["a"]!.1.st_mtim]
                #expect(utimensat(AT_FDCWD, folder.path + "/a", &times, 0) == 0)
            }
            let reread = try IndexCache(repository: try Repository(path: folder.path))
            try reread.set("b", blob: files["b"]!.0, stat: files["b"]!.1)
            #expect(reread.beginBackgroundWrite() == !racy, "a file modified \(age) s ago, changed behind its stat data: \(changedBehindItsStat)")
            if racy { try reread.write() } else { try reread.writeInBackground() }
            #expect(!reread.isDirty)
            // Once written by this process, every entry is one libgit2 trusts.
            try reread.remove("b")
            #expect(reread.beginBackgroundWrite())
            try reread.writeInBackground()
            #expect(try IndexCacheTests.listed(folder) == ["a"])
            if racy {
                #expect(try git(["status", "--porcelain"], in: folder.path).contains("AM a"), "git sees the change libgit2 smudged")
            }
        }
    }
}
