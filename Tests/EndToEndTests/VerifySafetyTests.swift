import Foundation
import Testing
import TestSupport

/// `scimgit verify` runs git on the store without weakening git's own protections: the
/// store's command settings (`core.fsmonitor`, hooks) never run, and a store owned by
/// another user is refused by git, as git refuses it, and said so.
@Suite("End to end: verify runs git safely", .serialized)
struct VerifySafetyTests {
    private func hostileStore(_ folder: TemporaryFolder) throws -> (store: String, pwned: String) {
        let store = folder.path + "/store"
        let pwned = folder.path + "/pwned"
        #expect(try scimgit(["init", store]).status == 0)
        try git(["config", "core.fsmonitor", "touch \(pwned); false"], in: store)
        try git(["config", "core.hooksPath", folder.path + "/hooks"], in: store)
        return (store, pwned)
    }

    @Test func theStoresFsmonitorNeverRuns() throws {
        let folder = TemporaryFolder()
        let (store, pwned) = try hostileStore(folder)
        let result = try scimgit(["verify", "--repo", store])
        #expect(result.status == 0, "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the store to another user"))
    func aStoreOwnedByAnotherUserIsRefusedAndNothingOfItsRuns() throws {
        let folder = TemporaryFolder()
        let (store, pwned) = try hostileStore(folder)
        chmod(folder.path, 0o777)
        let chown = Process()
        chown.executableURL = URL(fileURLWithPath: "/bin/chown")
        chown.arguments = ["-R", "nobody", store]
        try chown.run()
        chown.waitUntilExit()
        let result = try scimgit(["verify", "--repo", store])
        #expect(result.status != 0)
        #expect(result.output.contains("owned by"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }
}
