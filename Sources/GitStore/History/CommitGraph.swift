import Foundation

/// git's commit-graph (`.git/objects/info/commit-graph`, or the split chain under
/// `commit-graphs/`; see gitformat-commit-graph) as far as a walk of history needs it:
/// which commits it holds, each one's parents, and each one's changed-path Bloom filter.
///
/// `scimgit log --resource` on a long history would otherwise read every commit and look
/// the resource's path up in two trees per commit (30 s at 100,000 commits). A Bloom
/// filter answers "this commit did not touch that path" for almost every commit without
/// reading an object, and the graph gives the parent to go on with; only the few maybes
/// are read and checked in their trees. libgit2 1.5 reads no Bloom filters, so the files
/// are read here. They are written by `git commit-graph write --split --changed-paths` in
/// the background maintenance (`Repacker`); commits made since are not in them and are read
/// the ordinary way.
///
/// Everything is bounds-checked: a truncated or foreign file is ignored (nil), never
/// trusted past its end.
struct CommitGraph: Sendable {
    /// Its files, oldest layer first (git's split chain: `commit-graphs/commit-graph-chain`
    /// naming them), or the one `commit-graph` file.
    private let layers: [Layer]
    /// The position of each layer's first commit among all of them (positions of parents are
    /// counted that way).
    private let bases: [Int]

    /// The files' identity when they were read: git writes new files and renames them into
    /// place, which changes it.
    let stamp: Stamp

    struct Stamp: Equatable, Sendable {
        var single: FileStamp?
        var chain: FileStamp?
    }

    struct FileStamp: Equatable, Sendable {
        var inode: UInt64
        var size: Int64
        var modified: Int
    }

    static func path(gitDirectory: String) -> String {
        StorePaths.join(gitDirectory, "objects/info/commit-graph")
    }

    static func chainFolder(gitDirectory: String) -> String {
        StorePaths.join(gitDirectory, "objects/info/commit-graphs")
    }

    static func stamp(gitDirectory: String) -> Stamp {
        Stamp(single: fileStamp(path(gitDirectory: gitDirectory)),
              chain: fileStamp(StorePaths.join(chainFolder(gitDirectory: gitDirectory), "commit-graph-chain")))
    }

    private static func fileStamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec)
    }

    /// Reads the store's commit-graph as git would: the single file when there is one, else
    /// the chain. Nil when there is none or a file of it does not parse.
    init?(gitDirectory: String) {
        let stamp = CommitGraph.stamp(gitDirectory: gitDirectory)
        var files: [String] = []
        if stamp.single != nil {
            files = [CommitGraph.path(gitDirectory: gitDirectory)]
        } else if stamp.chain != nil {
            let folder = CommitGraph.chainFolder(gitDirectory: gitDirectory)
            guard let chain = FileManager.default.contents(atPath: StorePaths.join(folder, "commit-graph-chain")) else { return nil }
            let hashes = String(decoding: chain, as: UTF8.self).split(separator: "\n").map(String.init)
            guard !hashes.isEmpty, hashes.allSatisfy({ $0.count == 40 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
            files = hashes.map { StorePaths.join(folder, "graph-\($0).graph") }
        }
        var layers: [Layer] = []
        for file in files {
            guard let contents = FileManager.default.contents(atPath: file), let layer = Layer(bytes: [UInt8](contents)) else { return nil }
            layers.append(layer)
        }
        guard !layers.isEmpty else { return nil }
        self.init(layers: layers, stamp: stamp)
    }

    init(layers: [Layer], stamp: Stamp) {
        self.layers = layers
        self.stamp = stamp
        var bases: [Int] = []
        var next = 0
        for layer in layers {
            bases.append(next)
            next += layer.count
        }
        self.bases = bases
    }

    var commitCount: Int { layers.reduce(0) { $0 + $1.count } }

    /// The commit's position (among the commits of every layer), or nil when no layer holds it.
    func position(of id: ObjectID) -> Int? {
        for (index, layer) in layers.enumerated().reversed() {
            if let position = layer.position(of: id) { return bases[index] + position }
        }
        return nil
    }

    private func layer(holding position: Int) -> (Layer, Int)? {
        guard position >= 0 else { return nil }
        for index in layers.indices.reversed() where position >= bases[index] {
            return position - bases[index] < layers[index].count ? (layers[index], position - bases[index]) : nil
        }
        return nil
    }

    /// The commit at `position` and its parents' positions; nil for a commit of more than
    /// two parents (or a position the file does not hold).
    func commit(at position: Int) -> (id: ObjectID, parents: [Int])? {
        guard let (layer, local) = layer(holding: position) else { return nil }
        return layer.commit(at: local)
    }

    /// A path's hashes and its folders', computed once per walk. (Every layer git writes
    /// uses the same Bloom settings.)
    struct Key: Sendable {
        /// The path's own hashes, then each folder's above it: a commit changed the path only
        /// if its filter holds all of them (git adds every folder of a changed file), which
        /// rules out far more commits than the path's hashes alone.
        var hashes: [(first: UInt32, second: UInt32)]
    }

    func key(_ path: String) -> Key {
        var bytes = Array(path.utf8)
        var hashes: [(UInt32, UInt32)] = []
        while !bytes.isEmpty {
            hashes.append((CommitGraph.murmur3(seed: 0x293a_e76f, bytes), CommitGraph.murmur3(seed: 0x7e64_6e2c, bytes)))
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { break }
            bytes.removeSubrange(slash...)
        }
        return Key(hashes: hashes)
    }

    /// False when the commit at `position` certainly did not change `key`'s path (nor
    /// anything under it, for a folder) against its first parent; true when it may have
    /// (or there is no filter for it: too many changes, or not computed).
    func mayHaveChanged(at position: Int, _ key: Key) -> Bool {
        guard let (layer, local) = layer(holding: position) else { return true }
        return layer.mayHaveChanged(at: local, key)
    }

    /// MurmurHash3 (x86, 32-bit), as git's bloom.c computes it.
    static func murmur3(seed: UInt32, _ bytes: [UInt8]) -> UInt32 {
        let c1: UInt32 = 0xcc9e_2d51, c2: UInt32 = 0x1b87_3593
        var hash = seed
        let blocks = bytes.count / 4
        for block in 0..<blocks {
            let at = block * 4
            var k = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            k = (k &* c1).rotatedLeft(15) &* c2
            hash ^= k
            hash = hash.rotatedLeft(13) &* 5 &+ 0xe654_6b64
        }
        let tail = blocks * 4
        var k: UInt32 = 0
        switch bytes.count & 3 {
        case 3:
            k ^= UInt32(bytes[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(bytes[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(bytes[tail])
            hash ^= (k &* c1).rotatedLeft(15) &* c2
        default:
            break
        }
        hash ^= UInt32(truncatingIfNeeded: bytes.count)
        hash ^= hash >> 16
        hash = hash &* 0x85eb_ca6b
        hash ^= hash >> 13
        hash = hash &* 0xc2b2_ae35
        hash ^= hash >> 16
        return hash
    }
}

private extension UInt32 {
    func rotatedLeft(_ count: UInt32) -> UInt32 {
        self << count | self >> (32 - count)
    }
}
