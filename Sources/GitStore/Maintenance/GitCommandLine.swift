import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The git command line, for what libgit2 1.5 cannot do (fsck, repack). Never on a request
/// path.
///
/// A store's `.git/config` belongs to whoever owns the store, and some settings run
/// programs (`core.fsmonitor`, hooks). git itself refuses a repository owned by another
/// user unless told it is safe; scimgit never tells it so, and turns those settings off,
/// so running `scimgit verify` as root on someone else's store never runs their command.
enum GitCommandLine {
    static let path: String? = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A process running `git ARGUMENTS` in `root` with the store's command settings off.
    static func process(_ arguments: [String], in root: String) -> Process? {
        guard let path else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.sshCommand=false", "-C", root] + arguments
        // No GIT_DIR, GIT_CONFIG_PARAMETERS… from the caller's environment either.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        return process
    }

    /// Runs git to the end; its status and what it printed (stdout and stderr together).
    /// `environment` is added to git's; a positive `niceness` runs it below the server's
    /// threads (background work: a mirror's push).
    static func run(_ arguments: [String], in root: String, environment: [String: String] = [:], niceness: Int32 = 0) -> (status: Int32, output: String)? {
        guard let process = process(arguments, in: root) else { return nil }
        if !environment.isEmpty { process.environment = (process.environment ?? [:]).merging(environment) { $1 } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        if niceness > 0 { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), niceness) }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension GitStore {
    /// `git fsck --strict` of the store: each problem git reports, as one line. A store
    /// owned by another user is not checked (git refuses it; run the check as its owner).
    public func fsck() -> [String] {
        guard let result = GitCommandLine.run(["fsck", "--strict", "--no-dangling", "--no-progress"], in: root) else {
            return ["could not run git fsck (is git installed?)"]
        }
        let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if result.status == 0 && text.isEmpty { return [] }
        if text.contains("dubious ownership") {
            var info = stat()
            let owner = stat(root, &info) == 0 ? "uid \(info.st_uid)" : "another user"
            return ["git refused to check this store: it is owned by \(owner), not by the user running scimgit; run scimgit verify as the store's owner"]
        }
        let lines = text.split(separator: "\n").map(String.init)
        return lines.isEmpty ? ["git fsck failed (exit \(result.status))"] : lines
    }
}
