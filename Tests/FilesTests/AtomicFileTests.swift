import Files
import Foundation
import Testing
import TestSupport

/// `AtomicFile.read` (through `Folder.readFile`): a file's bytes exactly, whatever its size.
@Suite("Files: reading a file whole")
struct AtomicFileTests {
    @Test(arguments: [0, 1, 4095, 4096, 4097, 1 << 20])
    func aFileIsReadAsItIs(size: Int) throws {
        let folder = TemporaryFolder()
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = folder.path + "/file"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let read = try #require(try AtomicFile.read(path))
        #expect(read == bytes)
        #expect(read.capacity < max(2 * size, 64), "read into one buffer of the file's size, not a doubled one")
    }

    @Test func aMissingFileIsNil() throws {
        let folder = TemporaryFolder()
        #expect(try AtomicFile.read(folder.path + "/missing") == nil)
        #expect(try AtomicFile.read(folder.path + "/no/such/folder/file") == nil)
    }
}
