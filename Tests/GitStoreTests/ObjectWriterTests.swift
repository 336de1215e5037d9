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
        var entries = TreeEntries()
        entries["ab"] = .init(mode: GIT_FILEMODE_BLOB, id: blob)
        entries["a"] = .init(mode: GIT_FILEMODE_TREE, id: emptyTree)
        entries["a.b"] = .init(mode: GIT_FILEMODE_BLOB, id: blob)
        entries["a-c"] = .init(mode: GIT_FILEMODE_BLOB, id: blob)
        entries["B"] = .init(mode: GIT_FILEMODE_BLOB, id: blob)
        let bytes = entries.serialized()
        try bytes.write(to: folder.path + "/tree")
        let treeHex = try git(["hash-object", "-w", "-t", "tree", "tree"], in: folder.path).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(treeHex == ObjectID.hashing(bytes, type: GIT_OBJECT_TREE).hex)
        let listing = try git(["ls-tree", treeHex], in: folder.path)
        #expect(listing.split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) ?? "" } == ["B", "a-c", "a.b", "a", "ab"])
        #expect(!(try git(["fsck", "--strict"], in: folder.path, allowFailure: true)).contains("treeNotSorted"))
        let fsck = try git(["fsck", "--strict", "--no-dangling"], in: folder.path)
        #expect(fsck.isEmpty)
    }
}

@Suite("GitStore: folders rebuilt from the index")
struct IndexRebuiltTreeTests {
    /// The index normally matches HEAD; if it lags, a folder rebuilt from it would drop
    /// files from the next commit. The rebuilt tree is only used when its id matches.
    @Test func aFolderFromALaggingIndexIsNotUsed() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        _ = try store.commit(changes: ["a/b/1.json": .write(bytes("1\n")), "a/b/2.json": .write(bytes("2\n"))], message: "two", author: client)
        try store.close()
        let root = folder.path + "/store"
        let writer = try Writer(root: root, gitDirectory: root + "/.git", workingTree: WorkingTree(root: root), options: GitStoreOptions())
        let blob = ObjectID.blob(hashing: bytes("3\n"))

        func folderTree(afterAdding name: String) throws -> String {
            var objects = ObjectWriter(repository: writer.repository, memory: writer.memoryBackend, trees: TreeCache(), index: writer.index)
            _ = try objects.tree(base: writer.headTree, updates: [.init(path: ["a", "b", Substring(name)], blob: blob)])
            let tree = try #require(objects.written.first { $0.folder == "a/b" })
            return String(decoding: tree.bytes.map { $0 < 32 || $0 > 126 ? UInt8(ascii: "|") : $0 }, as: UTF8.self)
        }
        #expect(try folderTree(afterAdding: "3.json").contains("2.json"))
        try writer.index.remove("a/b/2.json")
        let rebuilt = try folderTree(afterAdding: "4.json")
        #expect(rebuilt.contains("1.json") && rebuilt.contains("2.json") && rebuilt.contains("4.json"))
    }
}

@Suite("GitStore: trees built from many updates")
struct TreeUpdatesTests {
    /// A batch's updates are applied a folder's run at a time; shuffled ones (a folder's
    /// updates in several runs) must give the same tree, and git must agree with it.
    @Test func anyOrderOfUpdatesGivesTheSameTreeAsGit() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        try store.close()
        let root = folder.path + "/store"
        let writer = try Writer(root: root, gitDirectory: root + "/.git", workingTree: WorkingTree(root: root), options: GitStoreOptions())
        let blob = ObjectID.blob(hashing: bytes("x\n"))
        let paths = (0..<300).map { "Users/\(String($0 % 7, radix: 16))/\(String($0 % 3))/u\($0).json" } + ["Users.json", "Users-a/x.json", "top.json"]
        func tree(_ order: [String]) throws -> ObjectID? {
            var objects = ObjectWriter(repository: writer.repository, memory: writer.memoryBackend, trees: TreeCache())
            return try objects.tree(base: nil, updates: order.map { .init(path: $0.split(separator: "/"), blob: blob) })
        }
        let sorted = try #require(try tree(paths.sorted()))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 { #expect(try tree(paths.shuffled(using: &generator)) == sorted) }

        let checkout = folder.path + "/git"
        _ = try git(["init", "-q", checkout], in: folder.path)
        for path in paths {
            let file = checkout + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "x\n".write(toFile: file, atomically: false, encoding: .utf8)
        }
        _ = try git(["add", "-A"], in: checkout)
        #expect(try git(["write-tree"], in: checkout).trimmingCharacters(in: .whitespacesAndNewlines) == sorted.hex)
    }
}

@Suite("GitStore: tree entries kept in order")
struct TreeEntriesTests {
    /// Inserts, replacements, removals and a name turning from file into folder, checked
    /// against a full sort after every step.
    @Test func editsKeepGitsOrder() throws {
        let blob = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let tree = try #require(ObjectID(hex: String(repeating: "cd", count: 20)))
        var entries = TreeEntries()
        var reference: [String: TreeEntries.Entry] = [:]
        var generator = SystemRandomNumberGenerator()
        let names = ["a", "a-c", "a.b", "ab", "a0", "B", "b", "ab.json", "ab-", "zz", "a/"].filter { !$0.contains("/") }
        for step in 0..<400 {
            let name = names.randomElement(using: &generator)!
            let value: TreeEntries.Entry? = switch Int.random(in: 0..<3, using: &generator) {
            case 0: nil
            case 1: .init(mode: GIT_FILEMODE_TREE, id: tree)
            default: .init(mode: GIT_FILEMODE_BLOB, id: blob)
            }
            entries[name] = value
            reference[name] = value
            #expect(entries.count == reference.count, "step \(step)")
            #expect(entries[name]?.mode == value?.mode)
            var expected = TreeEntries()
            let sorted = reference.sorted {
                TreeEntries.precedes(Array($0.key.utf8), $0.value.mode == GIT_FILEMODE_TREE, Array($1.key.utf8), $1.value.mode == GIT_FILEMODE_TREE)
            }
            for (name, entry) in sorted { expected.appendInOrder(name: Array(name.utf8), mode: entry.mode, oid: entry.id.oid) }
            #expect(entries.serialized() == expected.serialized(), "step \(step)")
        }
    }
}

private extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
