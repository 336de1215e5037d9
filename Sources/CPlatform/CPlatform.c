#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>
#include "CPlatform.h"

int scimgit_syncfs(int fd) {
    return syncfs(fd);
}

int scimgit_malloc_trim(void) {
    return malloc_trim(0);
}

/* deflateBound's bound for a stream whose window or memory level is not zlib's default
   (scimgit_zlib_compress sizes both to the input). */
size_t scimgit_zlib_bound(size_t n) {
    return n + ((n + 7) >> 3) + ((n + 63) >> 6) + 5 + 6;
}

/* compress2 sizes zlib's window and hash table for inputs of 32 KB and more: about 270 KB
   allocated and a 64 KB table cleared per call, which for a user of 600 bytes costs more
   than compressing it (an import of a million users spent most of its compression time
   there). A window just larger than the input and a hash table to match give a stream of
   the same format (any inflater reads it, git and libgit2 included) for a few KB. */
int scimgit_zlib_compress(const uint8_t *in, size_t n, uint8_t *out, size_t *out_len, int level) {
    int bits = 9;
    while (bits < 15 && ((size_t)1 << bits) < n) bits++;
    int memory = bits - 6 < 8 ? bits - 6 : 8; /* hash table of 2^(memory + 7) heads */
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    int code = deflateInit2(&stream, level, Z_DEFLATED, bits, memory, Z_DEFAULT_STRATEGY);
    if (code != Z_OK) return code;
    stream.next_in = (Bytef *)in;
    stream.avail_in = (uInt)n;
    stream.next_out = out;
    stream.avail_out = (uInt)*out_len;
    code = deflate(&stream, Z_FINISH);
    *out_len = (size_t)stream.total_out;
    deflateEnd(&stream);
    if (code == Z_STREAM_END) return 0;
    return code == Z_OK ? Z_BUF_ERROR : code;
}

uint32_t scimgit_crc32(uint32_t crc, const uint8_t *bytes, size_t n) {
    return (uint32_t)crc32((uLong)crc, bytes, (uInt)n);
}

/* 1: openat2 works here; 0: not yet known; -1: the kernel (or a seccomp filter) lacks it. */
static int openat2_state = 0;

/* The same rules as openat2's RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, one component at a
   time: every folder on the way is opened with O_NOFOLLOW, and ".." or an absolute path is
   refused outright (ids never contain either). */
static int open_beneath_by_walking(int dirfd, const char *path, int flags, mode_t mode) {
    if (path[0] == '/' || path[0] == '\0') { errno = EXDEV; return -1; }
    size_t length = strlen(path);
    char *copy = malloc(length + 1);
    if (copy == NULL) { errno = ENOMEM; return -1; }
    memcpy(copy, path, length + 1);
    int current = dirfd;
    char *component = copy;
    int result = -1;
    for (;;) {
        char *slash = strchr(component, '/');
        if (slash != NULL) *slash = '\0';
        if (strcmp(component, "..") == 0) { errno = EXDEV; break; }
        if (slash == NULL) {
            result = openat(current, component, flags | O_NOFOLLOW | O_CLOEXEC, mode);
            break;
        }
        if (component[0] != '\0' && strcmp(component, ".") != 0) {
            int next = openat(current, component, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (next < 0) {
                /* A symbolic link on the way says ELOOP, as openat2 does. */
                struct stat info;
                if (errno == ENOTDIR && fstatat(current, component, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode)) errno = ELOOP;
                break;
            }
            if (current != dirfd) close(current);
            current = next;
        }
        component = slash + 1;
    }
    int saved = errno;
    if (current != dirfd) close(current);
    free(copy);
    errno = saved;
    return result;
}

int scimgit_open_beneath(int dirfd, const char *path, int flags, unsigned int mode) {
    if (openat2_state >= 0) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC);
        how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) { openat2_state = 1; return (int)fd; }
        if (!(errno == ENOSYS || (openat2_state == 0 && (errno == EPERM || errno == E2BIG)))) return -1;
        openat2_state = -1;
    }
    return open_beneath_by_walking(dirfd, path, flags, (mode_t)mode);
}

const int scimgit_o_path = O_PATH;
