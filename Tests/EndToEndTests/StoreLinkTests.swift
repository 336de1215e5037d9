import Foundation
import SCIM
import Testing
import TestSupport

/// Symbolic links committed in the store (by a hand commit, a `git pull`, a rollback past
/// one) are never followed: the resource they stand for answers 500 on its own, nothing
/// outside the store is read or written through them, `verify` names them, and history
/// commands never write one.
@Suite("End to end: links in the store", .serialized)
struct StoreLinkTests {
    /// A folder outside the store holding what an attacker wants read or overwritten.
    struct Outside {
        let folder = TemporaryFolder()
        var secret: String { folder.path + "/authorized_keys" }
        static let content = #"{"id":"x","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"stolen","secret":"TOPSECRET"}"# + "\n"

        init() throws {
            try Outside.content.write(toFile: folder.path + "/authorized_keys", atomically: false, encoding: .utf8)
        }

        var untouched: Bool {
            (try? String(contentsOfFile: secret, encoding: .utf8)) == Outside.content
                && ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []) == ["authorized_keys"]
        }
    }

    private func userPath(_ id: String) -> String {
        "Users/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).json"
    }

    @Test func aLinkCommittedWhileTheServerRunsIsServedAsBrokenAndNeverFollowed() async throws {
        let outside = try Outside()
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        let bob = try #require(try await okta.post("/Users", ["userName": "bob@example.com"]).json?["id"]?.stringValue)
        let before = try server.lastCommit("%H")
        #expect(server.statusIsClean(), "the server has written its index before git is used beside it")
        // An admin (or a pulled commit) replaces Ada's file with a link to a file outside.
        let path = server.store + "/" + userPath(ada)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside.secret)
        try git(["add", "-A"], in: server.store)
        try git(["commit", "-q", "-m", "Link Ada's file elsewhere"], in: server.store)

        let response = try await okta.get("/Users/\(ada)")
        #expect(response.status == 500)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("TOPSECRET"))
        #expect(response.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
        let list = try await okta.get("/Users?filter=\(query("userName eq \"stolen\""))")
        #expect(list.json?["totalResults"] == 0)
        #expect(!String(decoding: try await okta.get("/Users").body, as: UTF8.self).contains("TOPSECRET"))
        // Only that resource is broken; writes to it are refused, not written through.
        #expect(try await okta.get("/Users/\(bob)").status == 200)
        #expect(try await okta.patch("/Users/\(ada)", [["op": "replace", "path": "displayName", "value": "Ada"]]).status == 500)
        // Writes elsewhere (each reusing spare inodes once they have rested) go on.
        for round in 0..<3 {
            for version in 0..<5 {
                let patched = try await okta.patch("/Users/\(bob)", [["op": "replace", "path": "displayName", "value": .string("Bob \(round).\(version)")]])
                #expect(patched.status == 200)
            }
            try await Task.sleep(for: .milliseconds(1100))
        }
        #expect(outside.untouched)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link is left as committed")

        let verify = try scimgit(["verify", "--repo", server.store])
        #expect(verify.status != 0)
        #expect(verify.output.contains(userPath(ada)) && verify.output.contains("symbolic link"), "\(verify.output)")

        // Rolling back past the commit removes the link; Ada is served again.
        let rollback = try scimgit(["rollback", "--to", before, "--yes", "--repo", server.store])
        #expect(rollback.status == 0, "\(rollback.errors)")
        #expect(try await okta.get("/Users/\(ada)").json?["userName"] == "ada@example.com")
        #expect(outside.untouched)
        #expect(server.statusIsClean())
        #expect(try server.fsckIsClean())
    }

    @Test func linkedFanOutFoldersAreRefusedNotEntered() async throws {
        let outside = try Outside()
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let commits = try server.commitCount()
        #expect(server.statusIsClean())
        // Every fan-out folder a create could use is a link to the outside folder.
        let users = server.store + "/Users"
        try FileManager.default.createDirectory(atPath: users, withIntermediateDirectories: true)
        for value in 0..<256 {
            try FileManager.default.createSymbolicLink(atPath: users + "/" + String(format: "%02x", value), withDestinationPath: outside.folder.path)
        }
        try git(["add", "-A"], in: server.store)
        try git(["commit", "-q", "-m", "Link every fan-out folder elsewhere"], in: server.store)
        for number in 0..<5 {
            let created = try await okta.post("/Users", ["userName": .string("user\(number)@example.com")])
            #expect(created.status == 500, "\(created.status)")
            #expect(created.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
        }
        #expect(outside.untouched)
        #expect(try server.commitCount() == commits + 1, "no create was committed")
        #expect(try await okta.get("/Users").status == 200)
        let verify = try scimgit(["verify", "--repo", server.store])
        #expect(verify.status != 0 && verify.output.contains("Users/00") && verify.output.contains("symbolic link"))
    }

    @Test func aLinkArrivingByPullIsNotFollowed() async throws {
        let outside = try Outside()
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        // Someone commits the link in another clone; the store pulls it while serving.
        let clone = server.folder.path + "/clone"
        try git(["clone", "-q", server.store, clone], in: server.folder.path)
        try FileManager.default.removeItem(atPath: clone + "/" + userPath(ada))
        try FileManager.default.createSymbolicLink(atPath: clone + "/" + userPath(ada), withDestinationPath: outside.secret)
        try git(["add", "-A"], in: clone)
        try git(["commit", "-q", "-m", "Link"], in: clone)
        #expect(server.statusIsClean(), "the server has written its index")
        try git(["pull", "-q", "--ff-only", clone, "main"], in: server.store)
        #expect(try await okta.get("/Users/\(ada)").status == 500)
        // And after a restart, which reads every file again.
        server.stop()
        try server.start()
        let restarted = SCIMClient.okta(server)
        let response = try await restarted.get("/Users/\(ada)")
        #expect(response.status == 500)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("TOPSECRET"))
        #expect(try await restarted.put("/Users/\(ada)", ["userName": "ada@example.com"]).status == 500)
        #expect(outside.untouched)
    }

    @Test func historyCommandsNeverWriteALink() async throws {
        let outside = try Outside()
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        let path = server.store + "/" + userPath(ada)
        #expect(server.statusIsClean())
        let original = try String(contentsOfFile: path, encoding: .utf8)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside.secret)
        try git(["add", "-A"], in: server.store)
        try git(["commit", "-q", "-m", "Link"], in: server.store)
        let linked = try server.lastCommit("%H")
        // The admin puts the file back by hand.
        try FileManager.default.removeItem(atPath: path)
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        try git(["add", "-A"], in: server.store)
        try git(["commit", "-q", "-m", "Unlink"], in: server.store)
        let fixed = try server.lastCommit("%H")
        let commits = try server.commitCount()

        let rollback = try scimgit(["rollback", "--to", linked, "--yes", "--repo", server.store])
        #expect(rollback.status != 0)
        #expect(rollback.errors.contains(userPath(ada)) && rollback.errors.contains("symbolic link"), "\(rollback.errors)")
        let revert = try scimgit(["revert", fixed, "--yes", "--repo", server.store])
        #expect(revert.status != 0)
        #expect(revert.errors.contains("symbolic link"), "\(revert.errors)")
        #expect(try server.commitCount() == commits)
        #expect(try await okta.get("/Users/\(ada)").json?["userName"] == "ada@example.com")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(outside.untouched)
    }

    @Test func aFIFOWhereAFileBelongsDoesNotStopTheServer() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com"]).json?["id"]?.stringValue)
        let path = server.store + "/" + userPath(ada)
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o644) == 0)
        // Both event loops asked for it at once: neither may hang on the open.
        async let first = okta.get("/Users/\(ada)")
        async let second = okta.get("/Users/\(ada)")
        let answers = try await [first, second]
        #expect(answers.allSatisfy { $0.status == 500 }, "\(answers.map(\.status))")
        let bob = try await okta.post("/Users", ["userName": "bob@example.com"])
        #expect(bob.status == 201)
    }
}
