import CLibgit2

/// libgit2 wants `git_libgit2_init` and its global options set once, before any thread
/// uses it. Every entry point of the module goes through `Libgit2Runtime.start()`.
enum Libgit2Runtime {
    private static let started: Bool = {
        git_libgit2_init()
        // We create every tree and commit ourselves from ids we just wrote; re-checking that
        // each referenced object exists costs a lookup per object and buys nothing here.
        _ = scimgit_opts_set_int(Int32(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION.rawValue), 0)
        // Durability is handled by GitStore itself (one syncfs per batch), not by libgit2's
        // per-file fsyncs: see `Durability`.
        _ = scimgit_opts_set_int(Int32(GIT_OPT_ENABLE_FSYNC_GITDIR.rawValue), 0)
        // Stores are created by this process's user; a git of another user in CI must not
        // make libgit2 refuse them.
        _ = scimgit_opts_set_int(Int32(GIT_OPT_SET_OWNER_VALIDATION.rawValue), 0)
        // Trees of a large store (256 entries per folder, ~8 KB) exceed libgit2's default
        // 4 KB cache limit: every commit would read and inflate them again.
        _ = scimgit_opts_set_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        _ = scimgit_opts_set_cache_object_limit(GIT_OBJECT_COMMIT, 64 << 10)
        // The default cache may grow to 256 MB per repository handle; the trees a commit
        // touches (root, Users, Users/ab, …) are a few MB even at a million users.
        _ = scimgit_opts_set_size(Int32(GIT_OPT_SET_CACHE_MAX_SIZE.rawValue), 32 << 20)
        return true
    }()

    static func start() {
        _ = started
    }
}
