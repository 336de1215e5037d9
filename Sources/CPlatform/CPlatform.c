#define _GNU_SOURCE
#include <malloc.h>
#include <unistd.h>
#include <zlib.h>
#include "CPlatform.h"

int scimgit_syncfs(int fd) {
    return syncfs(fd);
}

int scimgit_malloc_trim(void) {
    return malloc_trim(0);
}

size_t scimgit_zlib_bound(size_t n) {
    return compressBound((uLong)n);
}

int scimgit_zlib_compress(const uint8_t *in, size_t n, uint8_t *out, size_t *out_len, int level) {
    uLongf length = (uLongf)*out_len;
    int code = compress2(out, &length, in, (uLong)n, level);
    *out_len = (size_t)length;
    return code == Z_OK ? 0 : code;
}

uint32_t scimgit_crc32(uint32_t crc, const uint8_t *bytes, size_t n) {
    return (uint32_t)crc32((uLong)crc, bytes, (uInt)n);
}
