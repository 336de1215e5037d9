import Files
import Foundation
@testable import GitStore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A large batch writes new files in place (no temporary name, no rename) and replaces
/// existing ones as every write does; what it leaves must be what `write` leaves.
@Suite("GitStore: working-tree writes of a large batch")
struct WorkingTreeBatchTests {
    let folder = TemporaryFolder()
    var tree: String { folder.path + "/tree" }

    init() {
        mkdir(folder.path + "/tree", 0o755)
    }

    private func lstatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(tree + "/" + path, &info) == 0 ? info : nil
    }

    @Test func aNewFileIsCreatedInPlaceAsWriteWouldLeaveIt() throws {
        let working = try WorkingTree(root: tree)
        var last = LastFolder()
        let returned = try working.writeInBatch(bytes("{\"a\":1}\n"), to: "Users/ab/cd/one.json", last: &last)
        _ = try working.write(bytes("{\"b\":2}\n"), to: "Users/ab/cd/two.json")
        #expect(try working.read("Users/ab/cd/one.json") == bytes("{\"a\":1}\n"))
        let one = try #require(lstatus("Users/ab/cd/one.json"))
        let two = try #require(lstatus("Users/ab/cd/two.json"))
        #expect(one.st_mode == two.st_mode)
        // The status recorded in the index is the file's own, down to its change time.
        #expect(returned.st_ino == one.st_ino && returned.st_size == one.st_size && returned.st_mode == one.st_mode)
        #expect(returned.st_ctim.tv_nsec == one.st_ctim.tv_nsec && returned.st_mtim.tv_nsec == one.st_mtim.tv_nsec)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree + "/Users/ab/cd").sorted() == ["one.json", "two.json"])
    }

    @Test func anExistingFileIsReplacedWholeAndALinkIsNotFollowed() throws {
        let working = try WorkingTree(root: tree)
        _ = try working.write(bytes("old\n"), to: "a/x.json")
        let before = try #require(lstatus("a/x.json"))
        try "secret\n".write(toFile: folder.path + "/target", atomically: false, encoding: .utf8)
        symlink(folder.path + "/target", tree + "/a/link.json")
        var last = LastFolder()
        _ = try working.writeInBatch(bytes("new\n"), to: "a/x.json", last: &last)
        _ = try working.writeInBatch(bytes("over the link\n"), to: "a/link.json", last: &last)
        #expect(try working.read("a/x.json") == bytes("new\n"))
        #expect(lstatus("a/x.json")?.st_ino != before.st_ino) // renamed over, as readers expect
        #expect(try working.read("a/link.json") == bytes("over the link\n"))
        #expect(try String(contentsOfFile: folder.path + "/target", encoding: .utf8) == "secret\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree + "/a").sorted() == ["link.json", "x.json"])
    }

    @Test func theFolderKeptOpenFollowsThePaths() throws {
        let working = try WorkingTree(root: tree)
        var last = LastFolder()
        for path in ["a/1.json", "a/2.json", "b/c/3.json", "a/4.json", "5.json", "b/c/6.json"] {
            _ = try working.writeInBatch(bytes(path + "\n"), to: path, last: &last)
        }
        for path in ["a/1.json", "a/2.json", "b/c/3.json", "a/4.json", "5.json", "b/c/6.json"] {
            #expect(try working.read(path) == bytes(path + "\n"))
        }
    }

    @Test func aFileBeingCreatedReadsAsChangingNotAsHalfAFile() throws {
        let root = try Folder(opening: tree)
        // What a reader meets between the creation and the end of the write: mode 000.
        let fd = openat(root.descriptor, "x.json", O_WRONLY | O_CREAT | O_EXCL, 0)
        #expect(fd >= 0)
        _ = "{\"half".withCString { write(fd, $0, 6) }
        let working = try WorkingTree(root: tree)
        #expect(throws: GitStoreError.self) { _ = try working.read("x.json") }
        close(fd)
        #expect(try root.createFile("x.json", bytes("{}\n"), mode: 0o644) == nil) // already there: left as it is
    }
}
