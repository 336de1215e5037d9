import Foundation
@testable import GitStore
import Testing

@Suite("GitStore: commit-graph Bloom filters")
struct CommitGraphTests {
    /// MurmurHash3 x86_32's published test vectors.
    @Test func murmurHashMatchesTheReference() {
        #expect(CommitGraph.murmur3(seed: 0, []) == 0)
        #expect(CommitGraph.murmur3(seed: 1, []) == 0x514E_28B7)
        #expect(CommitGraph.murmur3(seed: 0, Array("Hello, world!".utf8)) == 0xC036_3E43)
        #expect(CommitGraph.murmur3(seed: 0x9747_B28C, Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x2FA8_26CD)
        #expect(CommitGraph.murmur3(seed: 0, [0x21, 0x43, 0x65]) == 0x7E4A_8634)
    }

    /// A store with `count` commits, each writing one of a few hundred user files in folders
    /// as scimgit lays them out.
    private func storeWithHistory(_ folder: TemporaryFolder, commits count: Int) throws -> (GitStore, [String: [ObjectID]]) {
        let store = try makeStore(folder)
        var touching: [String: [ObjectID]] = [:]
        for number in 0..<count {
            let id = String(format: "%02x%02x%04x-0000-4000-8000-000000000000", number % 7, number % 5, number % 300)
            let path = "Users/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).json"
            let commit = try store.commit(changes: [path: .write(bytes("{\"n\": \(number)}\n"))], message: "write \(number)", author: client)!
            touching[path, default: []].insert(commit, at: 0)
        }
        return (store, touching)
    }

    @Test func theMaintenanceWritesAGraphWhoseFiltersFindEveryChangedPath() throws {
        let folder = TemporaryFolder()
        let (store, touching) = try storeWithHistory(folder, commits: 400)
        defer { try? store.close() }
        store.repack()
        let graph = try #require(CommitGraph(gitDirectory: store.gitDirectory))
        #expect(graph.commitCount == 401)
        var ruledOut = 0, asked = 0
        for (path, commits) in touching {
            let folderKey = graph.key(String(path.prefix(8)))
            let key = graph.key(path)
            for commit in commits {
                let position = try #require(graph.position(of: commit))
                // No false negatives: a filter always holds what its commit changed and the
                // folders above it.
                #expect(graph.mayHaveChanged(at: position, key))
                #expect(graph.mayHaveChanged(at: position, folderKey))
            }
            // And it rules out almost every other commit (10 bits per path: ~1% false positives).
            let others = Set(touching.values.joined()).subtracting(commits)
            for commit in others {
                asked += 1
                if !graph.mayHaveChanged(at: try #require(graph.position(of: commit)), key) { ruledOut += 1 }
            }
        }
        #expect(Double(ruledOut) > 0.95 * Double(asked))
        #expect(graph.position(of: ObjectID(hex: String(repeating: "ab", count: 20))!) == nil)
    }

    @Test func aPathLimitedLogIsTheSameWithAndWithoutTheGraph() throws {
        let folder = TemporaryFolder()
        let (store, touching) = try storeWithHistory(folder, commits: 300)
        defer { try? store.close() }
        let path = try #require(touching.keys.sorted().first)
        var before: [ObjectID] = []
        try store.log(paths: [path]) { before.append($0.id); return true }
        store.repack()
        // Commits made after the graph was written are not in it and are found the slow way.
        let newer = try store.commit(changes: [path: .write(bytes("{\"n\": \"new\"}\n"))], message: "after the graph", author: client)!
        var after: [ObjectID] = []
        try store.log(paths: [path]) { after.append($0.id); return true }
        #expect(before == touching[path])
        #expect(after == [newer] + before)
        let folderOfIt = String(path.prefix(8))
        var underFolder: [ObjectID] = []
        try store.log(paths: [folderOfIt]) { underFolder.append($0.id); return true }
        #expect(underFolder.count == touching.filter { $0.key.hasPrefix(folderOfIt) }.map(\.value.count).reduce(1, +))
    }

    @Test func newCommitsGoInANewLayerAndTheChainIsReadWhole() throws {
        let folder = TemporaryFolder()
        let (store, touching) = try storeWithHistory(folder, commits: 200)
        defer { try? store.close() }
        store.repack()
        let path = try #require(touching.keys.sorted().first)
        var newer: [ObjectID] = []
        for number in 0..<3 {
            newer.insert(try store.commit(changes: [path: .write(bytes("{\"layer\": \(number)}\n"))], message: "layer \(number)", author: client)!, at: 0)
        }
        store.repack()
        let chain = try String(contentsOfFile: CommitGraph.chainFolder(gitDirectory: store.gitDirectory) + "/commit-graph-chain", encoding: .utf8)
        #expect(chain.split(separator: "\n").count == 2)
        let graph = try #require(CommitGraph(gitDirectory: store.gitDirectory))
        #expect(graph.commitCount == 204)
        // Parents cross from the new layer into the old one.
        let top = try #require(graph.position(of: newer[2]))
        let parent = try #require(graph.commit(at: top)?.parents.first)
        #expect(graph.commit(at: parent)?.id == (try store.commitInfo(newer[2])).parents.first)
        var found: [ObjectID] = []
        try store.log(paths: [path]) { found.append($0.id); return true }
        #expect(found == newer + touching[path]!)
        var newest: [String] = []
        try store.log(limit: 2) { newest.append($0.subject); return true }
        #expect(newest == ["layer 2", "layer 1"])
    }

    @Test func aDamagedGraphIsIgnored() throws {
        let folder = TemporaryFolder()
        let (store, touching) = try storeWithHistory(folder, commits: 50)
        defer { try? store.close() }
        store.repack()
        let chainFolder = CommitGraph.chainFolder(gitDirectory: store.gitDirectory)
        let layerName = try #require(try FileManager.default.contentsOfDirectory(atPath: chainFolder).first { $0.hasSuffix(".graph") })
        let file = chainFolder + "/" + layerName
        let whole = try #require(FileManager.default.contents(atPath: file))
        for length in [0, 7, 40, whole.count / 2, whole.count - 30, whole.count] {
            if let layer = CommitGraph.Layer(bytes: [UInt8](whole.prefix(length))) {
                // Parsed as far as it goes: every question still answered without a crash.
                let graph = CommitGraph(layers: [layer], stamp: CommitGraph.Stamp())
                for commits in touching.values {
                    for commit in commits {
                        guard let position = graph.position(of: commit) else { continue }
                        _ = graph.mayHaveChanged(at: position, graph.key("Users"))
                        _ = graph.commit(at: position)
                    }
                }
                _ = graph.commit(at: -1)
                _ = graph.commit(at: graph.commitCount)
                _ = graph.mayHaveChanged(at: graph.commitCount + 5, graph.key("x"))
            }
        }
        // Truncated in place: the log still finds every commit.
        try Data(whole.prefix(whole.count / 2)).write(to: URL(fileURLWithPath: file))
        #expect(CommitGraph(gitDirectory: store.gitDirectory) == nil)
        let path = try #require(touching.keys.sorted().first)
        var found: [ObjectID] = []
        try store.log(paths: [path]) { found.append($0.id); return true }
        #expect(found == touching[path])
    }
}
