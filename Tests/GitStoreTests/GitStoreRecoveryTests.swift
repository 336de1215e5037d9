import Foundation
import GitStore
import Testing

@Suite("GitStore: crash recovery, locks, faults")
struct GitStoreRecoveryTests {
    /// Closes the store as a crash would leave it: without the clean-shutdown record.
    private func simulateCrash(_ store: GitStore) throws {
        try store.close()
        try? FileManager.default.removeItem(atPath: store.gitDirectory + "/scimgit/clean-shutdown")
    }

    @Test func aCleanShutdownIsRecordedAndConsumedByTheNextOpen() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        try store.commit(changes: ["Users/aa/bb/aabb.json": .write(bytes("committed\n"))], message: "Create", author: client)
        let marker = store.gitDirectory + "/scimgit/clean-shutdown"
        try store.close()
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == store.head!.hex + "\n")
        // A command that opens the store and changes nothing leaves the record in place.
        try GitStore.open(at: store.root, ownedFolders: ["Users"]).close()
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == store.head!.hex + "\n")
        // A server owning the tree consumes it: a crash from now on is noticed.
        let reopened = try GitStore.open(at: store.root, ownedFolders: ["Users"], options: GitStoreOptions(servesWorkingTree: true))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(reopened.recovery.isEmpty)
        try simulateCrash(reopened)
        // After a crash, everything is compared again: a stray file is found.
        try "stray\n".write(toFile: store.root + "/Users/aa/bb/stray.json", atomically: true, encoding: .utf8)
        let afterCrash = try GitStore.open(at: store.root, ownedFolders: ["Users"])
        defer { try? afterCrash.close() }
        #expect(afterCrash.recovery.removedFiles == ["Users/aa/bb/stray.json"])
    }

    @Test func fileWrittenButNotCommittedIsUndoneOnOpen() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        try store.commit(changes: ["Users/aa/bb/aabb.json": .write(bytes("committed\n"))], message: "Create", author: client)
        let root = store.root
        try simulateCrash(store)
        // A crash after the working-tree step: a changed file and a new one, no commit.
        try "half written\n".write(toFile: root + "/Users/aa/bb/aabb.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/Users/cc/dd", withIntermediateDirectories: true)
        try "new\n".write(toFile: root + "/Users/cc/dd/ccdd.json", atomically: true, encoding: .utf8)
        try "tmp\n".write(toFile: root + "/Users/aa/bb/.scimgit-tmp-aabb.json.123", atomically: true, encoding: .utf8)

        let reopened = try GitStore.open(at: root, ownedFolders: ["Users"])
        defer { try? reopened.close() }
        #expect(reopened.recovery.restoredPaths == ["Users/aa/bb/aabb.json"])
        #expect(Set(reopened.recovery.removedFiles) == ["Users/cc/dd/ccdd.json", "Users/aa/bb/.scimgit-tmp-aabb.json.123"])
        #expect(try reopened.readWorkingFile("Users/aa/bb/aabb.json") == bytes("committed\n"))
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: root) == "")
        #expect(try git(["rev-list", "--count", "HEAD"], in: root) == "2\n")
    }

    @Test func openingBesideALiveWriterWithALaggingIndexRepairsNothing() throws {
        let folder = TemporaryFolder()
        let live = try makeStore(folder, options: .serving(indexFlushDelay: .seconds(60)))
        defer { try? live.close() }
        try live.commit(changes: ["Users/aa/bb/aabb.json": .write(bytes("committed\n"))], message: "Create", author: client)
        // The live writer has not written .git/index yet; a CLI opens the same store.
        let cli = try GitStore.open(at: live.root, ownedFolders: ["Users"])
        #expect(cli.recovery.isEmpty)
        #expect(try cli.readWorkingFile("Users/aa/bb/aabb.json") == bytes("committed\n"))
        try cli.close()
        try live.commit(changes: ["Users/cc/dd/ccdd.json": .write(bytes("more\n"))], message: "More", author: client)
        try live.flushIndex()
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: live.root) == "")
    }

    @Test func objectsWrittenButBranchNotMovedLeaveHeadAsItWas() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        let root = store.root
        let head = store.head!
        try simulateCrash(store)
        // A crash after the pack and the files were written, before the ref moved: the
        // objects exist but nothing refers to them.
        try git(["hash-object", "-w", "README.md"], in: root)
        try FileManager.default.createDirectory(atPath: root + "/Users/ee", withIntermediateDirectories: true)
        try "uncommitted\n".write(toFile: root + "/Users/ee/x.json", atomically: true, encoding: .utf8)
        try "changed readme\n".write(toFile: root + "/README.md", atomically: true, encoding: .utf8)
        let reopened = try GitStore.open(at: root, ownedFolders: ["Users"])
        defer { try? reopened.close() }
        #expect(reopened.head == head)
        #expect(reopened.recovery.restoredPaths == ["README.md"])
        #expect(reopened.recovery.removedFiles == ["Users/ee/x.json"])
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: root) == "")
        // Unreferenced objects are garbage for `git gc`, not damage.
        #expect(try git(["fsck", "--strict", "--no-dangling"], in: root).isEmpty)
    }

    @Test func staleLocksAreRemovedFreshOnesMakeWritesBusy() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        let root = store.root
        try store.close()
        let old = Date().addingTimeInterval(-3600)
        for lock in [".git/index.lock", ".git/refs/heads/main.lock"] {
            _ = FileManager.default.createFile(atPath: root + "/" + lock, contents: Data())
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: root + "/" + lock)
        }
        let reopened = try GitStore.open(at: root, options: GitStoreOptions(lockTimeout: .milliseconds(300)))
        defer { try? reopened.close() }
        #expect(Set(reopened.recovery.removedLocks) == ["index.lock", "refs/heads/main.lock"])
        try reopened.commit(changes: ["a.json": .write(bytes("1\n"))], message: "works", author: client)

        // A lock another git process holds right now: the write waits, then fails, commits nothing.
        for lock in [".git/index.lock", ".git/refs/heads/main.lock"] {
            _ = FileManager.default.createFile(atPath: root + "/" + lock, contents: Data())
            let before = try git(["rev-parse", "HEAD"], in: root)
            #expect(throws: GitStoreError.self) {
                try reopened.commit(changes: ["b.json": .write(bytes("2\n"))], message: "blocked", author: client)
            }
            #expect(try git(["rev-parse", "HEAD"], in: root) == before)
            #expect(try reopened.readWorkingFile("b.json") == nil)
            #expect(try reopened.readWorkingFile("a.json") == bytes("1\n"))
            try FileManager.default.removeItem(atPath: root + "/" + lock)
        }
        try reopened.commit(changes: ["b.json": .write(bytes("2\n"))], message: "works again", author: client)
        #expect(try git(["log", "-1", "--format=%s"], in: root) == "works again\n")
    }

    @Test func anotherProcessHoldingTheStoreLockMakesWritesBusy() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder, options: .serving(lockTimeout: .milliseconds(300)))
        defer { try? store.close() }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [store.gitDirectory + "/scimgit.lock", "sleep", "3"]
        try holder.run()
        Thread.sleep(forTimeInterval: 0.3)
        do {
            try store.commit(changes: ["a.json": .write(bytes("1\n"))], message: "blocked", author: client)
            Issue.record("write went through while another process held the lock")
        } catch let error as GitStoreError {
            #expect(error.isBusy)
        }
        holder.waitUntilExit()
        try store.commit(changes: ["a.json": .write(bytes("1\n"))], message: "after", author: client)
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "2\n")
    }

    @Test(arguments: [WriteStep.objects, .workingTree, .reference])
    func aFailedStepLeavesNothingHalfWritten(step: WriteStep) throws {
        let folder = TemporaryFolder()
        let failing = FailingStep()
        let store = try makeStore(folder, options: .serving(faultInjector: { try failing.check($0) }))
        defer { try? store.close() }
        try store.commit(changes: ["Users/a.json": .write(bytes("v1\n"))], message: "Create", author: client)
        failing.step = step
        #expect(throws: GitStoreError.injected(step.rawValue)) {
            try store.commit(
                changes: ["Users/a.json": .write(bytes("v2\n")), "Users/b.json": .write(bytes("new\n"))],
                message: "Fails", author: client
            )
        }
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "2\n")
        #expect(try store.readWorkingFile("Users/a.json") == bytes("v1\n"))
        #expect(try store.readWorkingFile("Users/b.json") == nil)
        failing.step = nil
        try store.commit(changes: ["Users/b.json": .write(bytes("new\n"))], message: "Works", author: client)
        try store.flushIndex()
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: store.root) == "")
        // Not even an unreferenced object is left behind.
        #expect(try git(["fsck", "--strict"], in: store.root).isEmpty)
    }

    @Test func noticesHeadMovedByPlainGit() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        try store.commit(changes: ["Users/a.json": .write(bytes("v1\n"))], message: "Create", author: client)
        try store.commit(changes: ["Users/a.json": .write(bytes("v2\n")), "Users/b.json": .write(bytes("b\n"))], message: "Change", author: client)
        try store.flushIndex()
        #expect(!store.headMayHaveMoved())
        try git(["revert", "--no-edit", "HEAD"], in: store.root)
        #expect(store.headMayHaveMoved())
        let move = try store.write { $0.headMove }
        #expect(Set(move?.changes.map(\.path) ?? []) == ["Users/a.json", "Users/b.json"])
        #expect(!store.headMayHaveMoved())
        #expect(try store.readWorkingFile("Users/a.json") == bytes("v1\n"))
        // Writing goes on from the reverted state.
        try store.commit(changes: ["Users/c.json": .write(bytes("c\n"))], message: "After revert", author: client)
        #expect(try git(["log", "--format=%s", "-3"], in: store.root).hasPrefix("After revert\nRevert \"Change\"\nChange\n"))
        try store.flushIndex()
        #expect(try git(["status", "--porcelain"], in: store.root) == "")
    }

    @Test func softResetIsFollowedByTheWorkingTree() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        defer { try? store.close() }
        try store.commit(changes: ["Users/a.json": .write(bytes("v1\n"))], message: "Create", author: client)
        try store.flushIndex()
        // Moves only the ref: working tree and index still hold Users/a.json.
        try git(["update-ref", "refs/heads/main", "HEAD~1"], in: store.root)
        let move = try store.write { $0.headMove }
        #expect(move?.changes.map(\.path) == ["Users/a.json"])
        #expect(try store.readWorkingFile("Users/a.json") == nil)
        try store.flushIndex()
        #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: store.root) == "")
    }

    @Test func eachBatchIsOnePackAndPacksAreMergedInTheBackground() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder, options: .serving(durability: .fast, repackThreshold: 10))
        defer { try? store.close() }
        var commits: [ObjectID] = []
        for number in 0..<60 {
            commits.append(try store.commit(
                changes: ["Users/\(number % 7)/\(number).json": .write(bytes("\(number)\n"))], message: "w\(number)", author: client
            )!)
        }
        // No loose objects at all: each write's objects went to disk as one pack.
        #expect(try git(["count-objects"], in: store.root).hasPrefix("0 objects"))
        store.repack()
        let packs = try FileManager.default.contentsOfDirectory(atPath: store.gitDirectory + "/objects/pack").filter { $0.hasSuffix(".pack") }
        #expect(packs.count <= 10)
        #expect(try store.read("Users/3/3.json", at: commits[3]) == bytes("3\n"))
        // Writing goes on after a repack replaced the packs.
        try store.commit(changes: ["Users/after.json": .write(bytes("after\n"))], message: "after", author: client)
        #expect(try store.read("Users/after.json", at: store.head!) == bytes("after\n"))
        #expect(try git(["fsck", "--strict"], in: store.root).isEmpty)
        #expect(try git(["rev-list", "--count", "HEAD"], in: store.root) == "62\n")
    }

    @Test(arguments: Durability.allCases)
    func theWriterMergesItsOwnSmallPacksWithoutGit(durability: Durability) throws {
        let folder = TemporaryFolder()
        // No background repack: only the writer's own merging runs.
        let store = try makeStore(folder, options: .serving(durability: durability, repackThreshold: .max))
        defer { try? store.close() }
        let packFolder = store.gitDirectory + "/objects/pack"
        let before = try FileManager.default.contentsOfDirectory(atPath: packFolder).filter { $0.hasSuffix(".pack") }.count
        var commits: [ObjectID] = []
        for number in 0..<40 {
            commits.append(try store.commit(
                changes: ["Users/\(number % 5)/\(number).json": .write(bytes("\(number)\n"))], message: "w\(number)", author: client
            )!)
            // Reads at any revision keep working across merges.
            #expect(try store.read("Users/\(number % 5)/\(number).json", at: commits[number]) == bytes("\(number)\n"))
        }
        let packs = try FileManager.default.contentsOfDirectory(atPath: packFolder).filter { $0.hasSuffix(".pack") }
        // 40 packs written: two merges of 16, eight left as they are.
        #expect(packs.count == before + 2 + 8)
        #expect(try store.read("Users/0/0.json", at: commits[0]) == bytes("0\n"))
        #expect(try git(["fsck", "--strict"], in: store.root).isEmpty)
        // Each folder's trees are stored as deltas of their previous version.
        let biggest = try FileManager.default.contentsOfDirectory(atPath: packFolder).filter { $0.hasSuffix(".idx") }
            .map { try git(["verify-pack", "-s", packFolder + "/" + $0], in: store.root) }
        #expect(biggest.contains { $0.contains("chain length = 1:") })
        // Every object once: the merged packs replaced the small ones, nothing is duplicated.
        let reachable = try git(["rev-list", "--objects", "--all"], in: store.root).split(separator: "\n").count
        #expect(try git(["count-objects", "-v"], in: store.root).contains("in-pack: \(reachable)\n"))
    }
}

/// A fault injector whose failing step a test can change.
final class FailingStep: @unchecked Sendable {
    private let lock = NSLock()
    private var _step: WriteStep?
    var step: WriteStep? {
        get { lock.withLock { _step } }
        set { lock.withLock { _step = newValue } }
    }

    func check(_ current: WriteStep) throws {
        if current == step { throw GitStoreError.injected(current.rawValue) }
    }
}
