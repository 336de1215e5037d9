#ifndef SCIMGIT_CLIBGIT2_SHIM_H
#define SCIMGIT_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option signature. */
static inline int scimgit_opts_set_int(int option, int value) {
    return git_libgit2_opts(option, value);
}

static inline int scimgit_opts_set_size(int option, size_t value) {
    return git_libgit2_opts(option, value);
}

static inline int scimgit_opts_set_cache_object_limit(git_object_t type, size_t limit) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, limit);
}

static inline int scimgit_opts_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

#endif
