#ifndef DPBRIDGE_CLINUX_H
#define DPBRIDGE_CLINUX_H

/* Linux-only interfaces that Swift's Glibc module does not export: epoll and eventfd
   (used by the HTTP1 module's event loop), inotify (the scheduler's file-write watch), accept4, mallopt, malloc_trim, getrandom, pthread_setname_np. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

/* accept4(2) is a GNU extension that the Glibc module hides. (sys/socket.h is not
   included here so that its declarations keep coming from the Glibc module.) */
struct sockaddr;
int dpb_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags);

/* epoll_event is packed on x86_64; these accessors avoid relying on how Swift imports it. */
static inline void dpb_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t data) {
    event->events = events;
    event->data.u64 = data;
}
static inline uint64_t dpb_epoll_event_data(const struct epoll_event *event) { return event->data.u64; }
static inline uint32_t dpb_epoll_event_events(const struct epoll_event *event) { return event->events; }

/* mallopt(M_ARENA_MAX, count): malloc.h is not included here, so that malloc and free
   keep coming from the Glibc module. Used by the daemon's main. */
int dpb_mallopt_arena_max(int count);

/* malloc_trim(0): gives the free pages of every arena back to the kernel, those inside the
   heap too, not only its top. Returns 1 when memory was released. Used by the daemon after
   it closes idle connections. */
int dpb_malloc_trim(void);

/* getrandom(2) with no flags: bytes from the kernel's CSPRNG (blocks only until it is
   seeded at boot). Returns the count filled, or -1 with errno. Used by `dpbridge init`. */
long dpb_getrandom(void *buffer, unsigned long length);

/* pthread_setname_np(3), a GNU extension: names the calling thread (at most 15 bytes)
   for ps, top and gdb. Used by the work pools' threads. */
int dpb_name_this_thread(const char *name);

#endif
