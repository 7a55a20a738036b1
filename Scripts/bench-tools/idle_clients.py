#!/usr/bin/env python3
"""Measures how much server memory an idle keep-alive connection costs (the `idle` scenario).

Usage: idle_clients.py PORT SERVER_PID [COUNT]

Reads the server's VmRSS, then opens COUNT connections one after another; each sends one
`GET /healthz` and reads the whole response, so the server has done real work on it (a server that
allocated a buffer on first read and kept it would show here), and then stays open and idle. After a
short settle it reads VmRSS again and prints (after - before) / COUNT. The client raises its own
RLIMIT_NOFILE (COUNT sockets need COUNT descriptors); the server raises its own.
"""
import resource
import socket
import sys
import time

from capture_response import read_response

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 64:
        if hard != resource.RLIM_INFINITY and hard < count + 64:
            sys.exit(f"idle_clients: the hard RLIMIT_NOFILE ({hard}) is below {count + 64}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    time.sleep(0.5)  # let the server settle after start-up before the "before" reading
    before = rss_kib(pid)
    sockets, refused = [], 0
    started = time.monotonic()
    for _ in range(count):
        # A server at its connection cap accepts and closes at once: count those, keep going.
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            sock.sendall(REQUEST)
            answered = read_response(sock) is not None
        except OSError:
            answered = False
        if answered:
            sockets.append(sock)
        else:
            refused += 1
            sock.close()
    opened = time.monotonic() - started
    time.sleep(1.0)  # idle: whatever the server keeps per connection now is what it keeps while idle
    after = rss_kib(pid)
    per_connection = (after - before) * 1024 / max(len(sockets), 1)
    print(f"IDLE open={len(sockets)} refused={refused} rss_before_kib={before} "
          f"rss_after_kib={after} bytes_per_connection={per_connection:.0f} open_seconds={opened:.1f}")
    for sock in sockets:
        sock.close()


if __name__ == "__main__":
    main()
