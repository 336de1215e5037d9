#define _GNU_SOURCE
#include <malloc.h>
#include <unistd.h>
#include "CPlatform.h"

int scimgit_syncfs(int fd) {
    return syncfs(fd);
}

int scimgit_malloc_trim(void) {
    return malloc_trim(0);
}
