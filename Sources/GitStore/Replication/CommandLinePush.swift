import Foundation

/// A mirror's push through the git command line, for file paths, `git://` and https.
///
/// libgit2 1.5's push marks every object of the remote's tree before packing (about a
/// second at 100,000 users) and then costs some 20 ms per commit pushed, so under a
/// sustained 500 writes/s a mirror fell minutes behind; `git push` (sparse reachability)
/// costs a quarter of a second whatever it carries. It runs below the server's threads
/// (`nice`), off every request path, like the background repack. ssh remotes keep
/// libgit2's push, whose host-key check pins `SCIMGIT_MIRROR_SSH_HOST_KEY`.
enum CommandLinePush {
    /// Whether `url` is pushed this way (git is installed and the remote is not ssh).
    static func handles(_ url: String) -> Bool {
        GitCommandLine.path != nil && !RemoteAccess.isSSH(url)
    }

    static func push(root: String, url: String, refspecs: [String], access: RemoteAccess) throws {
        var environment = ["GIT_TERMINAL_PROMPT": "0"]
        let lower = url.lowercased()
        if let token = access.token, lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            // Through git's environment configuration, never the command line, which every
            // user of the machine can read in `ps`.
            let credentials = Data("\(user(in: url)):\(token)".utf8).base64EncodedString()
            environment["GIT_CONFIG_COUNT"] = "1"
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader"
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic \(credentials)"
        }
        guard let (status, text) = GitCommandLine.run(["push", "--porcelain", url] + refspecs, in: root, environment: environment, niceness: 10) else {
            throw GitStoreError.notFound("cannot run git")
        }
        // `--porcelain`: `!<TAB>from:to<TAB>[rejected] (non-fast-forward)` for each ref refused.
        let rejected = text.split(separator: "\n").filter { $0.hasPrefix("!") }.map { line -> (ref: String, status: String) in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (fields.count > 1 ? String(fields[1]) : String(line), fields.count > 2 ? String(fields[2]) : "rejected")
        }
        if !rejected.isEmpty { throw PushRejected(refs: rejected) }
        guard status == 0 else {
            let said = text.split(separator: "\n").suffix(3).joined(separator: "; ")
            throw GitStoreError.libgit2(
                operation: "push to \(RemoteAccess.redacted(url))", code: status,
                message: said.replacingOccurrences(of: url, with: RemoteAccess.redacted(url)))
        }
    }

    /// The URL's user (`https://oauth2@host/…`), else `git`.
    private static func user(in url: String) -> String {
        guard let scheme = url.range(of: "://") else { return "git" }
        let rest = url[scheme.upperBound...]
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<hostEnd].lastIndex(of: "@") else { return "git" }
        return String(rest[..<at])
    }
}
