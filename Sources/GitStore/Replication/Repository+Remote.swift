import CLibgit2
#if canImport(Glibc)
import Glibc
#endif

/// A push the remote refused for a ref: it holds commits this store lacks (someone wrote
/// to it), so it is never overwritten.
struct PushRejected: Error, CustomStringConvertible {
    var refs: [(ref: String, status: String)]
    var description: String {
        "the remote refused " + refs.map { "\($0.ref) (\($0.status))" }.joined(separator: ", ") + ": it has commits this store lacks"
    }
}

extension Repository {
    /// Pushes `refspecs` (never forced) to `url`. Throws `PushRejected` for a ref the remote
    /// refused as not a fast-forward; other failures (unreachable, refused credentials) as
    /// `GitStoreError`.
    func push(to url: String, refspecs: [String], access: RemoteAccess) throws {
        let (code, state) = try withRemote(url, access: access) { remote, callbacks in
            var options = git_push_options()
            git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
            options.callbacks = callbacks
            return withStringArray(refspecs) { array in git_remote_push(remote, &array, &options) }
        }
        if code == GIT_ENONFASTFORWARD.rawValue || (code < 0 && lastErrorMessage.contains("non-fastforwardable")) {
            throw PushRejected(refs: refspecs.map { ($0, "non-fast-forward") })
        }
        try check(code, state, "push to \(RemoteAccess.redacted(url))")
        if !state.rejected.isEmpty { throw PushRejected(refs: state.rejected) }
    }

    /// Fetches `refspecs` from `url` into this repository's objects and refs, removing the
    /// local refs under a refspec's destination whose source the remote no longer has (a
    /// snapshot deleted on the primary leaves the replica too).
    func fetch(from url: String, refspecs: [String], access: RemoteAccess) throws {
        let (code, state) = try withRemote(url, access: access) { remote, callbacks in
            var options = git_fetch_options()
            git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
            options.callbacks = callbacks
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            options.prune = GIT_FETCH_PRUNE
            return withStringArray(refspecs) { array in git_remote_fetch(remote, &array, &options, "scimgit: follow") }
        }
        try check(code, state, "fetch from \(RemoteAccess.redacted(url))")
    }

    /// Runs `body` on a remote made for `url` alone (nothing is written to the config) with
    /// scimgit's credential, host-key and push-status callbacks.
    private func withRemote(_ url: String, access: RemoteAccess, _ body: (OpaquePointer?, git_remote_callbacks) -> Int32) throws -> (Int32, RemoteCallbackState) {
        var remote: OpaquePointer?
        try gitCheck(git_remote_create_anonymous(&remote, pointer, url), "reach \(RemoteAccess.redacted(url))")
        defer { git_remote_free(remote) }
        let state = RemoteCallbackState(access: access)
        let code = state.withCallbacks { callbacks in body(remote, callbacks) }
        return (code, state)
    }

    /// A pinned host key that did not match is named as such, not as libgit2's generic
    /// certificate error.
    private func check(_ code: Int32, _ state: RemoteCallbackState, _ operation: String) throws {
        if state.hostKeyMismatch { throw GitStoreError.libgit2(operation: operation, code: code, message: "the ssh host key is not the pinned one (SCIMGIT_MIRROR_SSH_HOST_KEY)") }
        try gitCheck(code, operation)
    }

    /// The id a reference points at, nil when there is none.
    func referenceTarget(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try gitCheck(code, "resolve \(name)")
        return ObjectID(oid)
    }

    /// Points `name` at `target` (created or moved).
    func setReference(_ name: String, to target: ObjectID, message: String) throws {
        var oid = target.oid
        var reference: OpaquePointer?
        try gitCheck(git_reference_create(&reference, pointer, name, &oid, 1, message), "move \(name)")
        git_reference_free(reference)
    }

    func deleteReference(_ name: String) throws {
        var reference: OpaquePointer?
        let code = git_reference_lookup(&reference, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return }
        try gitCheck(code, "look up \(name)")
        defer { git_reference_free(reference) }
        try gitCheck(git_reference_delete(reference), "delete \(name)")
    }

    /// Names of the references under `prefix` (`refs/tags/`) and what they point at.
    func references(under prefix: String) throws -> [String: ObjectID] {
        var iterator: OpaquePointer?
        try gitCheck(git_reference_iterator_glob_new(&iterator, pointer, prefix + "*"), "list \(prefix)")
        defer { git_reference_iterator_free(iterator) }
        var found: [String: ObjectID] = [:]
        var name: UnsafePointer<CChar>?
        while git_reference_next_name(&name, iterator) == 0, let name {
            let text = String(cString: name)
            if let target = try referenceTarget(text) { found[text] = target }
        }
        return found
    }

    /// Commits in `local` not in `upstream` (nil upstream: all of them).
    func commitsAhead(_ local: ObjectID, of upstream: ObjectID?) throws -> Int {
        var localOID = local.oid
        guard var upstreamOID = upstream?.oid else {
            var walk: OpaquePointer?
            try gitCheck(git_revwalk_new(&walk, pointer), "walk history")
            defer { git_revwalk_free(walk) }
            try gitCheck(git_revwalk_push(walk, &localOID), "walk history")
            var count = 0
            var next = git_oid()
            while git_revwalk_next(&next, walk) == 0 { count += 1 }
            return count
        }
        var ahead = 0, behind = 0
        try gitCheck(git_graph_ahead_behind(&ahead, &behind, pointer, &localOID, &upstreamOID), "compare histories")
        return ahead
    }

    func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        if commit == ancestor { return true }
        var commitOID = commit.oid, ancestorOID = ancestor.oid
        return try gitCheck(git_graph_descendant_of(pointer, &commitOID, &ancestorOID), "compare histories") == 1
    }

    private var lastErrorMessage: String {
        git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? ""
    }
}

/// `git_strarray` over Swift strings, valid while `body` runs.
func withStringArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) rethrows -> T {
    var pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}
