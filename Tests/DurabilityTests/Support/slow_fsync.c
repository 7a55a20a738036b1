/* Preloaded into pipeline-server by the crash test (LD_PRELOAD): every fsync and fdatasync
 * sleeps SLOW_FSYNC_MS milliseconds (default 30) before doing the real call, which widens the
 * window between a change being applied in memory and it being durable. A server that answers
 * or publishes before its commit then loses what it showed when it is killed, instead of
 * getting away with it because the commit happened to be quick.
 *
 * The first call writes one line to standard error, so the test can tell the shim was active.
 * Built by the test: cc -shared -fPIC -o slow_fsync.so slow_fsync.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_long calls;

static void slow_down(const char *name) {
    long delay = 30;
    const char *setting = getenv("SLOW_FSYNC_MS");
    if (setting) delay = atol(setting);
    if (atomic_fetch_add(&calls, 1) == 0) {
        fprintf(stderr, "slow_fsync: %s delayed by %ld ms\n", name, delay);
        fflush(stderr);
    }
    struct timespec pause = {delay / 1000, (delay % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0) {}
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow_down("fsync");
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow_down("fdatasync");
    return real(fd);
}
