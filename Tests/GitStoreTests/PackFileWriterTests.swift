import CLibgit2
import Foundation
@testable import GitStore
import Testing
import TestSupport

/// The packs the writer produces must be packs git itself accepts: `git verify-pack`
/// re-derives every id, CRC and offset from the bytes, and `git cat-file` reads them back.
@Suite("GitStore: pack files")
struct PackFileWriterTests {
    private func object(_ text: String, type: git_object_t = GIT_OBJECT_BLOB) throws -> PackFileWriter.Object {
        let bytes = Array(text.utf8)
        return PackFileWriter.Object(id: ObjectID.hashing(bytes, type: type), type: type, bytes: bytes)
    }

    @Test func gitVerifiesThePackAndReadsEveryObjectBack() throws {
        let folder = TemporaryFolder()
        _ = try git(["init", "-q", folder.path], in: folder.path)
        let small = try object("{\"userName\": \"ada\"}\n")
        // Sizes that need one, two and three bytes of object header.
        let medium = try object(String(repeating: "x", count: 200))
        let large = try object(String(repeating: "0123456789abcdef", count: 8_000))
        let name = try PackFileWriter.write(try PackFileWriter.pack([small, medium, large, small]), to: folder.path + "/.git/objects/pack")

        let verify = try git(["verify-pack", "-v", folder.path + "/.git/objects/pack/\(name).idx"], in: folder.path)
        #expect(verify.contains("non delta: 3 objects"))
        #expect(verify.contains(": ok"))
        for item in [small, medium, large] {
            #expect(try git(["cat-file", "-p", item.id.hex], in: folder.path) == String(decoding: item.bytes, as: UTF8.self))
        }
        #expect(try git(["fsck", "--strict", "--no-dangling"], in: folder.path).isEmpty)
    }

    /// Each object is compressed with a window and hash table sized to it: sizes on both
    /// sides of each window size, compressible and not, stored (level 0, trees) and
    /// deflated, must all read back through git.
    @Test func objectsOfEverySizeReadBackThroughGit() throws {
        let folder = TemporaryFolder()
        _ = try git(["init", "-q", folder.path], in: folder.path)
        var generator = SystemRandomNumberGenerator()
        var objects: [PackFileWriter.Object] = []
        for size in [0, 1, 255, 256, 257, 511, 512, 513, 1023, 1025, 4097, 32767, 32768, 32769, 70000] {
            let random = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(String(repeating: "{\"userName\": \"ada\"}", count: size / 20 + 1).utf8.prefix(size))
            for bytes in [random, text] { objects.append(.init(id: ObjectID.hashing(bytes, type: GIT_OBJECT_BLOB), type: GIT_OBJECT_BLOB, bytes: bytes)) }
        }
        let name = try PackFileWriter.write(try PackFileWriter.pack(objects), to: folder.path + "/.git/objects/pack")
        #expect(try git(["verify-pack", "-v", folder.path + "/.git/objects/pack/\(name).idx"], in: folder.path).contains(": ok"))
        for object in objects {
            #expect(try git(["cat-file", "-s", object.id.hex], in: folder.path).trimmingCharacters(in: .whitespacesAndNewlines) == "\(object.bytes.count)")
        }
        #expect(try git(["fsck", "--strict", "--no-dangling"], in: folder.path).isEmpty)
    }

    @Test func theIndexListsIdsInOrderWithTheirOffsets() throws {
        let objects = try (0..<50).map { try object("user \($0)\n") }
        let (pack, entries) = PackFileWriter.packBytes(try PackFileWriter.pack(objects))
        let index = PackFileWriter.indexBytes(entries, packChecksum: Array(pack.suffix(20)))
        // Header 8 + fan-out 1024 + per object 20 + 4 + 4, then two checksums.
        #expect(index.count == 8 + 1024 + 50 * 28 + 40)
        let lastFanout = index[8 + 255 * 4 ..< 8 + 256 * 4].reduce(0) { $0 << 8 | Int($1) }
        #expect(lastFanout == 50)
        let ids = (0..<50).map { Array(index[1032 + $0 * 20 ..< 1052 + $0 * 20]) }
        #expect(ids == ids.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(Array(pack.prefix(4)) == Array("PACK".utf8))
    }
}
