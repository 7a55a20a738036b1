#!/usr/bin/env python3
"""Captures a server's raw response to the request wrk sends, for the bench's baseline to replay.

Usage: capture_response.py PORT METHOD TARGET AUTH BODY_FILE OUT_FILE
  AUTH and BODY_FILE may be empty (no Authorization header; no body).

Sends the request that Scripts/bench-tools/request.lua makes wrk send: the same method, target,
`Host: 127.0.0.1:PORT`, Authorization, and with a body its Content-Type and Content-Length (header
order does not matter to the server), twice on one connection, and reads each response, framed by
its Content-Length. It writes the second one's bytes (status line, headers, body) to OUT_FILE;
`minimal-server PORT OUT_FILE` then sends those bytes for every request. The second, because it is
the one wrk sees over and over: the first trigger of a pipeline cancels no earlier run, every later
one does and names it (cancelled_run_id). Prints one line: the status line and the sizes. Exits
non-zero, with the reason, on no response, a non-2xx status, a response without Content-Length, or
one over 1 MiB (the baseline's limit).
"""
import socket
import sys

MAX_RESPONSE = 1024 * 1024  # minimal_server.c refuses larger files


def build_request(port, method, target, auth, body):
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    if auth:
        lines.append(f"Authorization: {auth}")
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(sock, limit=MAX_RESPONSE):
    """Reads one response framed by Content-Length; returns its bytes, or None if the peer closed
    before it was complete. Raises ValueError if it has no Content-Length or exceeds `limit`."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > limit:
            raise ValueError(f"no end of the response head within {limit} bytes")
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *fields = head.split(b"\r\n")
    length = None
    for line in fields:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise ValueError(f"the response has no Content-Length: {status_line!r}")
    total = len(head) + 4 + length
    if total > limit:
        raise ValueError(f"the response is {total} bytes, over {limit}")
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    if len(body) > length:
        raise ValueError(f"{len(body) - length} bytes came after the response")
    return head + b"\r\n\r\n" + body


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.split("\n\n")[1])
    port, method, target, auth, body_file, out_file = int(sys.argv[1]), *sys.argv[2:]
    body = b""
    if body_file:
        with open(body_file, "rb") as file:
            body = file.read()
    request = build_request(port, method, target, auth, body)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for _ in range(2):
            sock.sendall(request)
            try:
                response = read_response(sock)
            except ValueError as error:
                sys.exit(f"capture_response: {method} {target}: {error}")
            if response is None:
                sys.exit(f"capture_response: {method} {target}: the server closed the connection before a whole response")
            status_line = response.split(b"\r\n", 1)[0].decode("latin-1")
            if not status_line.partition(" ")[2].startswith("2"):
                sys.exit(f"capture_response: {method} {target}: {status_line} (the bench expects a 2xx)")
    with open(out_file, "wb") as file:
        file.write(response)
    head_length = response.index(b"\r\n\r\n") + 4
    print(f"{status_line}, {len(response)} bytes (head {head_length} + body {len(response) - head_length})")


if __name__ == "__main__":
    main()
