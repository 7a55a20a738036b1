#!/usr/bin/env python3
"""Counts the user-space instructions pipeline-server spends per request, under callgrind.

Usage: instructions_per_request.py BINARY SCENARIO [COUNT] [OUT_FILE]
  BINARY    a pipeline-server build (release: `swift build -c release --product pipeline-server`)
  SCENARIO  healthz | get | post | trigger
  COUNT     measured requests (default 2000)
  OUT_FILE  where callgrind writes its profile (default /tmp/callgrind-SCENARIO.out), for
            `callgrind_annotate --inclusive=yes OUT_FILE`

Why: on a shared machine, CPU time per request moves by several percent from one run to the
next; an instruction count does not, so it is the evidence for a change in cost. The server
runs in memory at log level warning, with instrumentation off during start-up and set-up (one
pipeline created, 200 unmeasured requests), then on for COUNT requests sent one after another
over one keep-alive connection; it prints the total divided by COUNT. One connection means
per-loop-turn work (the event hub's flush) counts once per request: under load it is shared.
Needs valgrind (`apt-get install valgrind`).
"""
import base64
import json
import re
import signal
import socket
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit(__doc__)
binary, scenario = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
out = sys.argv[4] if len(sys.argv) > 4 else f"/tmp/callgrind-{scenario}.out"
if scenario not in ("healthz", "get", "post", "trigger"):
    sys.exit(f"unknown scenario {scenario!r}: healthz, get, post or trigger")

server = subprocess.Popen(
    ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
     binary, "--in-memory", "--port", "0", "--log-level", "warning"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = int(re.search(r":(\d+)", server.stdout.readline()).group(1))
connection = socket.create_connection(("127.0.0.1", port))


def exchange(request):
    """Sends one request, reads one Content-Length-framed response; returns (status, body)."""
    connection.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(body) < length:
        body += connection.recv(65536)
    return int(head.split(b" ")[1]), body


auth = "Basic " + base64.b64encode(b"admin:admin").decode()
host = f"Host: 127.0.0.1:{port}\r\n"
with open(__file__.rsplit("/", 1)[0] + "/pipeline-3-stage.json") as sample:
    document = sample.read()
post = (f"POST /v1/pipelines HTTP/1.1\r\n{host}Authorization: {auth}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(document)}\r\n\r\n{document}")
status, body = exchange(post)
assert status == 201, status
pipeline = json.loads(body)["id"]
request = {
    "healthz": f"GET /healthz HTTP/1.1\r\n{host}\r\n",
    "get": f"GET /v1/pipelines/{pipeline} HTTP/1.1\r\n{host}Authorization: {auth}\r\n\r\n",
    "post": post,
    "trigger": f"POST /v1/pipelines/{pipeline}/trigger HTTP/1.1\r\n{host}Authorization: {auth}\r\n"
               "Content-Length: 0\r\n\r\n",
}[scenario]
for _ in range(200):
    exchange(request)
subprocess.run(["callgrind_control", "--instr=on", str(server.pid)], stdout=subprocess.DEVNULL, check=True)
for _ in range(count):
    status, _ = exchange(request)
subprocess.run(["callgrind_control", "--instr=off", str(server.pid)], stdout=subprocess.DEVNULL, check=True)
assert 200 <= status < 300, status
connection.close()
server.send_signal(signal.SIGTERM)
server.wait()
with open(out) as profile:
    total = next(int(line.split()[1]) for line in profile if line.startswith("totals:"))
print(f"{scenario}: {total // count} instructions per request ({count} requests; profile in {out})")
