#ifndef SCIMGIT_CPLATFORM_H
#define SCIMGIT_CPLATFORM_H

/* Linux calls Swift's Glibc module does not expose (they need _GNU_SOURCE, malloc.h or a
   raw system call), and the two zlib calls the pack writer needs. */

#include <stddef.h>
#include <stdint.h>

/* Flushes the file system holding fd (one call for a whole batch of files). */
int scimgit_syncfs(int fd);

/* Returns freed heap memory to the system (after building large, short-lived data). */
int scimgit_malloc_trim(void);

/* Upper bound of zlib's output for n input bytes. */
size_t scimgit_zlib_bound(size_t n);

/* Compresses in[0..<n] as one zlib stream (what git stores in a pack) into out, at most
   *out_len bytes; sets *out_len to the bytes written. Returns 0 on success. */
int scimgit_zlib_compress(const uint8_t *in, size_t n, uint8_t *out, size_t *out_len, int level);

/* Continues a CRC-32 (start with 0) over n bytes. */
uint32_t scimgit_crc32(uint32_t crc, const uint8_t *bytes, size_t n);

/* openat(dirfd, path, flags, mode) that never follows a symbolic link, in any component
   of path, and never leaves dirfd: openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or
   the same rules one component at a time where the kernel lacks openat2. A link on the
   way fails with ELOOP. O_NOFOLLOW and O_CLOEXEC are always added. */
int scimgit_open_beneath(int dirfd, const char *path, int flags, unsigned int mode);

/* O_PATH (Glibc's Swift module hides it behind _GNU_SOURCE): a descriptor that names a
   folder for the *at calls without opening it for reading. */
extern const int scimgit_o_path;

#endif
