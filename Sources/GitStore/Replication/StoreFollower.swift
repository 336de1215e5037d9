import CLibgit2
import Foundation
import Logging
import Synchronization

/// Makes this store a read replica of a remote (`serve --replica-of URL`): fetches the
/// remote's branch and tags every `interval` and fast-forwards HEAD to it; the server
/// owning the working tree follows the move as it follows a rollback made beside it
/// (files, indexes, caches). Stops when the store is promoted (`scimgit promote` removes
/// `scimgit.replicaof` from its config) or when the remote's history no longer contains
/// this store's HEAD (it diverged: nothing is overwritten).
public final class StoreFollower: Sendable {
    /// The config key naming what a replica follows; its absence ends following.
    public static let configKey = "scimgit.replicaof"
    /// Set by `promote`: such a store refuses to become a replica again by accident.
    public static let promotedKey = "scimgit.promoted"
    /// Where fetched commits land before HEAD moves to them.
    static let upstreamReference = "refs/scimgit/upstream"

    public struct Status: Sendable {
        public var remote: String
        /// The last fetch that succeeded (HEAD is as new as the remote was then).
        public var lastFetch: Date?
        public var failures = 0
        public var lastError: String?
        /// Why following stopped for good (diverged), nil while it runs or once promoted.
        public var stopped: String?
        public var promoted = false
    }

    private let store: GitStore
    private let url: String
    private let interval: TimeInterval
    private let access: RemoteAccess
    private let logger: Logger
    private let state: Mutex<Status>
    private let loop = BackgroundLoop(name: "scimgit-follower")
    private let onPromoted: @Sendable () -> Void

    /// `onPromoted`: called once, when following ends because the store was promoted.
    public init(store: GitStore, url: String, interval: TimeInterval, access: RemoteAccess, logger: Logger, onPromoted: @escaping @Sendable () -> Void = {}) {
        self.onPromoted = onPromoted
        self.store = store
        self.url = url
        self.interval = interval
        self.access = access
        self.logger = logger
        state = Mutex(Status(remote: RemoteAccess.redacted(url)))
    }

    public var status: Status { state.withLock { $0 } }

    /// Fills an empty folder with a clone of `url` (its branch, checked out), before the
    /// store is opened; a folder holding anything is left alone.
    public static func cloneIfEmpty(_ url: String, into path: String, branch: String = "main", access: RemoteAccess) throws -> Bool {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard contents.isEmpty else { return false }
        Libgit2Runtime.start()
        let callbackState = RemoteCallbackState(access: access)
        var code: Int32 = 0
        var out: OpaquePointer?
        callbackState.withCallbacks { callbacks in
            var options = git_clone_options()
            git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION))
            options.fetch_opts.callbacks = callbacks
            code = branch.withCString { name in
                options.checkout_branch = name
                return git_clone(&out, url, path, &options)
            }
        }
        if let out { git_repository_free(out) }
        do {
            _ = try gitCheck(code, "clone \(RemoteAccess.redacted(url))")
        } catch {
            // Most often a bare remote made with git's default branch: its HEAD names
            // `master`, which scimgit never pushes.
            throw GitStoreError.notFound("cannot clone \(RemoteAccess.redacted(url)) (\(error)); if it is a mirror, its HEAD must name main: git -C <remote> symbolic-ref HEAD refs/heads/\(branch)")
        }
        return true
    }

    public func start() {
        loop.start { [self] in run() }
    }

    public func stop() {
        loop.stop()
    }

    private func run() {
        let repository: Repository
        do {
            repository = try Repository(path: store.gitDirectory)
        } catch {
            state.withLock { $0.stopped = "cannot open the store: \(error)" }
            return
        }
        var lastFailureLogged: Date?
        while !loop.stopping {
            if (try? store.configString(StoreFollower.configKey)) == nil {
                state.withLock { $0.promoted = true }
                onPromoted()
                logger.notice("promoted: no longer following \(RemoteAccess.redacted(url)); HEAD is \(store.head?.short ?? "nothing") and writes are taken")
                return
            }
            do {
                try repository.fetch(from: url, refspecs: [
                    "+\(store.branchReference):\(StoreFollower.upstreamReference)", "+refs/tags/*:refs/tags/*",
                ], access: access)
                if let upstream = try repository.referenceTarget(StoreFollower.upstreamReference) {
                    try store.fastForward(to: upstream, requiring: StoreFollower.configKey)
                }
                state.withLock { $0.lastFetch = Date(); $0.lastError = nil }
                if lastFailureLogged != nil {
                    logger.notice("replica: following \(RemoteAccess.redacted(url)) again")
                    lastFailureLogged = nil
                }
            } catch let diverged as HistoriesDiverged {
                let reason = "\(diverged); this replica stopped following \(RemoteAccess.redacted(url)) and overwrote nothing (rebuild it from an empty folder)"
                state.withLock { $0.stopped = reason; $0.lastError = reason }
                logger.error("replica: \(reason)")
                return
            } catch {
                state.withLock { $0.failures += 1; $0.lastError = "\(error)" }
                if lastFailureLogged.map({ Date().timeIntervalSince($0) >= 60 }) ?? true {
                    logger.warning("replica: cannot fetch from \(RemoteAccess.redacted(url)) (reads go on, from what was fetched): \(error)")
                    lastFailureLogged = Date()
                }
            }
            loop.sleep(interval)
        }
    }
}
