#!/usr/bin/env python3
"""The 100,000-active-runs measurement, against a server that is already running.

Usage: active_runs.py PORT PID RUNS TIMEOUT_SECONDS WRK_SECONDS

1. Creates RUNS one-stage pipelines (stage timeout TIMEOUT_SECONDS) and triggers each once, so
   RUNS runs are active, each with an armed timeout (4 keep-alive clients, every answer checked).
2. While they are active, loads `GET /healthz` with wrk (64 connections) and prints its p50/p99.
3. Waits, without other load, until the server has fired every timeout, and prints the server's
   CPU time (utime+stime from /proc/PID/stat) spent from just before the first deadline until the
   last run failed — the cost of firing RUNS timeouts and publishing their events.
"""
import base64
import http.client
import json
import os
import subprocess
import sys
import threading
import time

AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def start_runs(port, count, body, failures, last_ids):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": AUTH}
    for _ in range(count):
        connection.request("POST", "/v1/pipelines", body=body, headers=headers)
        response = connection.getresponse()
        created = response.read()
        if response.status != 201:
            failures.append(f"create -> {response.status}")
            return
        pipeline_id = json.loads(created)["id"]
        connection.request("POST", f"/v1/pipelines/{pipeline_id}/trigger", headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            failures.append(f"trigger -> {response.status}")
            return
    last_ids.append(pipeline_id)


def last_run_status(port, pipeline_id):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", f"/v1/pipelines/{pipeline_id}/runs?limit=1", headers={"Authorization": AUTH})
    return json.loads(connection.getresponse().read())["runs"][0]["status"]


def main():
    port, pid, runs, timeout, wrk_seconds = (int(arg) for arg in sys.argv[1:6])
    body = json.dumps({"name": "timeout bench", "git_repository": "https://example.com/r.git",
                       "stages": [{"name": "wait", "type": "Run", "command": "sleep", "timeout": timeout}]})
    shares = [runs // 4 + (1 if i < runs % 4 else 0) for i in range(4)]
    failures, last_ids = [], []
    started = time.monotonic()
    threads = [threading.Thread(target=start_runs, args=(port, share, body, failures, last_ids)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit("active_runs: " + failures[0])
    first_deadline = started + timeout
    setup = time.monotonic() - started
    print(f"started {runs} runs in {setup:.1f} s; first deadline in {first_deadline - time.monotonic():.1f} s")
    if first_deadline - time.monotonic() < wrk_seconds + 2:
        sys.exit("active_runs: the timeout is too short to load the server before the deadlines; raise it")

    wrk = subprocess.run(["wrk", "-t2", "-c64", f"-d{wrk_seconds}s", "--latency", f"http://127.0.0.1:{port}/healthz"],
                         capture_output=True, text=True, check=True).stdout
    latency = {line.split()[0]: line.split()[1] for line in wrk.splitlines() if line.strip().startswith(("50%", "99%"))}
    rate = next(line.split()[1] for line in wrk.splitlines() if line.startswith("Requests/sec"))
    print(f"healthz with {runs} active runs: {rate} req/s, p50 {latency.get('50%')}, p99 {latency.get('99%')}")

    while time.monotonic() < first_deadline - 1:
        time.sleep(0.2)
    before = cpu_seconds(pid)
    # Each client's last run was triggered after all of its others, so once those have failed
    # every earlier timeout has fired too.
    for pipeline_id in last_ids:
        while last_run_status(port, pipeline_id) != "failed":
            time.sleep(0.05)
    spent = cpu_seconds(pid) - before
    print(f"fired {runs} timeouts: {spent:.2f} s of server CPU (measured from 1 s before the first deadline)")


if __name__ == "__main__":
    main()
