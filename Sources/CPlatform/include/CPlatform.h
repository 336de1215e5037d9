#ifndef SCIMGIT_CPLATFORM_H
#define SCIMGIT_CPLATFORM_H

/* Linux calls Swift's Glibc module does not expose (they need _GNU_SOURCE). */
int scimgit_syncfs(int fd);

#endif
