#define _GNU_SOURCE
#include <malloc.h>
#include <sys/random.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include "CLinux.h"

int dpb_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, length, flags);
}

int dpb_mallopt_arena_max(int count) {
    return mallopt(M_ARENA_MAX, count);
}

int dpb_malloc_trim(void) {
    return malloc_trim(0);
}

long dpb_getrandom(void *buffer, unsigned long length) {
    return (long)getrandom(buffer, length, 0);
}

int dpb_name_this_thread(const char *name) {
    char shortened[16];
    strncpy(shortened, name, sizeof shortened - 1);
    shortened[sizeof shortened - 1] = 0;
    return pthread_setname_np(pthread_self(), shortened);
}
