#!/usr/bin/env python3
"""Creates many pipelines quickly, for the `get-100k` bench scenario.

Usage: create_pipelines.py PORT COUNT BODY_FILE [CONNECTIONS]

Each of CONNECTIONS threads POSTs its share of COUNT documents over one keep-alive connection
(http.client; the socket waits release the GIL, so a few threads keep the server busy). Every
response must be 201, so the server really holds COUNT pipelines afterwards; the first other status
stops the run with a non-zero exit. Prints one line: how many were created and how fast.
"""
import base64
import http.client
import sys
import threading
import time

AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()


def create(port, count, body, failures):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": AUTH, "Content-Type": "application/json"}
    for _ in range(count):
        connection.request("POST", "/v1/pipelines", body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        if response.status != 201:
            failures.append(f"POST /v1/pipelines -> {response.status}: {payload[:200]!r}")
            return
    connection.close()


def main():
    port, count, body_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    with open(body_file, "rb") as file:
        body = file.read()
    shares = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]
    failures = []
    started = time.monotonic()
    threads = [threading.Thread(target=create, args=(port, share, body, failures)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        sys.exit("create_pipelines: " + failures[0])
    print(f"created {count} pipelines in {elapsed:.1f} s ({count / elapsed:.0f}/s)")


if __name__ == "__main__":
    main()
