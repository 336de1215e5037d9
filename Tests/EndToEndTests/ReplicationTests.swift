import Foundation
import SCIM
import Testing
import TestSupport

/// Mirrors (`serve --mirror URL`) and read replicas (`serve --replica-of URL`, `promote`),
/// against real git remotes: bare repositories on disk and `git daemon` on loopback.
@Suite("End to end: mirrors to git remotes, read replicas, failover")
struct ReplicationTests {
    private func bareRepository(_ folder: TemporaryFolder, _ name: String = "mirror.git") throws -> String {
        let path = folder.path + "/" + name
        _ = try git(["init", "-q", "--bare", "-b", "main", path], in: folder.path)
        return path
    }

    private func head(of repository: String, _ reference: String = "refs/heads/main") -> String? {
        (try? git(["--git-dir", repository, "rev-parse", "--verify", "-q", reference], in: "/", allowFailure: true))?
            .trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
    }

    private func storeHead(_ server: ServerProcess) throws -> String {
        try git(["rev-parse", "HEAD"], in: server.store).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func createUsers(_ client: SCIMClient, _ prefix: String, _ count: Int) async throws -> [String] {
        var ids: [String] = []
        for number in 0..<count {
            let response = try await client.post("/Users", ["userName": .string("\(prefix)\(number)@example.com"), "active": true])
            #expect(response.status == 201)
            if let id = response.json?["id"]?.stringValue { ids.append(id) }
        }
        return ids
    }

    private func scrape(_ server: ServerProcess) async throws -> Metrics {
        Metrics(try await SCIMClient(baseURL: Operations.origin(server.baseURL), authorization: nil).get("/metrics").body)
    }

    @Test func aMirrorOnDiskConvergesToHeadWithItsSnapshots() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let server = try ServerProcess(["--mirror", "file://" + mirror], durability: "durable")
        _ = try await createUsers(.okta(server), "disk", 20)
        #expect(try scimgit(["snapshot", "create", "before-import", "--repo", server.store]).status == 0)
        let expected = try storeHead(server)
        #expect(try await Operations.eventually { head(of: mirror) == expected }, "mirror at \(head(of: mirror) ?? "nothing"), store at \(expected):\n\(server.log)")
        #expect(try await Operations.eventually { head(of: mirror, "refs/tags/before-import") != nil }, "the snapshot's tag")
        let metrics = try await scrape(server)
        #expect(metrics.value("scimgit_mirror_lag_commits", ["mirror": "0"]) == 0)
        #expect(metrics.value("scimgit_mirror_stopped", ["mirror": "0"]) == 0)
        #expect(!metrics.text.contains(mirror), "no URL in a label")
        // What the mirror holds is a store: a clone serves the same users.
        #expect(try git(["--git-dir", mirror, "ls-tree", "-r", "--name-only", "main"], in: "/").contains("Users/"))
    }

    @Test func aMirrorOverGitDaemonConvergesAndCatchesUpAfterTheRemoteWasGone() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let port = try Operations.freePort()
        let daemon = Process()
        // git-daemon itself (not `git daemon`, which would leave it running when stopped).
        daemon.executableURL = URL(fileURLWithPath: "/usr/lib/git-core/git-daemon")
        daemon.arguments = ["--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(remotes.path)", "--export-all", "--enable=receive-pack", remotes.path]
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await Task.sleep(for: .milliseconds(500))
        let server = try ServerProcess(["--mirror", "git://127.0.0.1:\(port)/mirror.git"], durability: "durable")
        let okta = SCIMClient.okta(server)
        _ = try await createUsers(okta, "daemon", 10)
        var expected = try storeHead(server)
        #expect(try await Operations.eventually { head(of: mirror) == expected }, "over git://:\n\(server.log)")

        // The remote goes away: writes still succeed at once, the lag grows.
        kill(daemon.processIdentifier, SIGKILL)
        while daemon.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let started = Date()
        _ = try await createUsers(okta, "while-gone", 5)
        #expect(Date().timeIntervalSince(started) < 10, "a dead remote does not slow writes")
        #expect(try await Operations.eventually {
            let metrics = try await scrape(server)
            return (metrics.value("scimgit_mirror_lag_commits", ["mirror": "0"]) ?? 0) >= 5 && (metrics.value("scimgit_mirror_failures", ["mirror": "0"]) ?? 0) >= 1
        }, "the lag and the failures show in /metrics")
        #expect(server.log.contains("push failed, retrying with backoff"))

        // Back: it catches up by itself.
        let again = Process()
        again.executableURL = daemon.executableURL
        again.arguments = daemon.arguments
        again.standardError = FileHandle.nullDevice
        try again.run()
        expected = try storeHead(server)
        #expect(try await Operations.eventually(within: 40) { head(of: mirror) == expected }, "caught up:\n\(server.log)")
        #expect(try await Operations.eventually { (try await scrape(server)).value("scimgit_mirror_lag_seconds", ["mirror": "0"]) == 0 })
        _ = server.stop()
        kill(again.processIdentifier, SIGKILL)
        while again.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// git-http-backend behind Basic auth (`scripts/git-http-server.py`), as a git host
    /// serves an https remote; plain http here, so only TLS itself goes untested.
    private func httpGitHost(_ remotes: TemporaryFolder, user: String, token: String) async throws -> (Process, Int) {
        let host = Process()
        host.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        host.arguments = ["python3", repositoryRoot().appendingPathComponent("scripts/git-http-server.py").path, remotes.path, user, token]
        // Not the test's own output: an orphaned host would keep `swift test`'s pipe open.
        host.standardOutput = FileHandle.nullDevice
        host.standardError = FileHandle.nullDevice
        try host.run()
        var port: Int?
        #expect(try await Operations.eventually {
            port = (try? String(contentsOfFile: remotes.path + "/port", encoding: .utf8)).flatMap { Int($0) }
            return port != nil
        }, "the git host starts")
        return (host, try #require(port))
    }

    @Test func aMirrorOverHTTPSendsTheTokenFromTheEnvironmentAndNowhereElse() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let refused = try bareRepository(remotes, "refused.git")
        let token = "mirror-token-5f3a9c0e7b21d4"
        let (host, port) = try await httpGitHost(remotes, user: "oauth2", token: token)
        // SIGKILL: the test runner's children inherit an ignored SIGTERM.
        defer { kill(host.processIdentifier, SIGKILL) }
        let server = try ServerProcess(
            ["--mirror", "http://oauth2@127.0.0.1:\(port)/mirror.git"], durability: "durable", environment: ["SCIMGIT_MIRROR_TOKEN": token])
        _ = try await createUsers(.okta(server), "http", 5)
        let expected = try storeHead(server)
        #expect(try await Operations.eventually { head(of: mirror) == expected }, "over http:\n\(server.log)")
        let requests = try String(contentsOfFile: remotes.path + "/requests.log", encoding: .utf8)
        #expect(requests.contains("POST /mirror.git/git-receive-pack auth=ok"), "\(requests)")
        #expect(!requests.contains("auth=none") && !requests.contains("auth=wrong"), "every request carried the token: \(requests)")
        // The token is in no log line, no metric, no config of the store.
        let config = try git(["config", "--list", "--show-origin"], in: server.store)
        let metrics = try await scrape(server).text
        for (name, text) in [("log", server.log), ("metrics", metrics), ("config", config)] {
            #expect(!text.contains(token), "the token leaked into the \(name)")
        }

        // A wrong token is a failed push, retried, logged without the token; writes go on.
        let wrong = "wrong-token-88c1e0a4f9"
        let other = try ServerProcess(
            ["--mirror", "http://oauth2@127.0.0.1:\(port)/refused.git"], durability: "durable", environment: ["SCIMGIT_MIRROR_TOKEN": wrong])
        _ = try await createUsers(.okta(other), "refused", 2)
        #expect(try await Operations.eventually { (try await scrape(other)).value("scimgit_mirror_failures", ["mirror": "0"]) ?? 0 >= 1 }, "\(other.log)")
        #expect(other.log.contains("push failed"))
        #expect(!other.log.contains(wrong))
        #expect(head(of: refused) == nil, "nothing reached the remote")
    }

    /// An ssh server on loopback as a git host serves its repositories: OpenSSH's sshd with
    /// a host key and one authorized client key of its own, for the user running the test.
    private struct SSHHost {
        let folder: String
        let port: Int
        let clientKey: String
        /// `SHA256:…`, as `ssh-keygen -lf` prints the host key's fingerprint.
        let fingerprint: String
        let user: String

        func url(_ repository: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(repository)" }

        func stop() {
            if let pid = (try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGKILL)
            }
        }
    }

    private func sshHost(_ folder: TemporaryFolder) async throws -> SSHHost {
        func keygen(_ name: String) throws {
            let process = Operations.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", folder.path + "/" + name])
            #expect(process == 0, "ssh-keygen \(name)")
        }
        try keygen("host_key")
        try keygen("client_key")
        try FileManager.default.copyItem(atPath: folder.path + "/client_key.pub", toPath: folder.path + "/authorized_keys")
        // Before sshd starts (Foundation's wait for a child then hangs beside a running one);
        // through a file, as a pipe can be held open by other children.
        Operations.run("/bin/sh", ["-c", "ssh-keygen -lf '\(folder.path)/host_key.pub' > '\(folder.path)/fingerprint'"])
        let fingerprint = try String(String(contentsOfFile: folder.path + "/fingerprint", encoding: .utf8).split(separator: " ")[1])
        let port = try Operations.freePort()
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(folder.path)/host_key
        PidFile \(folder.path)/sshd.pid
        AuthorizedKeysFile \(folder.path)/authorized_keys
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password

        """.write(toFile: folder.path + "/sshd_config", atomically: true, encoding: .utf8)
        // sshd insists on its privilege separation folder, even for a test instance.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        // Detached (not this process's child): Foundation's wait for later children hangs
        // while an sshd it started runs. Stopped through its pid file.
        Operations.run("/bin/sh", ["-c", "/usr/sbin/sshd -f '\(folder.path)/sshd_config' -E '\(folder.path)/sshd.log'"])
        #expect(try await Operations.eventually { Operations.connects(port: port) }, "sshd listens on \(port)")
        return SSHHost(folder: folder.path, port: port, clientKey: folder.path + "/client_key", fingerprint: fingerprint, user: NSUserName())
    }

    @Test func aMirrorAndAReplicaOverSSHPinTheHostKeyAndUseTheKeyFromTheEnvironment() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let refused = try bareRepository(remotes, "refused.git")
        let host = try await sshHost(remotes)
        defer { host.stop() }
        let access = ["SCIMGIT_MIRROR_SSH_KEY": host.clientKey, "SCIMGIT_MIRROR_SSH_HOST_KEY": host.fingerprint]
        let primary = try ServerProcess(["--mirror", host.url(mirror)], durability: "durable", environment: access)
        let ids = try await createUsers(.okta(primary), "ssh", 5)
        let expected = try storeHead(primary)
        #expect(try await Operations.eventually { head(of: mirror) == expected }, "over ssh:\n\(primary.log)")
        #expect(!primary.log.contains(host.clientKey), "the key's path stays out of the log")

        // A replica clones and follows the mirror over ssh with the same key and pin.
        let replicaFolder = TemporaryFolder()
        let replica = try ServerProcess(
            ["--replica-of", host.url(mirror), "--follow-interval", "0.5"], storePath: replicaFolder.path + "/store", environment: access)
        #expect(try await SCIMClient.okta(replica).get("/Users/\(ids[4])").json?["userName"]?.stringValue == "ssh4@example.com")
        let later = try await createUsers(.okta(primary), "later", 2)
        #expect(try await Operations.eventually { try await SCIMClient.okta(replica).get("/Users/\(later[1])").status == 200 }, "\(replica.log)")

        // Another host key pinned (a host that is not the one expected): nothing is sent.
        let impostor = try ServerProcess(
            ["--mirror", host.url(refused)], durability: "durable",
            environment: ["SCIMGIT_MIRROR_SSH_KEY": host.clientKey, "SCIMGIT_MIRROR_SSH_HOST_KEY": "SHA256:" + String(repeating: "A", count: 43)])
        _ = try await createUsers(.okta(impostor), "impostor", 1)
        #expect(try await Operations.eventually { (try await scrape(impostor)).value("scimgit_mirror_failures", ["mirror": "0"]) ?? 0 >= 1 }, "\(impostor.log)")
        #expect(impostor.log.lowercased().contains("host key"), "\(impostor.log)")
        #expect(head(of: refused) == nil, "nothing reached the remote")
    }

    @Test func aDivergedMirrorIsNeverOverwritten() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let server = try ServerProcess(["--mirror", mirror])
        let okta = SCIMClient.okta(server)
        _ = try await createUsers(okta, "before", 3)
        let pushed = try storeHead(server)
        #expect(try await Operations.eventually { head(of: mirror) == pushed })
        // Someone commits to the mirror directly.
        let clone = remotes.path + "/clone"
        _ = try git(["clone", "-q", mirror, clone], in: remotes.path)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: clone + "/stray.json"))
        _ = try git(["add", "stray.json"], in: clone)
        _ = try git(["commit", "-q", "-m", "A commit made on the mirror"], in: clone)
        _ = try git(["push", "-q", "origin", "main"], in: clone)
        let foreign = try #require(head(of: mirror))

        _ = try await createUsers(okta, "after", 2)
        #expect(try await Operations.eventually { server.log.contains("stopped") }, "\(server.log)")
        #expect(server.log.contains("never force-pushes"))
        #expect((try await scrape(server)).value("scimgit_mirror_stopped", ["mirror": "0"]) == 1)
        #expect(head(of: mirror) == foreign, "the remote keeps its own commit")
        // Writes were never refused for it.
        #expect(try await okta.post("/Users", ["userName": "still.taken@example.com"]).status == 201)
    }

    @Test func aReplicaFollowsRefusesWritesAndTakesThemOncePromoted() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let primary = try ServerProcess(["--mirror", mirror], durability: "durable")
        let ids = try await createUsers(.okta(primary), "primary", 5)
        let primaryHead = try storeHead(primary)
        #expect(try await Operations.eventually { head(of: mirror) == primaryHead })

        let replicaFolder = TemporaryFolder()
        let replica = try ServerProcess(["--replica-of", "file://" + mirror, "--follow-interval", "0.5"], storePath: replicaFolder.path + "/store")
        let reader = SCIMClient.okta(replica)
        #expect(try await reader.get("/Users/\(ids[0])").json?["userName"]?.stringValue == "primary0@example.com")

        // New writes on the primary reach the replica through the mirror.
        let later = try await createUsers(.okta(primary), "later", 3)
        #expect(try await Operations.eventually { try await reader.get("/Users/\(later[2])").status == 200 }, "\(replica.log)")
        let list = try await reader.get("/Users?count=100")
        #expect(list.json?["totalResults"]?.intValue == 8)
        #expect(try await SCIMClient(baseURL: Operations.origin(replica.baseURL), authorization: nil).get("/readyz").status == 200)
        let metrics = try await scrape(replica)
        #expect(metrics.value("scimgit_replica", [:]) == 1)
        #expect((metrics.value("scimgit_replica_lag_seconds", [:]) ?? 99) < 5)

        // Snapshots taken and deleted on the primary come and go on the replica.
        #expect(try scimgit(["snapshot", "create", "kept", "--repo", primary.store]).status == 0)
        #expect(try scimgit(["snapshot", "create", "dropped", "--repo", primary.store]).status == 0)
        #expect(try await Operations.eventually { head(of: replica.store + "/.git", "refs/tags/dropped") != nil }, "\(replica.log)")
        #expect(try scimgit(["snapshot", "delete", "dropped", "--repo", primary.store]).status == 0)
        #expect(try await Operations.eventually { head(of: replica.store + "/.git", "refs/tags/dropped") == nil }, "the deleted snapshot leaves the replica: \(replica.log)")
        #expect(head(of: replica.store + "/.git", "refs/tags/kept") != nil)

        // Writes are refused, with a SCIM error naming it a replica; nothing is committed.
        let commits = try git(["rev-list", "--count", "HEAD"], in: replica.store)
        let refused = try await reader.post("/Users", ["userName": "on.replica@example.com"])
        #expect(refused.status == 503)
        #expect(refused.json?["detail"]?.stringValue?.contains("read-only replica") == true)
        #expect(refused.json?["schemas"]?[0]?.stringValue == "urn:ietf:params:scim:api:messages:2.0:Error")
        #expect(try await reader.delete("/Users/\(ids[0])").status == 503)
        #expect(try git(["rev-list", "--count", "HEAD"], in: replica.store) == commits)
        // A command that would commit on it is refused too.
        let rollback = try scimgit(["snapshot", "create", "on-replica", "--repo", replica.store])
        #expect(rollback.status != 0)
        #expect(rollback.errors.contains("read replica"))

        // Failover: the primary stops, the replica is promoted and takes writes.
        _ = primary.stop()
        let promote = try scimgit(["promote", "--repo", replica.store])
        #expect(promote.status == 0, "\(promote.errors)")
        #expect(promote.output.contains("Promoted"))
        #expect(try await Operations.eventually { try await reader.post("/Users", ["userName": "after.failover@example.com"]).status == 201 }, "\(replica.log)")
        #expect(try await reader.get("/Users?count=100").json?["totalResults"]?.intValue == 9)
        // Started again as a replica by mistake, it refuses rather than follow the old primary.
        _ = replica.stop()
        #expect(throws: ServerProcess.ServerFailed.self) { try replica.start() }
        #expect(replica.log.contains("was promoted"))
    }

    @Test func killingThePrimaryLosesNothingAcknowledgedAndTheMirrorNeverRunsAhead() async throws {
        let remotes = TemporaryFolder()
        let mirror = try bareRepository(remotes)
        let server = try ServerProcess(["--mirror", mirror], durability: "durable")
        let okta = SCIMClient.okta(server)
        let acknowledged = AcknowledgedIDs()
        let writers = (0..<4).map { writer in
            Task {
                for number in 0..<60 {
                    guard let response = try? await okta.post("/Users", ["userName": .string("w\(writer)-\(number)@example.com")]) else { return }
                    if response.status == 201, let id = response.json?["id"]?.stringValue { acknowledged.add(id) }
                }
            }
        }
        #expect(try await Operations.eventually(within: 60) { acknowledged.count >= 20 })
        server.kill(signal: SIGKILL)
        for writer in writers { _ = await writer.value }
        let mirrorHead = try #require(head(of: mirror))

        try server.start()
        let reader = SCIMClient.okta(server)
        for id in acknowledged.all {
            #expect(try await reader.get("/Users/\(id)").status == 200, "acknowledged \(id) lost")
        }
        // The mirror holds nothing the primary lacks: its HEAD is in the primary's history.
        #expect(try git(["cat-file", "-t", mirrorHead], in: server.store).contains("commit"))
        let notInPrimary = try git(["rev-list", "--count", "HEAD..\(mirrorHead)"], in: server.store).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(notInPrimary == "0")
    }
}

private final class AcknowledgedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func add(_ id: String) { lock.withLock { ids.append(id) } }
    var count: Int { lock.withLock { ids.count } }
    var all: [String] { lock.withLock { ids } }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
