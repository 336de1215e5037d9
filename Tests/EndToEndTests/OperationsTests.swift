import Foundation
import SCIM
import Testing
import TestSupport

/// What the machines that run scimgit see: `/metrics` scraped as Prometheus does,
/// `/healthz` and `/readyz` probed as an orchestrator does, logs read as a shipper does.
@Suite("End to end: metrics, health checks and logs")
struct OperationsTests {
    /// The origin of the server (no base path), without a token: as a scraper or probe.
    private func anonymous(_ server: ServerProcess) -> SCIMClient {
        SCIMClient(baseURL: Operations.origin(server.baseURL), authorization: nil)
    }

    @Test func metricsMoveWithRequestsAndCarryNoUserDataOrTokens() async throws {
        let server = try ServerProcess()
        let okta = SCIMClient.okta(server)
        let userName = "metrics.person@example.com"
        #expect(try await okta.post("/Users", ["userName": .string(userName), "active": true]).status == 201)
        #expect(try await okta.get("/Users?filter=" + query("userName eq \"\(userName)\"")).status == 200)
        #expect(try await okta.get("/Users/00000000-0000-4000-8000-000000000000").status == 404)

        let first = try await anonymous(server).get("/metrics")
        #expect(first.status == 200)
        #expect(first.header("Content-Type")?.hasPrefix("text/plain") == true)
        let before = Metrics(first.body)
        #expect(before.value("scimgit_http_requests_total", ["method": "POST", "route": "/scim/v2/Users", "status": "201"]) == 1)
        #expect(before.value("scimgit_http_requests_total", ["method": "GET", "route": "/scim/v2/Users/{id}", "status": "404"]) == 1,
                "a route template, never the id:\n\(before.text)")
        #expect(before.value("scimgit_writes_committed_total", [:]) == 1)
        #expect(before.value("scimgit_resources", ["kind": "user"]) == 1)
        #expect(before.value("scimgit_guard_holding", [:]) == 0)
        #expect((before.value("scimgit_http_request_duration_seconds_count", ["method": "POST", "route": "/scim/v2/Users", "status": "201"]) ?? 0) >= 1)
        #expect((before.value("scimgit_write_batch_size_count", [:]) ?? 0) >= 1)
        #expect((before.value("scimgit_resident_memory_bytes", [:]) ?? 0) > 1_000_000)
        let indexBytes = try #require(before.value("scimgit_index_bytes", [:]))
        #expect(indexBytes > 100 && indexBytes < 100_000, "one user's summary and keys: \(indexBytes)")
        #expect(!before.text.contains(userName) && !before.text.contains("metrics.person"))
        #expect(!before.text.contains(ServerProcess.oktaToken) && !before.text.contains("okta-secret"))

        for number in 0..<3 {
            #expect(try await okta.post("/Users", ["userName": .string("more\(number)@example.com")]).status == 201)
        }
        let after = Metrics(try await anonymous(server).get("/metrics").body)
        #expect(after.value("scimgit_http_requests_total", ["method": "POST", "route": "/scim/v2/Users", "status": "201"]) == 4)
        #expect(after.value("scimgit_writes_committed_total", [:]) == 4)
        #expect(after.value("scimgit_resources", ["kind": "user"]) == 4)
        #expect((after.value("scimgit_index_bytes", [:]) ?? 0) > indexBytes, "three more users")
        // The scrape itself is counted like any request, and none of this needed a token.
        #expect((after.value("scimgit_http_requests_total", ["method": "GET", "route": "/metrics", "status": "200"]) ?? 0) >= 1)
    }

    @Test func metricsCanHaveAListenerOfTheirOwn() async throws {
        let port = try Operations.freePort()
        let server = try ServerProcess(["--metrics-listen", "127.0.0.1:\(port)"])
        #expect(try await SCIMClient.okta(server).post("/Users", ["userName": "own.listener@example.com"]).status == 201)
        let main = try await anonymous(server).get("/metrics")
        #expect(main.status == 404, "not on the main listener once it has its own")
        let scrape = try await SCIMClient(baseURL: "http://127.0.0.1:\(port)", authorization: nil).get("/metrics")
        #expect(scrape.status == 200)
        #expect(Metrics(scrape.body).value("scimgit_writes_committed_total", [:]) == 1)
    }

    @Test func healthAndReadinessAnswerWithoutATokenAndSayNoMore() async throws {
        let server = try ServerProcess()
        let probe = anonymous(server)
        let health = try await probe.get("/healthz")
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")
        let ready = try await probe.get("/readyz")
        #expect(ready.status == 200)
        #expect(String(decoding: ready.body, as: UTF8.self) == "ready\n")
    }

    @Test func notReadyWhileAnotherProcessHoldsTheStoreLock() async throws {
        let server = try ServerProcess()
        let probe = anonymous(server)
        #expect(try await probe.get("/readyz").status == 200)
        // `flock` (util-linux) holds the writer lock as a stuck git hook or command would.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--no-fork", server.store + "/.git/scimgit.lock", "sleep", "300"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        #expect(try await Operations.eventually { try await probe.get("/readyz").status == 503 }, "not ready while locked:\n\(server.log)")
        let answer = try await probe.get("/readyz")
        #expect(String(decoding: answer.body, as: UTF8.self) == "not ready\n", "no detail for an attacker")
        #expect(server.log.contains("not ready: another process holds the store's writer lock"), "the reason is logged:\n\(server.log)")
        // The lock goes with it (SIGKILL: the test process's blocked signals are inherited).
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(try await Operations.eventually { try await probe.get("/readyz").status == 200 })
    }

    @Test(.enabled(if: Operations.canMountTmpfs, "needs root to mount a small tmpfs"))
    func notReadyWhenTheStoresDiskIsFull() async throws {
        let disk = TemporaryFolder()
        try Operations.mountTmpfs(at: disk.path, megabytes: 24)
        defer { Operations.unmount(disk.path) }
        let server = try ServerProcess(storePath: disk.path + "/store")
        let probe = anonymous(server)
        #expect(try await probe.get("/readyz").status == 200)
        let filler = disk.path + "/filler"
        Operations.fill(filler)
        #expect(try await Operations.eventually { try await probe.get("/readyz").status == 503 }, "not ready on a full disk:\n\(server.log)")
        #expect(server.log.contains("not ready: the store's disk is not writable"))
        try FileManager.default.removeItem(atPath: filler)
        #expect(try await Operations.eventually { try await probe.get("/readyz").status == 200 })
        _ = server.stop()
    }

    @Test func jsonLogsAreOneObjectPerLineWithTheRequestFields() async throws {
        let server = try ServerProcess(["--log-format", "json", "--log-level", "info"])
        let okta = SCIMClient.okta(server)
        let created = try await okta.post("/Users", ["userName": "json.log@example.com"])
        #expect(created.status == 201)
        #expect(try await Operations.eventually { server.log.contains("\"status\":\"201\"") })
        let lines = server.log.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(!lines.isEmpty)
        var sawRequest = false
        for line in lines {
            let object = try #require(try? JSONValue.parse(Array(line.utf8)).objectValue, "not JSON: \(line)")
            #expect(object["time"]?.stringValue != nil && object["level"]?.stringValue != nil && object["message"]?.stringValue != nil)
            if object["method"]?.stringValue == "POST", object["path"]?.stringValue == "/scim/v2/Users" {
                sawRequest = true
                #expect(object["status"]?.stringValue == "201")
                #expect(object["client"]?.stringValue == "okta")
                #expect(object["request_id"]?.stringValue?.isEmpty == false)
                #expect(object["duration_ms"] != nil)
            }
        }
        #expect(sawRequest, "\(server.log)")
        #expect(!server.log.contains(ServerProcess.oktaToken))
        #expect(!server.log.contains("json.log@example.com"), "bodies are not logged")
    }
}

/// A Prometheus text exposition, read as a scraper reads it.
struct Metrics {
    let text: String

    init(_ body: [UInt8]) {
        text = String(decoding: body, as: UTF8.self)
    }

    /// The sample of `name` whose labels include `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let (sampleName, sampleLabels) = Metrics.parse(series)
            guard sampleName == name, labels.allSatisfy({ sampleLabels[$0.key] == $0.value }) else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
    }

    private static func parse(_ series: Substring) -> (String, [String: String]) {
        guard let brace = series.firstIndex(of: "{") else { return (String(series), [:]) }
        var labels: [String: String] = [:]
        let inside = series[series.index(after: brace)...].dropLast()
        for pair in inside.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return (String(series[..<brace]), labels)
    }
}

/// Helpers of the operations tests: the origin, waiting, ports, a small disk.
enum Operations {
    static func origin(_ baseURL: String) -> String {
        guard let scheme = baseURL.range(of: "://"), let slash = baseURL[scheme.upperBound...].firstIndex(of: "/") else { return baseURL }
        return String(baseURL[..<slash])
    }

    /// Polls `condition` for up to `seconds`.
    static func eventually(within seconds: Double = 15, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static let canMountTmpfs: Bool = {
        let folder = TemporaryFolder()
        guard (try? mountTmpfs(at: folder.path, megabytes: 1)) != nil else { return false }
        unmount(folder.path)
        return true
    }()

    static func mountTmpfs(at path: String, megabytes: Int) throws {
        let status = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        if status != 0 { throw CocoaError(.fileWriteNoPermission) }
    }

    static func unmount(_ path: String) {
        _ = run("/bin/umount", ["-l", path])
    }

    /// Writes zeros to `path` until the disk is full.
    static func fill(_ path: String) {
        _ = run("/bin/sh", ["-c", "dd if=/dev/zero of='\(path)' bs=1M 2>/dev/null; true"])
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func connects(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
