import CLibgit2
import Foundation
@testable import GitStore
import Testing
import TestSupport

/// Trees are built byte by byte here, not by libgit2: git must agree with every one.
@Suite("GitStore: tree objects")
struct ObjectWriterTests {
    @Test func treesAreInGitsOrderAndGitAcceptsThem() throws {
        let folder = TemporaryFolder()
        _ = try git(["init", "-q", folder.path], in: folder.path)
        try Array("{}\n".utf8).write(to: folder.path + "/blob")
        let blobHex = try git(["hash-object", "-w", "blob"], in: folder.path).trimmingCharacters(in: .whitespacesAndNewlines)
        let blob = try #require(ObjectID(hex: blobHex))
        let emptyTree = try #require(ObjectID(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904"))
        _ = try git(["hash-object", "-w", "-t", "tree", "/dev/null"], in: folder.path)
        // "a" is a folder: it sorts as "a/", after "a-c" and "a.b", before "ab".
        let entries: [String: ObjectWriter.Entry] = [
            "ab": .init(mode: GIT_FILEMODE_BLOB, id: blob),
            "a": .init(mode: GIT_FILEMODE_TREE, id: emptyTree),
            "a.b": .init(mode: GIT_FILEMODE_BLOB, id: blob),
            "a-c": .init(mode: GIT_FILEMODE_BLOB, id: blob),
            "B": .init(mode: GIT_FILEMODE_BLOB, id: blob),
        ]
        let bytes = ObjectWriter.serialize(entries)
        try bytes.write(to: folder.path + "/tree")
        let treeHex = try git(["hash-object", "-w", "-t", "tree", "tree"], in: folder.path).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(treeHex == (try ObjectWriter.hash(bytes, type: GIT_OBJECT_TREE)).hex)
        let listing = try git(["ls-tree", treeHex], in: folder.path)
        #expect(listing.split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) ?? "" } == ["B", "a-c", "a.b", "a", "ab"])
        #expect(!(try git(["fsck", "--strict"], in: folder.path, allowFailure: true)).contains("treeNotSorted"))
        let fsck = try git(["fsck", "--strict", "--no-dangling"], in: folder.path)
        #expect(fsck.isEmpty)
    }
}

private extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
