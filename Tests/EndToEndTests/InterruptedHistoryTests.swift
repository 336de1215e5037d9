import Foundation
import SCIM
import Testing
import TestSupport

/// `scimgit rollback` and `revert` killed part-way (kill -9, SIGTERM) never leave a running
/// server serving a half-rewritten working tree: while a server owns the tree, a command
/// only adds commits and moves the branch, and the server follows; without a server, the
/// next start repairs the tree. Each kill point is reached exactly (a debug-build hook
/// makes the command stop there), not guessed with timers.
@Suite("End to end: interrupted history commands", .serialized)
struct InterruptedHistoryTests {
    struct BadSync {
        var users: [String]
        var snapshot: String
        var badCommits: [String]
    }

    /// 20 users in a group, a snapshot, then a sync that deactivates half and deletes some.
    private func badSync(_ server: ServerProcess) async throws -> BadSync {
        let okta = SCIMClient.okta(server)
        var users: [String] = []
        for number in 0..<20 {
            let created = try await okta.post("/Users", ["userName": .string("user\(number)@example.com"), "active": true])
            users.append(try #require(created.json?["id"]?.stringValue))
        }
        _ = try await okta.post("/Groups", ["displayName": "Everyone", "members": .array(users.map { ["value": .string($0)] })])
        #expect(try scimgit(["snapshot", "create", "before", "--repo", server.store]).status == 0)
        var bad: [String] = []
        for id in users.prefix(10) {
            #expect(try await okta.patch("/Users/\(id)", [["op": "replace", "value": ["active": false]]]).status == 200)
            bad.append(try server.lastCommit("%H"))
        }
        for id in users.suffix(4) {
            #expect(try await okta.delete("/Users/\(id)").status == 204)
            bad.append(try server.lastCommit("%H"))
        }
        return BadSync(users: users, snapshot: "before", badCommits: bad)
    }

    /// What is served equals HEAD: the same users, each readable, with HEAD's `active`.
    private func expectServedEqualsHead(_ server: ServerProcess, _ note: String) async throws {
        let okta = SCIMClient.okta(server)
        let paths = try git(["ls-tree", "-r", "--name-only", "HEAD", "Users"], in: server.store).split(separator: "\n").map(String.init)
        let list = try await okta.get("/Users?count=1000")
        let listed = Set((list.json?["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        let committed = Set(paths.map { String($0.split(separator: "/").last!.dropLast(5)) })
        #expect(listed == committed, "\(note): listed \(listed.count), HEAD has \(committed.count)")
        for path in paths {
            let id = String(path.split(separator: "/").last!.dropLast(5))
            let stored = try JSONValue.parse(Array(try git(["show", "HEAD:\(path)"], in: server.store).utf8))
            let served = try await okta.get("/Users/\(id)")
            #expect(served.status == 200, "\(note): GET \(id) → \(served.status)")
            #expect(served.json?["active"] == stored["active"], "\(note): \(id)")
        }
        #expect(server.statusIsClean(), "\(note): git status")
    }

    @Test(arguments: [("objects", SIGKILL), ("reference", SIGKILL), ("committed", SIGKILL), ("reference", SIGTERM), ("committed", SIGTERM)])
    func rollbackKilledWithAServerRunning(at step: String, signal: Int32) async throws {
        let server = try ServerProcess()
        let sync = try await badSync(server)
        let head = try server.lastCommit("%H")
        let command = try CommandProcess(["rollback", "--to", sync.snapshot, "--yes", "--repo", server.store], environment: ["SCIMGIT_TEST_PAUSE_AT": step])
        #expect(command.waitForError("paused at \(step)"), "the rollback reached \(step)")
        command.kill(signal: signal)
        let moved = try server.lastCommit("%H") != head
        #expect(moved == (step == "committed"), "the branch moved only once the commit was made")
        try await expectServedEqualsHead(server, "\(step), right after the kill")
        if moved {
            #expect(try await SCIMClient.okta(server).get("/Users?filter=active%20eq%20false").json?["totalResults"] == 0)
        }
        // A clean stop vouches only for what it checked: a restart serves HEAD too.
        #expect(server.stop() == 0)
        try server.start()
        try await expectServedEqualsHead(server, "\(step), after a restart")
        #expect(try scimgit(["verify", "--repo", server.store]).status == 0)
    }

    @Test(arguments: ["reference", "committed"])
    func revertKilledWithAServerRunning(at step: String) async throws {
        let server = try ServerProcess()
        let sync = try await badSync(server)
        let command = try CommandProcess(["revert"] + sync.badCommits.prefix(10) + ["--yes", "--repo", server.store], environment: ["SCIMGIT_TEST_PAUSE_AT": step])
        #expect(command.waitForError("paused at \(step)"))
        command.kill(signal: SIGKILL)
        try await expectServedEqualsHead(server, "revert \(step)")
        #expect(server.stop() == 0)
        try server.start()
        try await expectServedEqualsHead(server, "revert \(step), after a restart")
    }

    @Test(arguments: ["workingTree", "halfOfWorkingTree", "committed"])
    func rollbackKilledWithoutAServerIsRepairedOnTheNextStart(at step: String) async throws {
        let server = try ServerProcess()
        let sync = try await badSync(server)
        #expect(server.stop() == 0)
        // With no server, the command owns the working tree and rewrites it itself.
        let command = try CommandProcess(["rollback", "--to", sync.snapshot, "--yes", "--repo", server.store], environment: ["SCIMGIT_TEST_PAUSE_AT": step])
        #expect(command.waitForError("paused at \(step)"))
        command.kill(signal: SIGKILL)
        try server.start()
        try await expectServedEqualsHead(server, "no server, \(step)")
        #expect(try scimgit(["verify", "--repo", server.store]).status == 0)
    }

    @Test func aRollbackWhileTheServerRunsIsServedAtOnceAndTheTreeFollows() async throws {
        let server = try ServerProcess()
        let sync = try await badSync(server)
        let result = try scimgit(["rollback", "--to", sync.snapshot, "--yes", "--repo", server.store])
        #expect(result.status == 0, "\(result.errors)")
        #expect(!result.output.contains("has not updated"), "the server followed within the wait: \(result.output)")
        // The working tree itself shows HEAD (the server rewrote it), not only the answers;
        // the index follows within a second.
        #expect(server.statusIsClean())
        let diff = try git(["--no-optional-locks", "diff", "--stat", "HEAD"], in: server.store)
        #expect(diff.isEmpty, "\(diff)")
        try await expectServedEqualsHead(server, "after the rollback")
        #expect(try await SCIMClient.okta(server).get("/Users?filter=active%20eq%20false").json?["totalResults"] == 0)
    }
}
