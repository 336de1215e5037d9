import Foundation
import Testing
import TestSupport

/// The real `scimgit serve` binary on a fresh store in a temp folder, on a free port:
/// end-to-end tests talk to it over HTTP and check the store with the git command line.
final class ServerProcess: @unchecked Sendable {
    let folder = TemporaryFolder()
    private let storeOverride: String?
    var store: String { storeOverride ?? folder.path + "/store" }
    private(set) var baseURL = ""
    private(set) var output = ""
    private var process: Process?
    private var reader: PipeReader?
    private let lock = NSLock()
    let extraArguments: [String]
    /// The open-file limit the server is started with (`ulimit -Sn`, `-Hn`), if not inherited.
    let openFileLimit: (soft: Int, hard: Int)?
    /// Set for a server of many organisations (`serve --tenants ROOT`): each tenant's own
    /// tokens, no `--token`.
    let tenantsRoot: String?
    /// Added to the server's environment (a mirror's `SCIMGIT_MIRROR_TOKEN`…).
    let environment: [String: String]

    static let oktaToken = "okta-secret-0123456789abcdef"
    static let entraToken = "entra-secret-0123456789abcdef"

    /// The binary `swift build` made (`make test` builds it before running the tests).
    static var binary: String {
        let root = repositoryRoot()
        for candidate in [".build/debug/scimgit", ".build/release/scimgit"] {
            let path = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        fatalError("build scimgit first (swift build)")
    }

    init(
        _ extraArguments: [String] = [], durability: String = "fast", storePath: String? = nil, openFileLimit: (soft: Int, hard: Int)? = nil,
        tenantsRoot: String? = nil, environment: [String: String] = [:]
    ) throws {
        self.environment = environment
        self.extraArguments = extraArguments + ["--durability", durability]
        self.openFileLimit = openFileLimit
        self.tenantsRoot = tenantsRoot
        storeOverride = storePath
        try start()
    }

    /// A tenant's Base URL (`serve --tenants`).
    func baseURL(ofTenant name: String) -> String {
        baseURL.replacingOccurrences(of: "{tenant}", with: name)
    }

    deinit { kill(signal: SIGKILL) }

    /// Starts (or restarts) the server on the same store and waits for its Base URL line.
    func start() throws {
        let process = Process()
        let arguments = tenantsRoot.map { ["serve", "--tenants", $0, "--port", "0", "--log-level", "warning"] + extraArguments } ?? [
            "serve", "--repo", store, "--port", "0", "--log-level", "warning",
            "--token", "okta=\(ServerProcess.oktaToken)", "--token", "entra=\(ServerProcess.entraToken)",
        ] + extraArguments
        if let openFileLimit {
            // The shell lowers its own limits, then becomes the server (same process id).
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(openFileLimit.soft) && ulimit -Hn \(openFileLimit.hard) && exec \"$0\" \"$@\"", ServerProcess.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: ServerProcess.binary)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SCIMGIT_TOKENS"] = nil
        process.environment = environment.merging(self.environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        lock.withLock { output = ""; baseURL = "" }
        try process.run()
        reader = PipeReader(pipe) { [weak self] data in
            guard let self else { return }
            self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
        }
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = lock.withLock { output }
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Base URL: ") }) {
                lock.withLock { baseURL = String(line.dropFirst("Base URL: ".count)) }
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ServerFailed(output: lock.withLock { output })
    }

    /// SIGTERM: finish in-flight work and exit. Returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process, process.isRunning else { return process?.terminationStatus ?? 0 }
        process.terminate()
        // A server that does not finish its SIGTERM is a failure, never a hung test run.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("scimgit serve did not stop within 60 s of SIGTERM:\n\(log)")
            Foundation.kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill(signal: Int32) {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    var log: String { lock.withLock { output } }

    /// The server's open-file limit as the kernel reports it (Linux `/proc`).
    func openFileLimitInForce() throws -> (soft: Int, hard: Int) {
        let pid = try #require(process?.processIdentifier)
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        return (numbers[0], numbers[1])
    }

    /// How many descriptors the server has open (Linux `/proc`).
    func openDescriptorCount() throws -> Int {
        let pid = try #require(process?.processIdentifier)
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    /// The log lines at `error` or `critical` (swift-log's stream format: `TIME LEVEL LABEL: …`).
    var errorLines: [String] {
        log.split(separator: "\n").map(String.init).filter { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            return fields.count == 3 && (fields[1] == "error" || fields[1] == "critical")
        }
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "scimgit serve did not start:\n\(output)" }
    }

    // MARK: - The store, as git sees it

    func commitCount() throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"], in: store).trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    func subjects(_ count: Int) throws -> [String] {
        try git(["log", "-\(count)", "--format=%s"], in: store).split(separator: "\n").map(String.init)
    }

    func lastCommit(_ format: String) throws -> String {
        try git(["log", "-1", "--format=\(format)"], in: store).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `git status --porcelain` is empty within the second after the last write.
    func statusIsClean() -> Bool {
        eventually(within: 2) { ((try? git(["--no-optional-locks", "status", "--porcelain", "--untracked-files=all"], in: store)) ?? "x").isEmpty }
    }

    func fsckIsClean() throws -> Bool {
        try git(["fsck", "--strict", "--no-dangling"], in: store).isEmpty
    }
}
