#ifndef CLIBUV_SHIM_H
#define CLIBUV_SHIM_H

// The one C header of the project: libuv itself plus static-inline casts between handle types.
// Swift cannot see C's "struct inheritance" (uv_tcp_t starts with a uv_stream_t, which starts with
// a uv_handle_t), so these helpers make the casts explicit and keep them in one place.

#include <uv.h>
#include <signal.h>
#include <sys/resource.h>
#include <pthread.h>
#include <arpa/inet.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static inline uv_handle_t *cuv_tcp_handle(uv_tcp_t *tcp) { return (uv_handle_t *)tcp; }
static inline uv_stream_t *cuv_tcp_stream(uv_tcp_t *tcp) { return (uv_stream_t *)tcp; }
static inline uv_tcp_t *cuv_stream_tcp(uv_stream_t *stream) { return (uv_tcp_t *)stream; }
static inline uv_handle_t *cuv_stream_handle(uv_stream_t *stream) { return (uv_handle_t *)stream; }
static inline uv_handle_t *cuv_async_handle(uv_async_t *async) { return (uv_handle_t *)async; }
/// Any handle type as a `uv_handle_t`, for code that manages handles of several types alike.
static inline uv_handle_t *cuv_handle(void *handle) { return (uv_handle_t *)handle; }

/// Ignores SIGPIPE so a write to a peer that went away returns EPIPE instead of killing us.
static inline void cuv_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

/// Unblocks `signum` for the calling thread: a parent (a test runner, a supervisor) may have
/// started us with it blocked, and then libuv's handler would never run.
static inline int cuv_unblock_signal(int signum) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signum);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/// Raises the soft open-file limit to the hard limit; returns the new soft limit (or -1).
static inline long cuv_raise_nofile_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    return (long)limit.rlim_cur;
}

/// Gives the free memory of every malloc arena back to the kernel (glibc's `malloc_trim(0)`,
/// which also releases free pages inside the heap, not only at its top); returns 1 if any was.
/// Elsewhere a no-op returning 0: other allocators return memory by themselves.
static inline int cuv_trim_heap(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

/// An opaque identity for the calling thread, for "is this the loop thread?" checks.
static inline unsigned long cuv_thread_id(void) { return (unsigned long)pthread_self(); }

/// Binds `tcp` to a numeric IPv4 or IPv6 address; returns a libuv status code.
static inline int cuv_tcp_bind(uv_tcp_t *tcp, const char *host, int port) {
    struct sockaddr_storage address;
    int status = uv_ip4_addr(host, port, (struct sockaddr_in *)&address);
    if (status != 0) status = uv_ip6_addr(host, port, (struct sockaddr_in6 *)&address);
    if (status != 0) return status;
    return uv_tcp_bind(tcp, (const struct sockaddr *)&address, 0);
}

/// The local port a TCP handle is bound to (the real one after binding port 0), or a negative status.
static inline int cuv_tcp_local_port(const uv_tcp_t *tcp) {
    struct sockaddr_storage address;
    int length = sizeof(address);
    int status = uv_tcp_getsockname(tcp, (struct sockaddr *)&address, &length);
    if (status != 0) return status;
    if (address.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&address)->sin6_port);
    return ntohs(((struct sockaddr_in *)&address)->sin_port);
}

#endif
