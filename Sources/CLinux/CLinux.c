#define _GNU_SOURCE
#include <malloc.h>
#include <sys/random.h>
#include <sys/socket.h>
#include "CLinux.h"

int dpb_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, length, flags);
}

int dpb_mallopt_arena_max(int count) {
    return mallopt(M_ARENA_MAX, count);
}

long dpb_getrandom(void *buffer, unsigned long length) {
    return (long)getrandom(buffer, length, 0);
}
