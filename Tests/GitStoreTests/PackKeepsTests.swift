import Foundation
@testable import GitStore
import Testing

@Suite("GitStore: packs kept from git repack until the writer has merged them")
struct PackKeepsTests {
    private func packFolder(_ store: GitStore) -> String { store.gitDirectory + "/objects/pack" }

    private func files(_ store: GitStore, ending suffix: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: packFolder(store)).filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) })
    }

    @Test func smallPacksAreKeptUntilMergedAndARepackMeanwhileLeavesThemAlone() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder, options: .serving(repackThreshold: 10_000))
        defer { try? store.close() }
        for number in 0..<5 {
            _ = try store.commit(changes: ["u\(number).json": .write(bytes("{}\n"))], message: "write \(number)", author: client)
        }
        let kept = try files(store, ending: ".keep")
        #expect(kept.count == 6, "the first commit's pack and the five writes'")
        #expect(kept.isSubset(of: try files(store, ending: ".pack")))
        let text = try String(contentsOfFile: packFolder(store) + "/" + kept.first! + ".keep", encoding: .utf8)
        #expect(text == "scimgit pid \(getpid())\n")
        // git's own maintenance rolls up everything else and leaves the kept packs in place.
        #expect(GitCommandLine.run(["repack", "-d", "-q", "--geometric=2"], in: store.root)?.status == 0)
        #expect(kept.isSubset(of: try files(store, ending: ".pack")))
        // The writer merges them (every 16 packs) and gives the merged pack to git.
        for number in kept.count..<Writer.mergeEvery {
            _ = try store.commit(changes: ["u\(number).json": .write(bytes("{}\n"))], message: "write \(number)", author: client)
        }
        #expect(try files(store, ending: ".keep").isEmpty)
        #expect(try files(store, ending: ".pack").isDisjoint(with: kept))
        #expect(GitCommandLine.run(["fsck", "--connectivity-only", "--no-progress"], in: store.root)?.status == 0)
    }

    @Test func closingGivesTheLastPacksToGitAndKeepsOfDeadProcessesAreRemoved() throws {
        let folder = TemporaryFolder()
        var store: GitStore? = try makeStore(folder, options: .serving(repackThreshold: 10_000))
        for number in 0..<3 {
            _ = try store!.commit(changes: ["u\(number).json": .write(bytes("{}\n"))], message: "write \(number)", author: client)
        }
        let packs = packFolder(store!)
        try store!.close()
        #expect(try files(store!, ending: ".keep").isEmpty)
        store = nil
        // A command killed before it merged leaves keeps naming it; an admin's keep says anything else.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let somePack = try #require(try FileManager.default.contentsOfDirectory(atPath: packs).first { $0.hasSuffix(".pack") }?.dropLast(5))
        try "scimgit pid \(dead.processIdentifier)\n".write(toFile: packs + "/\(somePack).keep", atomically: true, encoding: .utf8)
        try "kept by the admin\n".write(toFile: packs + "/pack-0000000000000000000000000000000000000000.keep", atomically: true, encoding: .utf8)
        let reopened = try GitStore.open(at: folder.path + "/store", options: .serving())
        defer { try? reopened.close() }
        #expect(try files(reopened, ending: ".keep") == ["pack-0000000000000000000000000000000000000000"])
    }
}
