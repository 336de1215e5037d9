/*
 * The write ceiling: one-file commits with libgit2 directly, the fastest way libgit2 1.5
 * allows (see ../shared/docs/libgit2-notes.md): working-tree file by temp + rename, blob,
 * git_tree_create_updated from the parent tree, git_commit_create moving HEAD, the file
 * added to an in-memory index with its stat data, the index written once at the end.
 *
 *   commit_loop STORE FILES COMMITS fsync|nofsync
 *
 * Creates STORE with FILES user files in the two-level fan-out layout
 * (Users/ab/cd/<id>.json) unless it exists already, then times COMMITS one-file commits
 * (half new files, half changes to existing ones). With "fsync", libgit2 fsyncs objects and refs
 * (GIT_OPT_ENABLE_FSYNC_GITDIR) and the working-tree file is fsynced too.
 * Prints "commits_per_second=<n>".
 */
#include <git2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void check(int code, const char *what) {
    if (code < 0) {
        const git_error *e = git_error_last();
        fprintf(stderr, "%s: %s\n", what, e ? e->message : "?");
        exit(1);
    }
}

static double now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

/* A deterministic pseudo-UUID for file number n. */
static void make_id(unsigned n, unsigned salt, char out[37]) {
    unsigned long long a = (n + 1) * 0x9E3779B97F4A7C15ULL ^ salt, b = a * 0xBF58476D1CE4E5B9ULL;
    snprintf(out, 37, "%08llx-%04llx-4%03llx-8%03llx-%012llx",
             a >> 32, (a >> 16) & 0xffff, a & 0xfff, (b >> 52) & 0xfff, b & 0xffffffffffffULL);
}

static void make_path(const char *id, char *out, size_t size) {
    snprintf(out, size, "Users/%.2s/%.2s/%s.json", id, id + 2, id);
}

static int make_body(const char *id, unsigned version, char *out, size_t size) {
    return snprintf(out, size,
        "{\n  \"active\": true,\n  \"emails\": [\n    {\n      \"primary\": true,\n      \"type\": \"work\",\n"
        "      \"value\": \"user.%s@example.com\"\n    }\n  ],\n  \"externalId\": \"00u%u\",\n  \"id\": \"%s\",\n"
        "  \"meta\": {\n    \"created\": \"2026-11-29T00:00:00Z\",\n    \"lastModified\": \"2026-11-29T00:00:%02uZ\",\n"
        "    \"resourceType\": \"User\"\n  },\n  \"name\": {\n    \"familyName\": \"User\",\n    \"givenName\": \"Test\"\n  },\n"
        "  \"schemas\": [\n    \"urn:ietf:params:scim:schemas:core:2.0:User\"\n  ],\n  \"userName\": \"user.%s@example.com\"\n}\n",
        id, version, id, version % 60, id);
}

static void mkdirs(const char *root, const char *path) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", root, path);
    for (char *p = buf + strlen(root) + 1; *p; p++) {
        if (*p == '/') { *p = 0; mkdir(buf, 0755); *p = '/'; }
    }
}

static void write_file(const char *root, const char *path, const char *data, int len, int do_fsync, struct stat *st) {
    char full[4096], tmp[4200];
    mkdirs(root, path);
    snprintf(full, sizeof full, "%s/%s", root, path);
    snprintf(tmp, sizeof tmp, "%s.tmp", full);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, len) != len) { perror(tmp); exit(1); }
    if (do_fsync) fsync(fd);
    close(fd);
    if (rename(tmp, full) != 0) { perror(full); exit(1); }
    lstat(full, st);
}

static void index_add(git_index *index, const char *path, const git_oid *id, const struct stat *st) {
    git_index_entry e;
    memset(&e, 0, sizeof e);
    e.ctime.seconds = st->st_ctim.tv_sec; e.ctime.nanoseconds = st->st_ctim.tv_nsec;
    e.mtime.seconds = st->st_mtim.tv_sec; e.mtime.nanoseconds = st->st_mtim.tv_nsec;
    e.dev = st->st_dev; e.ino = st->st_ino; e.mode = GIT_FILEMODE_BLOB;
    e.uid = st->st_uid; e.gid = st->st_gid; e.file_size = st->st_size;
    e.id = *id; e.path = path;
    check(git_index_add(index, &e), "index add");
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s STORE FILES COMMITS fsync|nofsync\n", argv[0]); return 2; }
    const char *root = argv[1];
    unsigned files = atoi(argv[2]), commits = atoi(argv[3]);
    int do_fsync = strcmp(argv[4], "fsync") == 0;
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, do_fsync);

    git_repository *repo;
    git_oid commit_id;
    int reuse = git_repository_open(&repo, root) == 0;
    if (!reuse) {
        git_repository_init_options init = GIT_REPOSITORY_INIT_OPTIONS_INIT;
        init.flags = GIT_REPOSITORY_INIT_MKPATH;
        init.initial_head = "main";
        check(git_repository_init_ext(&repo, root, &init), "init");
    } else {
        check(git_reference_name_to_id(&commit_id, repo, "HEAD"), "HEAD");
    }
    git_index *index;
    check(git_repository_index(&index, repo), "index");
    git_signature *sig;
    check(git_signature_now(&sig, "bench", "bench@localhost"), "signature");
    if (reuse) files = 0;

    /* Seed: FILES files in one commit. */
    git_tree_update *updates = calloc(files ? files : 1, sizeof *updates);
    char (*paths)[64] = calloc(files ? files : 1, 64);
    char body[2048];
    if (files > 0) {
    for (unsigned n = 0; n < files; n++) {
        char id[37];
        make_id(n, 0, id);
        make_path(id, paths[n], 64);
        int len = make_body(id, 0, body, sizeof body);
        struct stat st;
        write_file(root, paths[n], body, len, 0, &st);
        git_oid blob;
        check(git_blob_create_from_buffer(&blob, repo, body, len), "seed blob");
        index_add(index, paths[n], &blob, &st);
        updates[n].action = GIT_TREE_UPDATE_UPSERT;
        updates[n].id = blob;
        updates[n].filemode = GIT_FILEMODE_BLOB;
        updates[n].path = paths[n];
    }
    git_treebuilder *tb;
    git_oid empty, tree_id;
    check(git_treebuilder_new(&tb, repo, NULL), "treebuilder");
    check(git_treebuilder_write(&empty, tb), "empty tree");
    git_treebuilder_free(tb);
    git_tree *base;
    check(git_tree_lookup(&base, repo, &empty), "lookup empty");
    check(git_tree_create_updated(&tree_id, repo, base, files, updates), "seed tree");
    git_tree_free(base);
    git_tree *tree;
    check(git_tree_lookup(&tree, repo, &tree_id), "lookup tree");
    check(git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, "seed", tree, 0, NULL), "seed commit");
    git_tree_free(tree);
    check(git_index_write(index), "write index");
    }

    /* The timed loop, once the seed is on disk. */
    sync();
    double start = now();
    for (unsigned c = 0; c < commits; c++) {
        char id[37], path[64];
        /* Even commits create a new file, odd ones change an existing one. */
        if (c % 2 == 0) make_id(c + (unsigned)time(NULL) * 7919u, 0xabcdef, id); else make_id(c % 10000, 0, id);
        make_path(id, path, sizeof path);
        int len = make_body(id, c + 1, body, sizeof body);
        struct stat st;
        write_file(root, path, body, len, do_fsync, &st);
        git_oid blob, new_tree;
        check(git_blob_create_from_buffer(&blob, repo, body, len), "blob");
        git_commit *parent;
        check(git_commit_lookup(&parent, repo, &commit_id), "parent");
        git_tree *parent_tree;
        check(git_commit_tree(&parent_tree, parent), "parent tree");
        git_tree_update u = { GIT_TREE_UPDATE_UPSERT, blob, GIT_FILEMODE_BLOB, path };
        check(git_tree_create_updated(&new_tree, repo, parent_tree, 1, &u), "tree");
        git_tree *t;
        check(git_tree_lookup(&t, repo, &new_tree), "lookup");
        const git_commit *parents[] = { parent };
        check(git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, "one-file commit", t, 1, parents), "commit");
        index_add(index, path, &blob, &st);
        git_tree_free(t);
        git_tree_free(parent_tree);
        git_commit_free(parent);
    }
    double elapsed = now() - start;
    check(git_index_write(index), "write index");
    printf("commits_per_second=%.1f\n", commits / elapsed);
    git_index_free(index);
    git_signature_free(sig);
    git_repository_free(repo);
    free(updates);
    free(paths);
    git_libgit2_shutdown();
    return 0;
}
