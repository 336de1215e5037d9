import Foundation
@testable import GitStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The working tree is reached without following links: a link where a file or a folder
/// belongs is refused or replaced, never read, written or removed through, and never kept
/// as a spare inode (writing into a spare would then write through the link).
@Suite("GitStore: links in the working tree")
struct WorkingTreeLinkTests {
    let folder = TemporaryFolder()
    var tree: String { folder.path + "/tree" }
    var outside: String { folder.path + "/outside" }

    init() throws {
        mkdir(folder.path + "/tree", 0o755)
        mkdir(folder.path + "/outside", 0o755)
        try "secret\n".write(toFile: folder.path + "/outside/target", atomically: false, encoding: .utf8)
    }

    private var targetIntact: Bool {
        (try? String(contentsOfFile: outside + "/target", encoding: .utf8)) == "secret\n"
            && ((try? FileManager.default.contentsOfDirectory(atPath: outside)) ?? []) == ["target"]
    }

    @Test func aLinkedFileIsNotReadAndIsReplacedNotWrittenThrough() throws {
        let spares = try SpareFiles(folder: folder.path + "/spare", grace: .zero)
        let working = try WorkingTree(root: tree, spares: spares)
        mkdir(tree + "/a", 0o755)
        symlink(outside + "/target", tree + "/a/x.json")
        #expect(throws: GitStoreError.notRegularFile(path: "a/x.json", what: "a symbolic link")) { _ = try working.read("a/x.json") }
        // Writing the path replaces the link itself; the link is never kept as a spare.
        _ = try working.write(Array("new\n".utf8), to: "a/x.json")
        #expect(try working.read("a/x.json") == Array("new\n".utf8))
        for round in 0..<20 { _ = try working.write(Array("round \(round)\n".utf8), to: "a/x.json") }
        #expect(targetIntact)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path + "/spare") {
            let type = try FileManager.default.attributesOfItem(atPath: folder.path + "/spare/" + name)[.type] as? FileAttributeType
            #expect(type == .typeRegular)
        }
    }

    @Test func aLinkedFolderIsNeitherEnteredNorCreatedThrough() throws {
        let working = try WorkingTree(root: tree)
        symlink(outside, tree + "/Users")
        #expect(throws: GitStoreError.notRegularFile(path: "Users/target", what: "a symbolic link")) { _ = try working.read("Users/target") }
        #expect(throws: GitStoreError.self) { _ = try working.write(Array("x\n".utf8), to: "Users/ab/x.json") }
        try working.delete("Users/target")
        #expect(working.fileStatus("Users/target") == nil)
        #expect(targetIntact)
    }

    @Test func aHardLinkToAFileElsewhereIsNeverASpare() throws {
        let spares = try SpareFiles(folder: folder.path + "/spare", grace: .zero)
        let working = try WorkingTree(root: tree, spares: spares)
        #expect(link(outside + "/target", tree + "/x.json") == 0)
        _ = try working.write(Array("one\n".utf8), to: "x.json")
        _ = try working.write(Array("two\n".utf8), to: "x.json")
        _ = try working.write(Array("three\n".utf8), to: "x.json")
        #expect(targetIntact)
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let working = try WorkingTree(root: tree)
        #expect(mkfifo(tree + "/x.json", 0o644) == 0)
        #expect(throws: GitStoreError.notRegularFile(path: "x.json", what: "a FIFO")) { _ = try working.read("x.json") }
    }

    @Test func leftoverSparesThatAreLinksOrHalfWrittenAreDropped() throws {
        let spareFolder = folder.path + "/spare"
        mkdir(spareFolder, 0o755)
        symlink(outside + "/target", spareFolder + "/1")
        try "half".write(toFile: spareFolder + "/2", atomically: false, encoding: .utf8)
        chmod(spareFolder + "/2", 0)
        let spares = try SpareFiles(folder: spareFolder, grace: .zero)
        #expect(spares.take() == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spareFolder).isEmpty)
        #expect(targetIntact)
    }
}
