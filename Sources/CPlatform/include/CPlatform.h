#ifndef SCIMGIT_CPLATFORM_H
#define SCIMGIT_CPLATFORM_H

/* Linux calls Swift's Glibc module does not expose (they need _GNU_SOURCE or malloc.h). */

/* Flushes the file system holding fd (one call for a whole batch of files). */
int scimgit_syncfs(int fd);

/* Returns freed heap memory to the system (after building large, short-lived data). */
int scimgit_malloc_trim(void);

#endif
