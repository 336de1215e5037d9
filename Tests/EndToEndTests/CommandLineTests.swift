import Foundation
import SCIM
import Testing
import TestSupport

/// Every command but `serve` run as a person runs it: the built binary, its output and
/// its exit status, on a store a server wrote (the server keeps running, as it would).
@Suite("End to end: the command line", .serialized)
struct CommandLineTests {
    /// A store with Ada and Grace in Engineering, written by Okta through a running server.
    private func storeWithUsers() async throws -> (server: ServerProcess, ada: String, grace: String, group: String) {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let ada = try #require(try await okta.post("/Users", ["userName": "ada@example.com", "active": true]).json?["id"]?.stringValue)
        let grace = try #require(try await okta.post("/Users", ["userName": "grace@example.com", "active": true]).json?["id"]?.stringValue)
        let group = try #require(try await okta.post("/Groups", ["displayName": "Engineering", "members": [["value": .string(ada)], ["value": .string(grace)]]]).json?["id"]?.stringValue)
        return (server, ada, grace, group)
    }

    @Test func initCreatesAStoreOnceAndRefusesASecondTime() throws {
        let folder = TemporaryFolder()
        let store = folder.path + "/a/b/store"
        let created = try scimgit(["init", store])
        #expect(created.status == 0)
        #expect(created.output == "Initialized an empty scimgit store in \(store)\n")
        #expect(try git(["log", "--format=%s"], in: store) == "Initialize scimgit store\n")
        let again = try scimgit(["init", store])
        #expect(again.status != 0)
        #expect(again.errors.contains("already holds a git repository"))
        #expect(try git(["rev-list", "--count", "HEAD"], in: store) == "1\n")
    }

    @Test func tokensAreShownOnceListedByNameAndRevoked() throws {
        let folder = TemporaryFolder()
        let store = folder.path + "/store"
        #expect(try scimgit(["init", store]).status == 0)
        let added = try scimgit(["token", "add", "okta", "--repo", store])
        #expect(added.status == 0)
        let secret = try #require(added.output.split(separator: "\n").last.map(String.init))
        #expect(secret.count >= 40)
        let list = try scimgit(["token", "list", "--repo", store])
        #expect(list.status == 0 && list.output.contains("okta") && !list.output.contains(secret))
        let stored = try String(contentsOfFile: store + "/.git/scimgit/tokens.json", encoding: .utf8)
        #expect(!stored.contains(secret), "only a salted hash is kept")
        #expect(try scimgit(["token", "add", "okta", "--repo", store]).status != 0, "names are unique")
        #expect(try scimgit(["token", "add", "bad name", "--repo", store]).status != 0)
        #expect(try scimgit(["token", "revoke", "okta", "--repo", store]).output.contains("Revoked token \"okta\""))
        let unknown = try scimgit(["token", "revoke", "okta", "--repo", store])
        #expect(unknown.status != 0 && unknown.errors.contains("no token named"))
        #expect(try scimgit(["token", "list", "--repo", store]).output.contains("No tokens"))
    }

    @Test func logSpeaksInUsersAndFiltersByClientTimeAndResource() async throws {
        let (server, ada, _, _) = try await storeWithUsers()
        _ = try await SCIMClient.entra(server).patch("/Users/\(ada)", [["op": "replace", "path": "title", "value": "CTO"]])
        let log = try scimgit(["log", "--repo", server.store])
        #expect(log.status == 0)
        let lines = log.output.split(separator: "\n")
        #expect(lines.count == 5)
        // id, time, client (padded to the longest), subject, two spaces apart.
        func fields(_ line: Substring) -> [String] { line.components(separatedBy: "  ").filter { !$0.isEmpty }.map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(fields(lines[0]).suffix(2) == ["entra", "Update user ada@example.com"], "\(lines[0])")
        #expect(fields(lines[1]).suffix(2) == ["okta", "Create group Engineering with 2 members"])
        #expect(fields(lines[4]).suffix(2) == ["scimgit", "Initialize scimgit store"])
        #expect(fields(lines[0]).first?.count == 7 && fields(lines[0])[1].hasSuffix("Z"))
        #expect(try scimgit(["log", "-n", "2", "--repo", server.store]).output.split(separator: "\n").count == 2)
        #expect(try scimgit(["log", "--client", "entra", "--format", "sha", "--repo", server.store]).output.split(separator: "\n")
            == [Substring(try server.lastCommit("%H"))])
        #expect(try scimgit(["log", "--resource", "ada@example.com", "--repo", server.store]).output.split(separator: "\n").count == 2)
        #expect(try scimgit(["log", "--since", "2000-01-01", "--until", "2000-01-02", "--repo", server.store]).output.isEmpty)
        let json = try JSONValue.parse(Array(try scimgit(["log", "--json", "-n", "1", "--repo", server.store]).output.utf8))
        #expect(json[0]?["client"] == "entra" && json[0]?["operation"] == "PATCH" && json[0]?["resource"] == .string("User/\(ada)"))
        let missing = try scimgit(["log", "--resource", "nobody@example.com", "--repo", server.store])
        #expect(missing.status != 0 && missing.errors.contains("no user or group named"))
        #expect(try scimgit(["log", "--format", "oneline", "--repo", server.store]).status != 0)
    }

    @Test func diffShowsChangesByResourceInTextAndJSON() async throws {
        let (server, ada, grace, group) = try await storeWithUsers()
        #expect(try scimgit(["snapshot", "create", "before", "-m", "Before the sync", "--repo", server.store]).output
            .hasPrefix("Created snapshot before at "))
        let okta = SCIMClient.okta(server)
        _ = try await okta.patch("/Users/\(ada)", [["op": "replace", "value": ["active": false]]])
        _ = try await okta.patch("/Groups/\(group)", [["op": "remove", "path": .string("members[value eq \"\(grace)\"]")]])
        let diff = try scimgit(["diff", "before", "--repo", server.store])
        #expect(diff.status == 0)
        #expect(diff.output == """
            Users
              ~ ada@example.com
                  active: true → false
            Groups
              ~ Engineering
                  - member grace@example.com

            """)
        let json = try JSONValue.parse(Array(try scimgit(["diff", "before", "HEAD", "--json", "--repo", server.store]).output.utf8))
        #expect(json["changes"]?[0]?["attributes"]?[0]?["path"] == "active")
        #expect(json["changes"]?[1]?["membersRemoved"] == [.string(grace)])
        let unknown = try scimgit(["diff", "no-such-revision", "--repo", server.store])
        #expect(unknown.status != 0 && unknown.errors.contains("unknown revision"))
    }

    @Test func snapshotsAreCreatedListedAndDeleted() async throws {
        let (server, _, _, _) = try await storeWithUsers()
        #expect(try scimgit(["snapshot", "create", "monday", "-m", "Monday's state", "--repo", server.store]).output
            .contains(": 2 users, 1 group"))
        #expect(try scimgit(["snapshot", "create", "monday", "--repo", server.store]).status != 0, "names are unique")
        let list = try scimgit(["snapshot", "list", "--repo", server.store])
        #expect(list.output.hasPrefix("monday  ") && list.output.contains("2 users, 1 group  Monday's state"), "\(list.output)")
        #expect(try git(["tag", "--list"], in: server.store) == "monday\n")
        #expect(try scimgit(["snapshot", "delete", "monday", "--repo", server.store]).output == "Deleted snapshot monday\n")
        #expect(try scimgit(["snapshot", "list", "--repo", server.store]).output == "no snapshots\n")
        #expect(try scimgit(["snapshot", "delete", "monday", "--repo", server.store]).status != 0)
    }

    @Test func rollbackAsksPrintsAndCommits() async throws {
        let (server, ada, _, _) = try await storeWithUsers()
        #expect(try scimgit(["snapshot", "create", "before", "--repo", server.store]).status == 0)
        _ = try await SCIMClient.okta(server).patch("/Users/\(ada)", [["op": "replace", "value": ["active": false]]])
        let commits = try server.commitCount()
        let dry = try scimgit(["rollback", "--to", "before", "--dry-run", "--repo", server.store])
        #expect(dry.status == 0 && dry.output.contains("reactivate user ada@example.com") && dry.output.contains("(dry run: nothing changed)"))
        let unasked = try scimgit(["rollback", "--to", "before", "--repo", server.store])
        #expect(unasked.status == 2, "no terminal to ask on: refused")
        #expect(try server.commitCount() == commits)
        let done = try scimgit(["rollback", "--to", "before", "--yes", "--repo", server.store])
        #expect(done.status == 0)
        #expect(done.output.contains("Committed ") && done.output.contains("Roll back to before"))
        #expect(try server.commitCount() == commits + 1)
        #expect(try scimgit(["rollback", "--to", "before", "--yes", "--repo", server.store]).output.contains("nothing to do"))
        let unknown = try scimgit(["rollback", "--to", "no-such", "--yes", "--repo", server.store])
        #expect(unknown.status != 0 && unknown.errors.contains("cannot roll back to 'no-such'"))
    }

    @Test func revertUndoesChosenCommitsOrNamesTheConflict() async throws {
        let (server, ada, _, _) = try await storeWithUsers()
        let okta = SCIMClient.okta(server)
        _ = try await okta.patch("/Users/\(ada)", [["op": "replace", "value": ["active": false]]])
        let deactivation = try server.lastCommit("%H")
        let done = try scimgit(["revert", deactivation, "--yes", "--repo", server.store])
        #expect(done.status == 0, "\(done.errors)")
        #expect(done.output.contains("revert user ada@example.com"))
        #expect(try await okta.get("/Users/\(ada)").json?["active"] == true)
        // A later change to the same user: nothing changes, the conflict is named.
        _ = try await okta.patch("/Users/\(ada)", [["op": "replace", "path": "title", "value": "CTO"]])
        let commits = try server.commitCount()
        let conflict = try scimgit(["revert", deactivation, "--yes", "--repo", server.store])
        #expect(conflict.status != 0)
        #expect(conflict.errors.contains("cannot revert") && conflict.errors.contains("user ada@example.com"), "\(conflict.errors)")
        #expect(try server.commitCount() == commits)
        #expect(try scimgit(["revert", "--yes", "--repo", server.store]).status != 0, "at least one commit")
    }

    @Test func verifyListsProblemsAndExitsOneOrSaysOK() async throws {
        let (server, ada, _, _) = try await storeWithUsers()
        let clean = try scimgit(["verify", "--repo", server.store])
        #expect(clean.status == 0 && clean.output == "ok: no problems found\n")
        // A hand edit (once the server has written its index): a file that is not
        // canonical JSON and says another id.
        #expect(server.statusIsClean())
        let path = "Users/\(ada.prefix(2))/\(ada.dropFirst(2).prefix(2))/\(ada).json"
        try #"{"id": "other", "userName": "ada@example.com"}"#.write(toFile: server.store + "/" + path, atomically: true, encoding: .utf8)
        try git(["commit", "-q", "-am", "Hand edit"], in: server.store)
        let broken = try scimgit(["verify", "--repo", server.store])
        #expect(broken.status == 1)
        #expect(broken.output.contains("\(path): not canonical JSON"))
        #expect(broken.output.contains("\(path): its id is \"other\""))
        #expect(broken.errors.contains("problems found"))
    }

    /// Every command's help is prose the parser wrapped: no sentence broken by a hard line
    /// break (a short line followed by more of the same paragraph).
    @Test func everyCommandsHelpReadsAsProse() throws {
        let commands = [[], ["init"], ["serve"], ["token"], ["token", "add"], ["token", "list"], ["token", "revoke"], ["log"], ["diff"],
                        ["snapshot"], ["snapshot", "create"], ["snapshot", "list"], ["snapshot", "delete"], ["rollback"], ["revert"], ["verify"], ["syncs"],
                        ["schema"], ["schema", "add"], ["schema", "list"], ["schema", "remove"], ["tenant"], ["tenant", "add"], ["tenant", "list"], ["tenant", "remove"],
                        ["guard"], ["guard", "status"], ["guard", "release"], ["guard", "reset"]]
        for command in commands {
            let help = try scimgit(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            let text = help.output.components(separatedBy: "\nUSAGE:").first ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty && !next.hasPrefix(" ") && !line.hasPrefix(" ") {
                let nextWord = next.split(separator: " ").first?.count ?? 0
                #expect(line.count + 1 + nextWord > 72, "\(command): a line broken mid-sentence: \"\(line)\" / \"\(next)\"")
            }
        }
    }
}
