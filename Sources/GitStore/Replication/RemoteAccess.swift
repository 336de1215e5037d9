import CLibgit2
import Foundation

/// How scimgit reaches a git remote (a mirror, or the primary a replica follows): the
/// credentials it may offer and the ssh host key it trusts. Taken from the environment,
/// never from the URL's password part or the store, so no secret reaches a log line, a
/// commit or `.git/config`.
///
/// - https: `SCIMGIT_MIRROR_TOKEN` as the password; the user is the URL's (`https://oauth2@…`)
///   or `git`.
/// - ssh: the key file `SCIMGIT_MIRROR_SSH_KEY` (else ssh-agent), and the server's host key
///   pinned by `SCIMGIT_MIRROR_SSH_HOST_KEY` (`SHA256:…` as `ssh-keygen -lf` prints it):
///   libgit2 1.5 does not read `known_hosts`, so an ssh remote without a pinned key is refused.
/// - file paths and `git://`: nothing.
public struct RemoteAccess: Sendable {
    public var token: String?
    public var sshKey: String?
    public var sshHostKey: String?

    public init(token: String? = nil, sshKey: String? = nil, sshHostKey: String? = nil) {
        self.token = token
        self.sshKey = sshKey
        self.sshHostKey = sshHostKey
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> RemoteAccess {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        return RemoteAccess(token: value("SCIMGIT_MIRROR_TOKEN"), sshKey: value("SCIMGIT_MIRROR_SSH_KEY"), sshHostKey: value("SCIMGIT_MIRROR_SSH_HOST_KEY"))
    }

    /// `ssh://…` or scp-like `git@host:path`.
    static func isSSH(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("ssh://") || (!lower.contains("://") && url.contains(":") && !url.hasPrefix("/"))
    }

    /// Why `url` cannot be used, or nil. Checked at start so a typo fails `serve` at once.
    public static func problem(with url: String, access: RemoteAccess) -> String? {
        let lower = url.lowercased()
        if isSSH(url) {
            if access.sshHostKey == nil {
                return "an ssh remote needs its host key pinned: set SCIMGIT_MIRROR_SSH_HOST_KEY to the SHA256:… fingerprint `ssh-keygen -lf` prints for the server's key"
            }
            return nil
        }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("git://") || lower.hasPrefix("file://") || url.hasPrefix("/") {
            if let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"), at > scheme.upperBound,
               url[scheme.upperBound..<at].contains(":") {
                return "put no password in the URL (it would reach logs and process lists): give the token in SCIMGIT_MIRROR_TOKEN"
            }
            return nil
        }
        return "not a remote URL scimgit can reach: use file:///path, /path, git://, https:// or ssh://"
    }

    /// The URL without its user part, for logs: `https://gitlab.example.com/org/store.git`.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else {
            // scp-like `git@host:path`
            if let at = url.firstIndex(of: "@"), !url.hasPrefix("/") { return String(url[url.index(after: at)...]) }
            return url
        }
        let rest = url[scheme.upperBound...]
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<hostEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }
}

/// What the libgit2 callbacks of one fetch or push read and write (their `payload`).
final class RemoteCallbackState {
    let access: RemoteAccess
    var credentialAttempts = 0
    /// A ref the remote refused, and why (`non-fast-forward`…).
    var rejected: [(ref: String, status: String)] = []
    var hostKeyMismatch = false

    init(access: RemoteAccess) {
        self.access = access
    }

    /// Runs `body` with callbacks filled in for this state.
    func withCallbacks<T>(_ body: (inout git_remote_callbacks) throws -> T) rethrows -> T {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = remoteCredentials
        callbacks.certificate_check = remoteCertificateCheck
        callbacks.push_update_reference = remotePushUpdate
        return try withExtendedLifetime(self) {
            callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
            return try body(&callbacks)
        }
    }
}

private func state(_ payload: UnsafeMutableRawPointer?) -> RemoteCallbackState? {
    payload.map { Unmanaged<RemoteCallbackState>.fromOpaque($0).takeUnretainedValue() }
}

private let remoteCredentials: git_credential_acquire_cb = { out, _, usernameFromURL, allowed, payload in
    guard let out, let state = state(payload) else { return -1 }
    // Offered once: a refused credential would otherwise be offered forever.
    state.credentialAttempts += 1
    guard state.credentialAttempts == 1 else { return GIT_EAUTH.rawValue }
    let user = usernameFromURL.map { String(cString: $0) } ?? "git"
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let token = state.access.token {
        return git_credential_userpass_plaintext_new(out, user, token)
    }
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
        if let key = state.access.sshKey { return git_credential_ssh_key_new(out, user, nil, key, nil) }
        return git_credential_ssh_key_from_agent(out, user)
    }
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
        return git_credential_username_new(out, user)
    }
    return GIT_PASSTHROUGH.rawValue
}

private let remoteCertificateCheck: git_transport_certificate_check_cb = { cert, valid, _, payload in
    guard let cert, let state = state(payload) else { return -1 }
    guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
        // TLS: libgit2's own verification against the system's CAs decides.
        return GIT_PASSTHROUGH.rawValue
    }
    let hostkey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
    guard let pinned = state.access.sshHostKey, hostkey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 else {
        state.hostKeyMismatch = true
        return GIT_ECERTIFICATE.rawValue
    }
    let bytes = withUnsafeBytes(of: hostkey.hash_sha256) { Data($0) }
    var fingerprint = bytes.base64EncodedString()
    while fingerprint.hasSuffix("=") { fingerprint.removeLast() }
    var expected = pinned.hasPrefix("SHA256:") ? String(pinned.dropFirst(7)) : pinned
    while expected.hasSuffix("=") { expected.removeLast() }
    if fingerprint == expected { return 0 }
    state.hostKeyMismatch = true
    return GIT_ECERTIFICATE.rawValue
}

private let remotePushUpdate: git_push_update_reference_cb = { refname, status, payload in
    guard let state = state(payload) else { return 0 }
    if let status, let refname {
        state.rejected.append((String(cString: refname), String(cString: status)))
    }
    return 0
}
