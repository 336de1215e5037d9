import Foundation
@testable import GitStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Working-tree writes reuse the inodes of replaced files instead of freeing them, and a
/// reader never takes a file being refilled for a finished one.
@Suite("GitStore: spare inodes")
struct SpareFilesTests {
    private func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    @Test func aReplacedFileIsRefilledLaterAndStillReplacedAtomically() throws {
        let folder = TemporaryFolder()
        let spares = try SpareFiles(folder: folder.path + "/spare", grace: .zero)
        mkdir(folder.path + "/tree", 0o755)
        let tree = try WorkingTree(root: folder.path + "/tree", spares: spares)
        _ = try tree.write(bytes("one\n"), to: "a/b/x.json")
        let first = try #require(inode(tree.absolute("a/b/x.json")))
        _ = try tree.write(bytes("two, longer\n"), to: "a/b/x.json")
        #expect(inode(tree.absolute("a/b/x.json")) != first)
        _ = try tree.write(bytes("3\n"), to: "a/b/x.json")
        #expect(inode(tree.absolute("a/b/x.json")) == first, "the first version's inode is reused")
        #expect(try tree.read("a/b/x.json") == bytes("3\n"), "and cut to the new length")
        var info = stat()
        #expect(lstat(tree.absolute("a/b/x.json"), &info) == 0 && info.st_mode & 0o777 != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/tree/a/b") == ["x.json"])
    }

    @Test func aSpareRestsBeforeItIsReused() throws {
        let folder = TemporaryFolder()
        let spares = try SpareFiles(folder: folder.path + "/spare", grace: .seconds(60))
        mkdir(folder.path + "/tree", 0o755)
        let tree = try WorkingTree(root: folder.path + "/tree", spares: spares)
        var seen = Set<UInt64>()
        for round in 0..<5 {
            _ = try tree.write(bytes("\(round)\n"), to: "x.json")
            seen.insert(try #require(inode(tree.absolute("x.json"))))
        }
        #expect(seen.count == 5, "a reader holding an old version keeps it for the grace period")
    }

    @Test func aFileBeingRefilledIsNotReadAsFinished() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/x.json"
        let tree = try WorkingTree(root: folder.path)
        try bytes("{\"half\":").write(to: path)
        chmod(path, 0)
        #expect(throws: (any Error).self) { _ = try tree.read("x.json") }
        chmod(path, 0o644)
        #expect(try tree.read("x.json") == bytes("{\"half\":"))
    }

    @Test func leftoversFromAnEarlierRunAreReused() throws {
        let folder = TemporaryFolder()
        let spareFolder = folder.path + "/spare"
        mkdir(spareFolder, 0o755)
        try bytes("old\n").write(to: spareFolder + "/leftover")
        let leftover = try #require(inode(spareFolder + "/leftover"))
        mkdir(folder.path + "/tree", 0o755)
        let tree = try WorkingTree(root: folder.path + "/tree", spares: SpareFiles(folder: spareFolder, grace: .seconds(60)))
        _ = try tree.write(bytes("new\n"), to: "x.json")
        #expect(inode(tree.absolute("x.json")) == leftover)
        #expect(try tree.read("x.json") == bytes("new\n"))
    }
}

private extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
