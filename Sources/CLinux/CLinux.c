#define _GNU_SOURCE
#include <sys/socket.h>
#include "CLinux.h"

int dpb_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, length, flags);
}
