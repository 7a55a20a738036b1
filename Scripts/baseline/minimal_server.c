/*
 * minimal_server.c: the floor Scripts/bench compares pipeline-server against.
 *
 * A libuv HTTP/1.1 server that does the least work a correct keep-alive server can do: it does not
 * parse requests at all, it only counts request ends ("\r\n\r\n") and answers each with the same
 * fixed response: a small built-in 200, or, given RESPONSE_FILE, that file's bytes as they are
 * (status line, headers and body; the file must be a whole response with its own Content-Length).
 * Scripts/bench passes it pipeline-server's own response to the request wrk sends, so both servers
 * send the same bytes, and the ratio "pipeline-server CPU per request / this server's CPU per
 * request", measured in one bench run, says how much our parser, router and handlers cost on top
 * of libuv (not how much bigger our responses are), independent of how busy the shared machine is
 * at the moment.
 *
 * It is only correct for requests without a body (or whose body contains no blank line), which is
 * all the bench sends it. It is not a server to use for anything else.
 *
 * Build: cc -O2 -o minimal-server minimal_server.c -luv
 * Run:   minimal-server PORT [RESPONSE_FILE]
 *        (PORT 0 picks a free port; prints "listening on http://127.0.0.1:PORT"; RESPONSE_FILE is
 *        read once at start and may be at most 1 MiB)
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

static const char builtin_response[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 15\r\n"
    "\r\n"
    "{\"status\":\"ok\"}";

/* What every request is answered with: the built-in response, or RESPONSE_FILE's bytes. */
static const char *response = builtin_response;
static size_t response_len = sizeof(builtin_response) - 1;
#define MAX_RESPONSE_LEN (1024 * 1024)

/* One per connection. `matched` is how many bytes of "\r\n\r\n" the previous read ended with, so a
 * request end split across two reads is still counted once. The handle comes first so a
 * uv_handle_t* is also a connection*. */
typedef struct {
    uv_tcp_t handle;
    int matched;
} connection;

/* One per uv_write: the request and its bytes live in one allocation, freed in the write callback.
 * `data` holds `count` copies of the response, one per request end seen in a single read
 * (pipelined requests are answered with one write, in order). */
typedef struct {
    uv_write_t req;
    char data[];
} write_req;

/* The loop runs on one thread and every read is consumed before the next one is issued, so all
 * connections can share one read buffer; an idle connection then holds no buffer at all. */
static char read_buffer[64 * 1024];

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
    (void)handle;
    (void)suggested;
    *buf = uv_buf_init(read_buffer, sizeof(read_buffer));
}

static void on_close(uv_handle_t *handle) { free(handle); }

static void on_write(uv_write_t *req, int status) {
    if (status < 0 && !uv_is_closing((uv_handle_t *)req->handle)) {
        uv_close((uv_handle_t *)req->handle, on_close);
    }
    free(req);
}

/* Counts complete request heads in `bytes`, carrying the partial match across calls. */
static int count_request_ends(connection *conn, const char *bytes, ssize_t length) {
    static const char terminator[] = "\r\n\r\n";
    int ends = 0;
    for (ssize_t i = 0; i < length; i++) {
        if (bytes[i] == terminator[conn->matched]) {
            conn->matched++;
        } else {
            conn->matched = (bytes[i] == '\r') ? 1 : 0;
        }
        if (conn->matched == 4) {
            ends++;
            conn->matched = 0;
        }
    }
    return ends;
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    connection *conn = (connection *)stream;
    if (nread < 0) { /* EOF or error: the client is gone. */
        if (!uv_is_closing((uv_handle_t *)stream)) uv_close((uv_handle_t *)stream, on_close);
        return;
    }
    int ends = count_request_ends(conn, buf->base, nread);
    if (ends == 0) return;

    /* A uv_buf_t holds at most UINT_MAX bytes: thousands of pipelined requests in one read, with a
     * large response, are more than one write can answer (the bench never sends that). */
    size_t total = (size_t)ends * response_len;
    if (total > UINT_MAX) {
        if (!uv_is_closing((uv_handle_t *)stream)) uv_close((uv_handle_t *)stream, on_close);
        return;
    }
    write_req *w = malloc(sizeof(write_req) + total);
    if (w == NULL) abort();
    for (int i = 0; i < ends; i++) memcpy(w->data + (size_t)i * response_len, response, response_len);
    uv_buf_t out = uv_buf_init(w->data, (unsigned int)total);
    if (uv_write(&w->req, stream, &out, 1, on_write) < 0) {
        free(w);
        if (!uv_is_closing((uv_handle_t *)stream)) uv_close((uv_handle_t *)stream, on_close);
    }
}

static void on_connection(uv_stream_t *server, int status) {
    if (status < 0) return;
    connection *conn = calloc(1, sizeof(connection));
    if (conn == NULL) abort();
    uv_tcp_init(server->loop, &conn->handle);
    if (uv_accept(server, (uv_stream_t *)&conn->handle) != 0) {
        uv_close((uv_handle_t *)&conn->handle, on_close);
        return;
    }
    uv_tcp_nodelay(&conn->handle, 1);
    uv_read_start((uv_stream_t *)&conn->handle, on_alloc, on_read);
}

/* The idle-connections bench opens 10,000 sockets; raise the soft fd limit as pipeline-server does. */
static void raise_open_file_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/* Reads RESPONSE_FILE once, at start, into `response`. Returns 0, or says why not and returns -1. */
static int load_response(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "minimal-server: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *bytes = malloc(MAX_RESPONSE_LEN + 1); /* one byte more, to see a file that is too large */
    if (bytes == NULL) abort();
    size_t size = fread(bytes, 1, MAX_RESPONSE_LEN + 1, file);
    const char *problem = ferror(file) ? "cannot read it"
                          : size == 0 ? "it is empty, but must hold a whole HTTP response"
                          : size > MAX_RESPONSE_LEN ? "it is larger than 1 MiB, the limit"
                          : NULL;
    fclose(file);
    if (problem != NULL) {
        fprintf(stderr, "minimal-server: %s: %s\n", path, problem);
        free(bytes);
        return -1;
    }
    response = realloc(bytes, size);
    if (response == NULL) abort();
    response_len = size;
    return 0;
}

static int fail(const char *what, int code) {
    fprintf(stderr, "minimal-server: %s: %s\n", what, uv_strerror(code));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s PORT [RESPONSE_FILE]\n", argv[0]);
        return 2;
    }
    if (argc == 3 && load_response(argv[2]) != 0) return 1;
    raise_open_file_limit();
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t server;
    struct sockaddr_in address;
    int rc;
    uv_tcp_init(loop, &server);
    if ((rc = uv_ip4_addr("127.0.0.1", atoi(argv[1]), &address)) != 0) return fail("address", rc);
    if ((rc = uv_tcp_bind(&server, (const struct sockaddr *)&address, 0)) != 0) return fail("bind", rc);
    if ((rc = uv_listen((uv_stream_t *)&server, 4096, on_connection)) != 0) return fail("listen", rc);

    /* Report the real port (the bench asks for 0), in the same words as pipeline-server. */
    struct sockaddr_in bound;
    int length = sizeof(bound);
    uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &length);
    printf("listening on http://127.0.0.1:%d\n", ntohs(bound.sin_port));
    fflush(stdout);

    return uv_run(loop, UV_RUN_DEFAULT);
}
