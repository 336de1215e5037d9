import Files
import Foundation
import GitStore

/// The indexes as they were at a commit, saved when the server stops cleanly
/// (`.git/scimgit/index-snapshot`), so the next start reads one file instead of parsing
/// every user (seconds at 100,000 users). A snapshot of an older commit is still used: the
/// tree diff from its commit to HEAD says which files to read again. Anything unreadable
/// means a full rebuild; the snapshot is only ever a cache.
///
/// The layout is made for loading a million users in seconds: resources are written in
/// creation order (the order lists are not written again), memberships name them by their
/// position (one string per id in memory, shared by every table), and the number of
/// distinct keys of each indexed path lets each table be sized once.
enum IndexSnapshot {
    static let magic = Array("scimgit-index-snapshot-3\n".utf8)

    static func path(gitDirectory: String) -> String {
        MetadataPaths(gitDirectory: gitDirectory).indexSnapshot
    }

    struct Inconsistent: Error, CustomStringConvertible {
        var description: String { "the creation order does not list every resource" }
    }

    static func save(_ state: DirectoryIndex.State, head: ObjectID, to path: String, chunkSize: Int = IndexSnapshot.chunkSize) throws {
        var out = ByteWriter()
        out.bytes(magic)
        out.string(head.hex)
        for kind in ResourceKind.all {
            out.int(kind.indexedPaths.count)
            for (path, _) in kind.indexedPaths { out.int(state.equality[kind]?[path]?.count ?? 0) }
        }
        out.int(state.summaries.count)
        let ordered = ResourceKind.all.flatMap { kind in (state.order[kind] ?? []).lazy.map { (kind, $0) } }
        var position: [String: Int] = [:]
        position.reserveCapacity(ordered.count)
        for (offset, (_, id)) in ordered.enumerated() where position.updateValue(offset, forKey: id) != nil { throw Inconsistent() }
        guard position.count == state.summaries.count else { throw Inconsistent() }
        // Each section written by a worker of its own, as each is read (a million resources
        // took seconds on one thread); nil for a section whose order disagrees with the summaries.
        let chunks = stride(from: 0, to: ordered.count, by: chunkSize).map { $0..<min(ordered.count, $0 + chunkSize) }
        let shared = UncheckedSendable((state, ordered))
        let sections = parallelMap(chunks.count) { number -> [UInt8]? in
            let (state, ordered) = shared.value
            var out = ByteWriter()
            for (kind, id) in ordered[chunks[number]] {
                guard let summary = state.summaries[id], summary.kind == kind else { return nil }
                out.string(id)
                out.byte(summary.kind.snapshotCode)
                out.string(summary.name)
                out.int64(summary.created)
                let runs = summary.keys.runs
                out.int(runs.count)
                for run in runs {
                    out.int(run.count)
                    for key in run { out.string(key) }
                }
            }
            return out.buffer
        }
        for (chunk, section) in zip(chunks, sections) {
            guard let section else { throw Inconsistent() }
            out.int(chunk.count)
            out.section { $0.bytes(section) }
        }
        /// A resource by its position plus one, or 0 and the id (a member with no file).
        func reference(_ id: String) {
            if let at = position[id] {
                out.int(at + 1)
            } else {
                out.int(0)
                out.string(id)
            }
        }
        out.int(state.members.count)
        for (group, members) in state.members {
            reference(group)
            out.int(members.count)
            for (member, kind) in members {
                reference(member)
                out.byte(kind.snapshotCode)
                let display = state.memberDisplays[group]?[member]
                out.string(display?.text ?? "")
                // "\u{0}": no name recorded (a file written before names were kept).
                out.string(display?.givenFor ?? "\u{0}")
            }
        }
        out.int(state.broken.count)
        for (id, file) in state.broken {
            out.string(id)
            out.string(file)
        }
        try AtomicFile.write(out.buffer, to: path)
    }

    /// The snapshot's commit and state, or nil when there is none or it cannot be read.
    static func load(from path: String) -> (head: ObjectID, state: DirectoryIndex.State)? {
        guard let data = try? AtomicFile.read(path) else { return nil }
        var input = ByteReader(data)
        guard let (head, distinctKeys) = header(&input), let summaryCount = input.int(),
              let chunks = chunks(&input, holding: summaryCount) else { return nil }
        guard let resources = parse(chunks, total: summaryCount) else { return nil }
        var state = DirectoryIndex.State(resources: resources, distinctKeys: distinctKeys)
        func reference() -> String? {
            guard let at = input.int() else { return nil }
            if at == 0 { return input.string() }
            return at <= resources.count ? resources[at - 1].id : nil
        }
        guard let groupCount = input.int() else { return nil }
        for _ in 0..<groupCount {
            guard let group = reference(), let count = input.int() else { return nil }
            for _ in 0..<count {
                guard let member = reference(), let kindByte = input.byte(), let display = input.string(), let givenFor = input.string() else { return nil }
                guard let kind = ResourceKind.withSnapshotCode(kindByte) else { return nil }
                state.addMember(member, to: group, kind: kind)
                if !display.isEmpty {
                    state.setMemberDisplay(MemberDisplay(text: display, givenFor: givenFor == "\u{0}" ? nil : givenFor), member: member, group: group)
                }
            }
        }
        guard let brokenCount = input.int() else { return nil }
        for _ in 0..<brokenCount {
            guard let id = input.string(), let file = input.string() else { return nil }
            state.broken[id] = file
        }
        guard input.atEnd else { return nil }
        return (head, state)
    }

    /// How many resources a section holds: enough to share a million among the cores,
    /// few enough that one section is a small part of the file.
    static let chunkSize = 65_536

    /// The sections the resources were written in, each with how many it holds.
    static func chunks(_ input: inout ByteReader, holding total: Int) -> [(count: Int, reader: ByteReader)]? {
        var chunks: [(count: Int, reader: ByteReader)] = []
        var seen = 0
        while seen < total {
            guard let count = input.int(), count > 0, count <= total - seen, let length = input.int(), let reader = input.section(length) else { return nil }
            chunks.append((count, reader))
            seen += count
        }
        return chunks
    }

    /// Every resource of `chunks`, each chunk parsed by a worker straight into its place
    /// in the list (joining per-chunk lists copied a million entries once more).
    private static func parse(_ chunks: [(count: Int, reader: ByteReader)], total: Int) -> [(id: String, summary: ResourceSummary)]? {
        typealias Resource = (id: String, summary: ResourceSummary)
        var starts: [Int] = []
        var next = 0
        for chunk in chunks {
            starts.append(next)
            next += chunk.count
        }
        guard next == total else { return nil }
        let offsets = starts
        var failed = false
        let resources = [Resource](unsafeUninitializedCapacity: total) { buffer, initialized in
            // Each worker writes only its own chunk's slots, and says how far it got.
            let base = UncheckedSendable(buffer.baseAddress)
            let parsed = parallelMap(chunks.count) { chunk -> Int in
                var input = chunks[chunk].reader
                for position in 0..<chunks[chunk].count {
                    guard let resource = summary(&input) else { return position }
                    (base.value! + offsets[chunk] + position).initialize(to: resource)
                }
                return input.atEnd ? chunks[chunk].count : -chunks[chunk].count
            }
            if parsed.indices.allSatisfy({ parsed[$0] == chunks[$0].count }) {
                initialized = total
            } else {
                for (chunk, count) in parsed.enumerated() {
                    (buffer.baseAddress! + starts[chunk]).deinitialize(count: abs(count))
                }
                failed = true
                initialized = 0
            }
        }
        return failed ? nil : resources
    }

    /// The commit and, per kind, how many distinct keys each indexed path had.
    static func header(_ input: inout ByteReader) -> (ObjectID, [ResourceKind: [Int]])? {
        guard input.bytes(magic.count) == magic, let head = input.string().flatMap(ObjectID.init(hex:)) else { return nil }
        var distinctKeys: [ResourceKind: [Int]] = [:]
        for kind in ResourceKind.all {
            guard let count = input.int(), count == kind.indexedPaths.count else { return nil }
            var counts: [Int] = []
            for _ in 0..<count {
                guard let keys = input.int() else { return nil }
                counts.append(keys)
            }
            distinctKeys[kind] = counts
        }
        return (head, distinctKeys)
    }

    /// One resource. A key with the same text as the name or an earlier key of the same
    /// resource is the same string (`ResourceSummary` shares them when it reads a file, too).
    private static func summary(_ input: inout ByteReader) -> (id: String, summary: ResourceSummary)? {
        guard let id = input.string(), let kindByte = input.byte(), let kind = ResourceKind.withSnapshotCode(kindByte),
              let nameBytes = input.stringBytes(), let created = input.int64(), let pathCount = input.int(),
              pathCount == kind.indexedPaths.count else { return nil }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var seen: [(bytes: ArraySlice<UInt8>, text: String)] = [(nameBytes, name)]
        var runs: [[String]] = []
        runs.reserveCapacity(pathCount)
        for _ in 0..<pathCount {
            guard let count = input.int() else { return nil }
            var run: [String] = []
            run.reserveCapacity(count)
            for _ in 0..<count {
                guard let bytes = input.stringBytes() else { return nil }
                if let same = seen.first(where: { $0.bytes.count == bytes.count && $0.bytes.elementsEqual(bytes) }) {
                    run.append(same.text)
                } else {
                    let text = String(decoding: bytes, as: UTF8.self)
                    seen.append((bytes, text))
                    run.append(text)
                }
            }
            runs.append(run)
        }
        return (id, ResourceSummary(kind: kind, name: name, created: created, sharedKeys: runs))
    }
}
