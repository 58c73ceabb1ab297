/*
 * A paced HTTP/1.1 load generator for scripts/bench-e2e.sh: POSTs prepared bodies to one
 * path on 127.0.0.1 at a fixed rate over keep-alive connections, and records each answer.
 * The Python generator it replaces spent ~200 µs of CPU a request and could not offer
 * 5,000 callbacks a second on 2 cores beside the daemon; this one spends a few µs.
 *
 *   loadgen PORT PATH RATE CONNECTIONS BODIES RESULTS
 *
 * BODIES: the bodies, each as a 4-byte little-endian length and its bytes, sent in order;
 * request i is due at start + i / RATE. When every connection is waiting for an answer, the
 * next request waits too (and is late). RESULTS gets one line a request:
 * "index status answer_us late_us sent_at_us" (status 0: no answer; times in µs, sent_at
 * from the start). Prints "sent N answered N failed N" at the end. Exits 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct body { const char *bytes; uint32_t length; };

struct connection {
    int fd;
    long request;       /* index in flight, -1 when idle */
    double sent_at;
    char *out;          /* request being written */
    size_t out_length, out_done;
    char in[16384];
    size_t in_length;
};

struct result { int status; double answer, late, sent_at; };

static double now_seconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time.tv_sec + time.tv_nsec / 1e9;
}

static int port;
static int epoll_fd;

static int open_connection(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void watch(struct connection *connection, uint32_t events, int op) {
    struct epoll_event event = {.events = events, .data.ptr = connection};
    epoll_ctl(epoll_fd, op, connection->fd, &event);
}

/* Drops the connection (its request, if any, failed) and opens a new one. */
static void reopen(struct connection *connection) {
    if (connection->fd >= 0) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, NULL);
        close(connection->fd);
    }
    connection->fd = open_connection();
    connection->request = -1;
    connection->in_length = 0;
    if (connection->fd >= 0) watch(connection, EPOLLIN, EPOLL_CTL_ADD);
}

/* The status of a complete answer in the buffer and its length, or 0 while incomplete. */
static size_t complete_answer(struct connection *connection, int *status) {
    connection->in[connection->in_length] = 0;
    char *end = strstr(connection->in, "\r\n\r\n");
    if (!end) return 0;
    size_t header_length = (size_t)(end - connection->in) + 4;
    long content_length = 0;
    for (char *line = strstr(connection->in, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Content-Length:", 15) == 0) content_length = strtol(line + 17, NULL, 10);
    }
    if (connection->in_length < header_length + (size_t)content_length) return 0;
    *status = (int)strtol(connection->in + 9, NULL, 10);
    return header_length + (size_t)content_length;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: loadgen PORT PATH RATE CONNECTIONS BODIES RESULTS\n");
        return 2;
    }
    port = atoi(argv[1]);
    const char *path = argv[2];
    double rate = atof(argv[3]);
    int connection_count = atoi(argv[4]);
    if (port <= 0 || rate <= 0 || connection_count <= 0) {
        fprintf(stderr, "loadgen: PORT, RATE and CONNECTIONS must be positive\n");
        return 2;
    }

    FILE *file = fopen(argv[5], "rb");
    if (!file) { perror(argv[5]); return 2; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *all = malloc((size_t)size + 1);
    if (fread(all, 1, (size_t)size, file) != (size_t)size) { perror(argv[5]); return 2; }
    fclose(file);
    long count = 0, capacity = 1024;
    struct body *bodies = malloc(sizeof *bodies * capacity);
    for (long offset = 0; offset + 4 <= size;) {
        uint32_t length;
        memcpy(&length, all + offset, 4);
        if (offset + 4 + (long)length > size) { fprintf(stderr, "loadgen: truncated bodies file\n"); return 2; }
        if (count == capacity) bodies = realloc(bodies, sizeof *bodies * (capacity *= 2));
        bodies[count++] = (struct body){all + offset + 4, length};
        offset += 4 + length;
    }

    epoll_fd = epoll_create1(0);
    struct connection *connections = calloc((size_t)connection_count, sizeof *connections);
    struct connection **idle = malloc(sizeof *idle * connection_count);
    int idle_count = 0;
    for (int k = 0; k < connection_count; k++) {
        connections[k].fd = -1;
        connections[k].out = malloc(1024 + 65536);
        reopen(&connections[k]);
        if (connections[k].fd < 0) { fprintf(stderr, "loadgen: cannot connect to port %d\n", port); return 1; }
        idle[idle_count++] = &connections[k];
    }
    struct result *results = calloc((size_t)count, sizeof *results);
    long next = 0, finished = 0, answered = 0;
    double start = now_seconds() + 0.01;
    struct epoll_event events[256];

    while (finished < count) {
        double now = now_seconds();
        /* Send every request that is due, while a connection is free. */
        while (next < count && idle_count > 0 && start + next / rate <= now) {
            struct connection *connection = idle[--idle_count];
            struct body body = bodies[next];
            int header = snprintf(connection->out, 1024,
                                  "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %u\r\n\r\n", path, body.length);
            if (body.length > 65536) { fprintf(stderr, "loadgen: a body is over 64 KiB\n"); return 2; }
            memcpy(connection->out + header, body.bytes, body.length);
            connection->out_length = (size_t)header + body.length;
            connection->out_done = 0;
            connection->request = next;
            connection->sent_at = now;
            results[next].late = now - (start + next / rate);
            results[next].sent_at = now - start;
            next++;
            ssize_t written = send(connection->fd, connection->out, connection->out_length, MSG_NOSIGNAL);
            if (written < 0 && errno != EAGAIN) written = 0;
            connection->out_done = written > 0 ? (size_t)written : 0;
            if (connection->out_done < connection->out_length) watch(connection, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
        }
        int timeout = 100;
        if (next < count && idle_count > 0) {
            double wait = start + next / rate - now_seconds();
            timeout = wait <= 0 ? 0 : (int)(wait * 1000) + 1;
        }
        int ready = epoll_wait(epoll_fd, events, 256, timeout);
        now = now_seconds();
        for (int e = 0; e < ready; e++) {
            struct connection *connection = events[e].data.ptr;
            if (events[e].events & EPOLLOUT && connection->out_done < connection->out_length) {
                ssize_t written = send(connection->fd, connection->out + connection->out_done,
                                       connection->out_length - connection->out_done, MSG_NOSIGNAL);
                if (written > 0) connection->out_done += (size_t)written;
                if (connection->out_done == connection->out_length) watch(connection, EPOLLIN, EPOLL_CTL_MOD);
            }
            if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            ssize_t got = recv(connection->fd, connection->in + connection->in_length,
                               sizeof connection->in - 1 - connection->in_length, 0);
            int status = 0;
            size_t used = 0;
            if (got > 0) {
                connection->in_length += (size_t)got;
                used = complete_answer(connection, &status);
                if (used == 0 && connection->in_length < sizeof connection->in - 1) continue;
            } else if (got < 0 && errno == EAGAIN) {
                continue;
            }
            /* An answer, or the connection failed (closed, error, an answer too long). */
            int busy = connection->request >= 0;
            if (busy) {
                struct result *result = &results[connection->request];
                result->status = status;
                result->answer = now - connection->sent_at;
                finished++;
                if (status) answered++;
            }
            if (used > 0 && used == connection->in_length) {
                connection->in_length = 0;
                connection->request = -1;
            } else {
                reopen(connection);
                if (connection->fd < 0) { fprintf(stderr, "loadgen: cannot reconnect\n"); return 1; }
            }
            if (busy) idle[idle_count++] = connection;
        }
    }

    FILE *out = fopen(argv[6], "w");
    if (!out) { perror(argv[6]); return 2; }
    for (long i = 0; i < count; i++) {
        fprintf(out, "%ld %d %.0f %.0f %.0f\n", i, results[i].status, results[i].answer * 1e6, results[i].late * 1e6,
                results[i].sent_at * 1e6);
    }
    fclose(out);
    printf("sent %ld answered %ld failed %ld\n", count, answered, count - answered);
    return 0;
}
