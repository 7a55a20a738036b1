#!/usr/bin/env python3
"""Measures how long a durable pipeline-server takes to come back with a large store.

Usage: recovery_time.py BINARY DATA_DIR [PIPELINES] [RUNS] [RESTARTS]
       (defaults: 100000 pipelines, 1000 runs, 3 restarts)

Starts BINARY on a fresh DATA_DIR (it must not exist yet, or be empty), creates PIPELINES
pipelines over 16 keep-alive connections (every answer must be 201) and triggers RUNS of them,
stops the server with SIGTERM, then restarts it RESTARTS times on the same directory, timing each
start from the moment the process is spawned to its `listening on` line (state restored, port
bound). Prints the figures; asserts nothing (the target is under 2 s). Only 127.0.0.1 is used.
"""
import base64
import http.client
import os
import subprocess
import sys
import threading
import time

AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()
HEADERS = {"Authorization": AUTH, "Content-Type": "application/json"}
BODY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pipeline-3-stage.json")


def start(binary, data_dir):
    """Spawns the server; returns (process, port, seconds until its `listening on` line)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir, "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PIPELINE_USERNAME": "admin",
                                                              "PIPELINE_PASSWORD": "admin"})
    line = process.stdout.readline().decode()
    elapsed = time.monotonic() - started
    if not line.startswith("listening on http://"):
        process.kill()
        sys.exit(f"recovery_time: the server did not start: {line!r} {process.stderr.read().decode()[:500]}")
    port = int(line.split()[2].rsplit(":", 1)[1])
    return process, port, elapsed


def stop(process):
    process.terminate()
    try:
        status = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit("recovery_time: the server did not stop within 60 s of SIGTERM")
    if status != 0:
        sys.exit(f"recovery_time: the server exited with status {status}")


def post_many(port, paths, body, ids, failures):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in paths:
        connection.request("POST", path, body=body, headers=HEADERS)
        response = connection.getresponse()
        payload = response.read()
        if response.status not in (200, 201):
            failures.append(f"POST {path} -> {response.status}: {payload[:200]!r}")
            return
        if ids is not None:
            ids.append(payload.split(b'"id":"', 1)[1].split(b'"', 1)[0].decode())
    connection.close()


def in_parallel(port, paths, body, ids=None, connections=16):
    failures, threads = [], []
    for index in range(connections):
        share = paths[index::connections]
        threads.append(threading.Thread(target=post_many, args=(port, share, body, ids, failures)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit("recovery_time: " + failures[0])


def main():
    binary, data_dir = sys.argv[1], sys.argv[2]
    pipelines = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000
    restarts = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    if os.path.exists(data_dir) and os.listdir(data_dir):
        sys.exit(f"recovery_time: {data_dir} is not empty; give a fresh directory")
    with open(BODY, "rb") as file:
        body = file.read()

    process, port, first = start(binary, data_dir)
    began = time.monotonic()
    ids = []
    in_parallel(port, ["/v1/pipelines"] * pipelines, body, ids)
    created = time.monotonic() - began
    began = time.monotonic()
    in_parallel(port, [f"/v1/pipelines/{id_}/trigger" for id_ in ids[:runs]], b"")
    triggered = time.monotonic() - began
    stop(process)
    size = sum(os.path.getsize(os.path.join(data_dir, name)) for name in os.listdir(data_dir))
    print(f"loaded {pipelines} pipelines in {created:.1f} s ({pipelines / created:,.0f}/s) and triggered "
          f"{runs} runs in {triggered:.1f} s; store {size / 2**20:.0f} MiB; empty start {first * 1000:.0f} ms")

    times = []
    for _ in range(restarts):
        process, port, elapsed = start(binary, data_dir)
        times.append(elapsed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/v1/pipelines?limit=1", headers=HEADERS)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"recovery_time: GET /v1/pipelines after the restart -> {response.status}")
        stop(process)
    print("restart to `listening on` with {} pipelines + {} runs: {} (target < 2 s)".format(
        pipelines, runs, ", ".join(f"{t * 1000:.0f} ms" for t in times)))


if __name__ == "__main__":
    main()
