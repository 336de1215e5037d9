import Foundation
import SCIM
import Testing
import TestSupport

/// kill -9 loses nothing acknowledged and keeps nothing refused; locks held by other
/// processes turn writes into 503s without touching reads; a full disk is a clean 507.
@Suite("End to end: crashes and faults", .serialized)
struct CrashAndFaultTests {
    /// What the clients saw: acknowledged creates and, per user, the displayNames a PATCH
    /// was acknowledged for (in order) and the one in flight when the server died.
    actor Ledger {
        var created: [String: String] = [:]          // userName → id
        var acknowledged: [String: [String]] = [:]    // id → acknowledged displayNames, in order
        var inFlight: [String: String] = [:]           // id → displayName sent, not answered
        var refusedNames: Set<String> = []             // userNames whose create got a 4xx

        func create(_ name: String, _ id: String) { created[name] = id }
        func refuse(_ name: String) { refusedNames.insert(name) }
        func sending(_ id: String, _ value: String) { inFlight[id] = value }
        func acknowledge(_ id: String, _ value: String) { acknowledged[id, default: []].append(value); inFlight[id] = nil }
        var writes: Int { created.count + acknowledged.values.reduce(0) { $0 + $1.count } }
    }

    final class KillSwitch: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// Kill points are set by progress, not by the clock (a loaded CI machine is slow):
    /// after this many acknowledged writes, plus a few milliseconds.
    @Test(arguments: [3, 15, 40])
    func killDashNineDuringConcurrentWritesLosesNothingAcknowledged(afterWrites threshold: Int) async throws {
        let server = try ServerProcess(durability: "durable")
        let okta = SCIMClient.okta(server)
        let ledger = Ledger()
        let killed = KillSwitch()
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<6 {
                group.addTask {
                    var round = 0
                    while !killed.isSet {
                        round += 1
                        let name = "c\(client)-r\(round)@example.com"
                        do {
                            let created = try await okta.post("/Users", ["userName": .string(name), "displayName": "v0"])
                            guard created.status == 201, let id = created.json?["id"]?.stringValue else { return }
                            await ledger.create(name, id)
                            // A duplicate create that must be refused, and stay refused.
                            let duplicate = try await okta.post("/Users", ["userName": .string(name.uppercased())])
                            if duplicate.status == 409 { await ledger.refuse(name.uppercased()) }
                            for version in 1...3 {
                                let value = "v\(version)"
                                await ledger.sending(id, value)
                                let patched = try await okta.patch("/Users/\(id)", [["op": "replace", "path": "displayName", "value": .string(value)]])
                                guard patched.status == 200 else { return }
                                await ledger.acknowledge(id, value)
                            }
                        } catch {
                            return // the server died under this request
                        }
                    }
                }
            }
            while await ledger.writes < threshold { try? await Task.sleep(for: .milliseconds(2)) }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 0...30)))
            server.kill(signal: SIGKILL)
            killed.set()
        }
        try server.start()
        let restarted = SCIMClient.okta(server) // the restarted server listens on a new port
        let created = await ledger.created
        let acknowledged = await ledger.acknowledged
        let inFlight = await ledger.inFlight
        #expect(!created.isEmpty)
        for (name, id) in created {
            let response = try await restarted.get("/Users/\(id)")
            #expect(response.status == 200, "acknowledged create of \(name) lost")
            let served = response.json?["displayName"]?.stringValue
            let allowed = Set([acknowledged[id]?.last ?? "v0"] + (inFlight[id].map { [$0] } ?? []))
            #expect(served.map(allowed.contains) == true, "\(name): served \(served ?? "nil"), acknowledged \(acknowledged[id] ?? [])")
        }
        for name in await ledger.refusedNames {
            let response = try await restarted.get("/Users?filter=\(query("userName eq \"\(name)\""))")
            #expect(response.json?["totalResults"] == 1, "refused duplicate \(name) must not exist beside the original")
        }
        // HEAD and what is served agree.
        let files = try git(["ls-tree", "-r", "--name-only", "HEAD", "Users"], in: server.store).split(separator: "\n").count
        let listed = try await restarted.get("/Users?count=0").json?["totalResults"]?.intValue
        #expect(listed == Int64(files))
        #expect(try server.fsckIsClean())
        #expect(server.statusIsClean())
    }

    @Test func locksHeldByOtherProcessesMakeWritesWaitThen503() async throws {
        let server = try ServerProcess(["--lock-timeout", "0.5"])
        let okta = SCIMClient.okta(server)
        let created = try await okta.post("/Users", ["userName": "lock@example.com"])
        let id = try #require(created.json?["id"]?.stringValue)
        for lock in [".git/index.lock", ".git/refs/heads/main.lock"] {
            let path = server.store + "/" + lock
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            let commits = try server.commitCount()
            let response = try await okta.post("/Users", ["userName": "blocked@example.com"])
            #expect(response.status == 503, "\(lock)")
            #expect(response.json?["status"] == "503")
            #expect(try server.commitCount() == commits)
            #expect(try await okta.get("/Users/\(id)").status == 200)
            #expect(try await okta.get("/Users?filter=\(query("userName eq \"blocked@example.com\""))").json?["totalResults"] == 0)
            try FileManager.default.removeItem(atPath: path)
        }
        // Another scimgit (or any flock holder) on the store's writer lock.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [server.store + "/.git/scimgit.lock", "sleep", "2"]
        try holder.run()
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await okta.post("/Users", ["userName": "blocked@example.com"]).status == 503)
        holder.waitUntilExit()
        #expect(try await okta.post("/Users", ["userName": "blocked@example.com"]).status == 201)
        #expect(server.statusIsClean())
    }

    /// A store on a small tmpfs filled up: writes fail as 507 with nothing half-written,
    /// reads go on, and writes work again once there is room. Needs permission to mount a
    /// tmpfs (root, as on CI); the same failure is injected in DirectoryFaultTests.
    @Test(.enabled(if: TmpfsMount.isPermitted))
    func aFullDiskIs507AndNothingHalfWritten() async throws {
        let mount = try TmpfsMount(megabytes: 8)
        defer { mount.unmount() }
        let server = try ServerProcess(storePath: mount.path + "/store")
        defer { server.kill(signal: SIGKILL) }
        let okta = SCIMClient.okta(server)
        let keep = try await okta.post("/Users", ["userName": "keep@example.com"])
        let keepID = try #require(keep.json?["id"]?.stringValue)
        // Fill the file system, leaving a little room.
        var stats = statvfs()
        statvfs(mount.path, &stats)
        let free = Int(stats.f_bavail) * Int(stats.f_frsize)
        let filler = mount.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, free - 192 * 1024)))
        var statuses: [Int] = []
        for number in 0..<500 {
            let response = try await okta.post("/Users", ["userName": .string("fill\(number)@example.com"), "displayName": .string(String(repeating: "x", count: 2000))])
            statuses.append(response.status)
            if response.status != 201 {
                #expect(response.json?["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
                break
            }
        }
        #expect(statuses.last == 507, "\(statuses.suffix(3))")
        #expect(statuses.dropLast().allSatisfy { $0 == 201 })
        // Nothing half-written: HEAD, the files and what is served agree; reads go on.
        let head = try git(["ls-tree", "-r", "--name-only", "HEAD", "Users"], in: server.store).split(separator: "\n").count
        #expect(try await okta.get("/Users?count=0").json?["totalResults"]?.intValue == Int64(head))
        #expect(try await okta.get("/Users/\(keepID)").status == 200)
        #expect(try git(["fsck", "--strict", "--no-dangling"], in: server.store).isEmpty)
        // Room again: writes work again, and the store is clean.
        try FileManager.default.removeItem(atPath: filler)
        #expect(try await okta.post("/Users", ["userName": "after@example.com"]).status == 201)
        #expect(server.statusIsClean())
    }

    /// A full disk is not an outage: the server stops cleanly (exit 0), starts again (after
    /// a clean stop or a crash) and serves reads, answers writes 507, and once there is room
    /// writes work and the index reaches the disk.
    @Test(.enabled(if: TmpfsMount.isPermitted, "needs root to mount a tmpfs"))
    func startAndStopWorkOnAFullDisk() async throws {
        let mount = try TmpfsMount(megabytes: 8)
        defer { mount.unmount() }
        let server = try ServerProcess(storePath: mount.path + "/store")
        defer { server.kill(signal: SIGKILL) }
        var okta = SCIMClient.okta(server)
        var ids: [String] = []
        for number in 0..<5 {
            ids.append(try #require(try await okta.post("/Users", ["userName": .string("user\(number)@example.com")]).json?["id"]?.stringValue))
        }
        // A write in flight leaves the index dirty in memory when the disk fills.
        _ = try await okta.patch("/Users/\(ids[0])", [["op": "replace", "path": "displayName", "value": "Zero"]])
        var fillers: [String] = []
        func fillTheDisk() throws {
            let filler = mount.path + "/filler\(fillers.count)"
            fillers.append(filler)
            FileManager.default.createFile(atPath: filler, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
            for size in [64 * 1024, 4096, 512] {
                let chunk = Data(count: size)
                while (try? handle.write(contentsOf: chunk)) != nil {}
            }
            try? handle.close()
        }
        try fillTheDisk()
        for stop in ["SIGTERM", "kill -9"] {
            if stop == "SIGTERM" { #expect(server.stop() == 0, "a clean stop on a full disk exits 0:\n\(server.log)") } else { server.kill(signal: SIGKILL) }
            try server.start()
            // Stopping may have freed a little room (the last small packs merged): full again.
            try fillTheDisk()
            okta = SCIMClient.okta(server)
            for id in ids { #expect(try await okta.get("/Users/\(id)").status == 200, "after \(stop)") }
            #expect(try await okta.get("/Users?count=0").json?["totalResults"] == 5)
            let refused = try await okta.post("/Users", ["userName": "full@example.com"])
            #expect(refused.status == 507, "after \(stop): \(refused.status)")
        }
        for filler in fillers { try FileManager.default.removeItem(atPath: filler) }
        #expect(try await okta.post("/Users", ["userName": "room@example.com"]).status == 201)
        #expect(server.statusIsClean())
        #expect(server.stop() == 0)
        #expect(try scimgit(["verify", "--repo", server.store]).status == 0)
    }
}

/// A tmpfs mounted for one test (Linux, root).
struct TmpfsMount {
    let path: String

    static let isPermitted: Bool = {
        guard getuid() == 0, let probe = try? TmpfsMount(megabytes: 1) else { return false }
        probe.unmount()
        return true
    }()

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.path + "/scimgit-tmpfs-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EPERM) }
    }

    func unmount() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [path]
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}
