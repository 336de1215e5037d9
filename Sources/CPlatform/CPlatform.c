#define _GNU_SOURCE
#include <unistd.h>
#include "CPlatform.h"

int scimgit_syncfs(int fd) {
    return syncfs(fd);
}
