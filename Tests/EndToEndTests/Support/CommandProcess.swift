import Foundation

/// The built `scimgit` binary run as a person runs it: arguments, environment, its output
/// and exit status.
struct CommandResult {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs `scimgit ARGUMENTS…` to completion (stdin closed, so it never waits for a prompt).
@discardableResult
func scimgit(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let command = try CommandProcess(arguments, environment: environment)
    return command.wait()
}

/// A `scimgit` command in the background, for tests that stop or kill it part-way.
final class CommandProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = ""
    private var errors = ""
    private let out = Pipe()
    private let err = Pipe()
    private var readers: [PipeReader] = []

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: ServerProcess.binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["SCIMGIT_TOKENS"] = nil
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        readers = [
            PipeReader(out) { [weak self] data in
                guard let self else { return }
                self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
            },
            PipeReader(err) { [weak self] data in
                guard let self else { return }
                self.lock.withLock { self.errors += String(decoding: data, as: UTF8.self) }
            },
        ]
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits (at most `seconds`) until the command printed `text` on stderr.
    func waitForError(_ text: String, within seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ errors.contains(text) }) { return true }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return lock.withLock { errors.contains(text) }
    }

    func kill(signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    func wait() -> CommandResult {
        process.waitUntilExit()
        for reader in readers { reader.waitForEnd() }
        return lock.withLock {
            CommandResult(status: process.terminationStatus, output: output, errors: errors)
        }
    }
}
