#!/usr/bin/env python3
"""Turns Scripts/bench's raw measurements into the lines a person reads.

  summarize.py --row CLK_TCK ROW             one load run (a line of load.tsv)
  summarize.py --idle-row ROW                one idle-connections run (a line of idle.tsv)
  summarize.py --summary CLK_TCK LOAD IDLE   per scenario: medians over the rounds, and the ratio
                                             of the server's CPU per request to the baseline's:
                                             the median of each round's ratio

A load row is: scenario, role, round, then key=value fields: wrk's (requests, duration_us, bytes,
p50_us, p99_us, max_us, non2xx, *_errors, timeouts) and the bench's (cpu_ticks: the server's utime+stime
delta over the run, in clock ticks; hwm_kib: its VmHWM after the run).
"""
import statistics
import sys

NAMES = {"server": "pipeline-server", "baseline": "minimal-c"}


def parse(row):
    scenario, role, round_, *fields = row.rstrip("\n").split("\t")
    values = {}
    for field in fields:
        for pair in field.split():
            key, _, value = pair.partition("=")
            values[key] = float(value)
    return scenario, role, int(round_), values


def load_figures(values, clk_tck):
    """The figures of one load run: req/s, p50 and p99 in ms, CPU µs per request, peak RSS MiB,
    bytes per response."""
    requests = max(values["requests"], 1)
    return {
        "rps": requests / (values["duration_us"] / 1e6),
        "p50": values["p50_us"] / 1000,
        "p99": values["p99_us"] / 1000,
        "cpu": values["cpu_ticks"] * 1e6 / clk_tck / requests,
        "rss": values["hwm_kib"] / 1024,
        "size": values["bytes"] / requests,
        "bad": values["non2xx"] + values["connect_errors"] + values["read_errors"]
        + values["write_errors"] + values["timeouts"],
    }


def format_load(figures):
    text = (f"{figures['rps']:>9,.0f} req/s  p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms"
            f"  {figures['cpu']:6.2f} µs CPU/req  peak RSS {figures['rss']:6.1f} MiB")
    if figures["bad"]:
        text += f"  ({figures['bad']:.0f} non-2xx/errors: check the server log)"
    return text


def print_row(clk_tck, row):
    _, role, round_, values = parse(row)
    print(f"  {NAMES[role]:<16} round {round_}: {format_load(load_figures(values, clk_tck))}")


def print_idle_row(row):
    _, role, round_, v = parse(row)
    print(f"  {NAMES[role]:<16} round {round_}: {v['open']:.0f} idle connections "
          f"(+{v['refused']:.0f} refused), RSS {v['rss_before_kib'] / 1024:.1f} → "
          f"{v['rss_after_kib'] / 1024:.1f} MiB = {v['bytes_per_connection'] / 1024:.2f} KiB per connection")


def median_figures(runs):
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def print_summary(clk_tck, load_path, idle_path):
    runs = {}
    cpu_by_round = {}
    with open(load_path) as file:
        for row in file:
            scenario, role, round_, values = parse(row)
            figures = load_figures(values, clk_tck)
            runs.setdefault(scenario, {}).setdefault(role, []).append(figures)
            cpu_by_round.setdefault(scenario, {}).setdefault(role, {})[round_] = figures["cpu"]
    print("summary (median of the rounds; ratio = server CPU per request ÷ baseline's in the same round,")
    print("         median over the rounds)")
    for scenario, roles in runs.items():
        medians = {role: median_figures(figures) for role, figures in roles.items()}
        for role in ("server", "baseline"):
            if role in medians:
                print(f"  {scenario:<9} {NAMES[role]:<16} {format_load(medians[role])}")
        ratios = round_ratios(cpu_by_round[scenario])
        if ratios:
            sizes = medians["server"]["size"], medians["baseline"]["size"]
            print(f"  {scenario:<9} CPU/request ratio server/baseline: {statistics.median(ratios):.2f}x  "
                  f"(rounds {', '.join(f'{ratio:.2f}' for ratio in ratios)}; "
                  f"bytes per response: server {sizes[0]:.0f}, baseline {sizes[1]:.0f})")
    print_durable_ratios(runs, clk_tck)
    idle = {}
    with open(idle_path) as file:
        for row in file:
            _, role, _, values = parse(row)
            idle.setdefault(role, []).append(values["bytes_per_connection"])
    for role, per_connection in idle.items():
        print(f"  idle      {NAMES[role]:<16} {statistics.median(per_connection) / 1024:.2f} KiB RSS "
              f"per idle keep-alive connection")


def round_ratios(cpu_by_role):
    """Each round's server CPU per request ÷ the baseline's in the same round. A round's two runs
    follow each other, so they share the machine's phase; medians taken apart could pair the
    server's run in one phase with the baseline's in another."""
    server, baseline = cpu_by_role.get("server", {}), cpu_by_role.get("baseline", {})
    return [server[r] / baseline[r] for r in sorted(server) if baseline.get(r, 0) > 0]


def print_durable_ratios(runs, clk_tck):
    """X-durable against X (in memory), server medians of the same run: req/s and CPU per request."""
    del clk_tck
    for scenario, roles in runs.items():
        base = scenario.removesuffix("-durable")
        if base == scenario or "server" not in roles or "server" not in runs.get(base, {}):
            continue
        durable, memory = median_figures(roles["server"]), median_figures(runs[base]["server"])
        print(f"  {scenario:<9} durable ÷ in-memory: req/s {durable['rps'] / memory['rps']:.0%}, "
              f"CPU/request {durable['cpu'] / memory['cpu']:.2f}x, "
              f"p50 {durable['p50']:.2f} vs {memory['p50']:.2f} ms, p99 {durable['p99']:.2f} vs {memory['p99']:.2f} ms")


def main():
    mode = sys.argv[1]
    if mode == "--row":
        print_row(int(sys.argv[2]), sys.argv[3])
    elif mode == "--idle-row":
        print_idle_row(sys.argv[2])
    elif mode == "--summary":
        print_summary(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"summarize.py: unknown mode {mode}")


if __name__ == "__main__":
    main()
