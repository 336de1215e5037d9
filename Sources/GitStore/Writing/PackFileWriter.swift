import CLibgit2
import CPlatform
import Files
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Writes a batch's new objects to `.git/objects/pack` as one pack (version 2) with its
/// index (version 2), in the formats git documents (gitformat-pack).
///
/// Why not libgit2's pack builder and indexer: for a few dozen fresh objects they cost more
/// than the commits themselves. The builder searches for deltas and compresses; the indexer
/// then inflates and hashes every object again to learn what the writer already knew (each
/// id, each offset). Here each object is compressed once, with no deltas (the background
/// repack finds those), and the index is built from what was just written.
///
/// The pack becomes visible only when its index appears: the pack is renamed into place
/// first, the index last. Durability is the caller's flush (one `syncfs` per batch).
enum PackFileWriter {
    struct Object {
        var id: ObjectID
        var type: git_object_t
        var bytes: [UInt8]
        /// For a tree, the folder it is the tree of ("" for the root): versions of the same
        /// folder are stored as deltas of each other when packs are merged.
        var folder: String? = nil
    }

    /// zlib level per object type. Trees are mostly 20-byte ids that do not compress (a
    /// 256-entry tree shrinks by a fifth, for eight times the CPU of storing it), and the
    /// background repack turns them into deltas anyway; blobs (JSON) halve at level 1.
    static func compressionLevel(for type: git_object_t) -> Int32 {
        type == GIT_OBJECT_TREE ? 0 : 1
    }

    /// An object as it sits in a pack: its header and zlib stream, and their CRC-32. Kept
    /// by the writer so recent small packs can be merged without compressing again.
    struct Packed {
        var id: ObjectID
        var record: [UInt8]
        var crc: UInt32
        /// A tree's folder and bytes, kept so a merge can store it as a delta.
        var folder: String? = nil
        var raw: [UInt8]? = nil
    }

    /// Compresses each object once (a large batch on every core).
    static func pack(_ objects: [Object]) throws -> [Packed] {
        if objects.count >= LargeBatch.parallelFrom {
            return try LargeBatch.run(objects.count) { position in
                var scratch = [UInt8]()
                return try packed(objects[position], scratch: &scratch)
            }
        }
        var scratch = [UInt8]()
        return try objects.map { try packed($0, scratch: &scratch) }
    }

    private static func packed(_ object: Object, scratch: inout [UInt8]) throws -> Packed {
        var record: [UInt8] = []
        appendObjectHeader(typeCode: Int(object.type.rawValue), size: object.bytes.count, to: &record)
        try compress(object.bytes, level: compressionLevel(for: object.type), into: &scratch)
        record += scratch
        let crc = record.withUnsafeBufferPointer { scimgit_crc32(0, $0.baseAddress, $0.count) }
        let isTree = object.type == GIT_OBJECT_TREE && object.folder != nil
        return Packed(id: object.id, record: record, crc: crc, folder: isTree ? object.folder : nil, raw: isTree ? object.bytes : nil)
    }

    /// Re-encodes each tree whose folder's previous version is earlier in `objects` as a
    /// delta of it (REF_DELTA: the base named by id, so the records stay valid wherever they
    /// are copied), keeping chains at most `maxDepth` long.
    static func deltified(_ objects: [Packed], maxDepth: Int = 16) throws -> [Packed] {
        var latest: [String: (id: ObjectID, raw: [UInt8], depth: Int)] = [:]
        var scratch = [UInt8]()
        var seen = Set<ObjectID>()
        var out: [Packed] = []
        out.reserveCapacity(objects.count)
        for object in objects where seen.insert(object.id).inserted {
            guard let folder = object.folder, let raw = object.raw else {
                out.append(object)
                continue
            }
            if let base = latest[folder], base.depth < maxDepth, let delta = PackDelta.make(from: base.raw, to: raw) {
                var record: [UInt8] = []
                appendObjectHeader(typeCode: 7, size: delta.count, to: &record) // OBJ_REF_DELTA
                record += base.id.bytes
                try compress(delta, level: 1, into: &scratch)
                record += scratch
                let crc = record.withUnsafeBufferPointer { scimgit_crc32(0, $0.baseAddress, $0.count) }
                out.append(Packed(id: object.id, record: record, crc: crc))
                latest[folder] = (object.id, raw, base.depth + 1)
            } else {
                out.append(object)
                latest[folder] = (object.id, raw, 0)
            }
        }
        return out
    }

    /// Writes `objects` (duplicates are written once) as a pack in `folder`. Returns its
    /// name, `pack-<checksum>`, as git names packs. With `keep`, a `.keep` file holding it
    /// is in place before the pack is visible (its index), so no `git repack` ever sees the
    /// pack without it (`PackKeeps`).
    static func write(_ objects: [Packed], to folder: String, keep: [UInt8]? = nil) throws -> String {
        var seen = Set<ObjectID>()
        let unique = objects.filter { seen.insert($0.id).inserted }
        let (pack, entries) = packBytes(unique)
        let checksum = Array(pack.suffix(20))
        let index = indexBytes(entries, packChecksum: checksum)
        let name = "pack-" + ObjectID(bytes: checksum)!.hex
        if let keep { try place(keep, at: PackKeeps.path(of: name, in: folder), folder: folder) }
        do {
            try place(pack, at: StorePaths.join(folder, name + ".pack"), folder: folder)
            do {
                try place(index, at: StorePaths.join(folder, name + ".idx"), folder: folder)
            } catch {
                unlink(StorePaths.join(folder, name + ".pack"))
                throw error
            }
        } catch {
            if keep != nil { PackKeeps.release(name, in: folder) }
            throw error
        }
        return name
    }

    /// Where each object sits in the pack, for the index.
    struct Entry {
        var id: ObjectID
        var offset: UInt64
        var crc: UInt32
    }

    /// The pack: header, each object's record, SHA-1 trailer.
    static func packBytes(_ objects: [Packed]) -> ([UInt8], [Entry]) {
        var out: [UInt8] = Array("PACK".utf8)
        appendBigEndian(UInt32(2), to: &out)
        appendBigEndian(UInt32(objects.count), to: &out)
        out.reserveCapacity(objects.reduce(out.count + 20) { $0 + $1.record.count })
        var entries: [Entry] = []
        entries.reserveCapacity(objects.count)
        for object in objects {
            entries.append(Entry(id: object.id, offset: UInt64(out.count), crc: object.crc))
            out += object.record
        }
        out += Array(Insecure.SHA1.hash(data: out))
        return (out, entries)
    }

    /// The index: fan-out table, sorted ids, CRCs, offsets, the pack's checksum, its own.
    static func indexBytes(_ entries: [Entry], packChecksum: [UInt8]) -> [UInt8] {
        let sorted = entries.sorted { $0.id < $1.id }
        var out: [UInt8] = [0xff, 0x74, 0x4f, 0x63] // "\377tOc"
        appendBigEndian(UInt32(2), to: &out)
        var fanout = [UInt32](repeating: 0, count: 256)
        for entry in sorted { fanout[Int(entry.id.bytes[0])] += 1 }
        var running: UInt32 = 0
        for count in fanout {
            running += count
            appendBigEndian(running, to: &out)
        }
        for entry in sorted { out += entry.id.bytes }
        for entry in sorted { appendBigEndian(entry.crc, to: &out) }
        var largeOffsets: [UInt64] = []
        for entry in sorted {
            if entry.offset < 0x8000_0000 {
                appendBigEndian(UInt32(entry.offset), to: &out)
            } else {
                appendBigEndian(0x8000_0000 | UInt32(largeOffsets.count), to: &out)
                largeOffsets.append(entry.offset)
            }
        }
        for offset in largeOffsets {
            appendBigEndian(UInt32(offset >> 32), to: &out)
            appendBigEndian(UInt32(offset & 0xffff_ffff), to: &out)
        }
        out += packChecksum
        out += Array(Insecure.SHA1.hash(data: out))
        return out
    }

    /// Type in bits 4-6 of the first byte, the size in 4 then 7-bit groups, low first.
    private static func appendObjectHeader(typeCode: Int, size: Int, to out: inout [UInt8]) {
        var remaining = size >> 4
        var byte = UInt8(truncatingIfNeeded: typeCode << 4 | (size & 0x0f))
        while remaining != 0 {
            out.append(byte | 0x80)
            byte = UInt8(truncatingIfNeeded: remaining & 0x7f)
            remaining >>= 7
        }
        out.append(byte)
    }

    private static func compress(_ bytes: [UInt8], level: Int32, into buffer: inout [UInt8]) throws {
        let bound = scimgit_zlib_bound(bytes.count)
        if buffer.count < bound { buffer = [UInt8](repeating: 0, count: bound) }
        var length = bound
        let code = bytes.withUnsafeBufferPointer { input in
            buffer.withUnsafeMutableBufferPointer { output in
                scimgit_zlib_compress(input.baseAddress, input.count, output.baseAddress, &length, level)
            }
        }
        guard code == 0 else {
            throw GitStoreError.libgit2(operation: "compress object", code: code, message: "zlib error \(code)")
        }
        buffer.removeLast(buffer.count - length)
        buffer.reserveCapacity(bound)
    }

    private static func appendBigEndian(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    /// Writes a temporary file in `folder` and renames it to `path`, read-only as git keeps
    /// pack files.
    private static func place(_ bytes: [UInt8], at path: String, folder: String) throws {
        do {
            try Folder(opening: folder).replaceFile(StorePaths.split(path).name, with: bytes, mode: 0o444, temporaryPrefix: "tmp_")
        } catch {
            throw GitStoreError(error)
        }
    }
}
