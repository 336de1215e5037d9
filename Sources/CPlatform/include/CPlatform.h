#ifndef SCIMGIT_CPLATFORM_H
#define SCIMGIT_CPLATFORM_H

/* Linux calls Swift's Glibc module does not expose (they need _GNU_SOURCE or malloc.h),
   and the two zlib calls the pack writer needs. */

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

#endif
