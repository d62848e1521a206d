#!/usr/bin/env python3
"""Wall-time ratio of two commands measured in pairs: each round runs both, back to back and
in random order, and the ratio is taken within the round. A shared host drifts between fast
and slow phases for minutes at a time; timing one command's runs and then the other's (as
hyperfine does) puts the two in different phases, pairing puts them in the same one.

    python3 tools/paired_ratio.py [--runs 40] [--warmup 3] CMD_A... -- CMD_B...

Prints one JSON object: the medians of each command's wall and CPU time (user + system, from
wait4) in ms, and the median, 25th and 75th percentile of the per-round ratio A / B. The
timing includes starting the process from Python (well under a millisecond), which only moves
the ratio towards 1.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import time


def run(cmd):
    """(wall seconds, CPU seconds) of one run of cmd, output discarded."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"paired_ratio: {' '.join(cmd)} exited with {p.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    args = sys.argv[1:]
    runs, warmup = 40, 3
    while args and args[0].startswith("--"):
        if args[0] == "--runs":
            runs = int(args[1])
        elif args[0] == "--warmup":
            warmup = int(args[1])
        else:
            sys.exit(f"paired_ratio: unknown option {args[0]}")
        args = args[2:]
    if "--" not in args:
        sys.exit(__doc__)
    split = args.index("--")
    cmds = [args[:split], args[split + 1:]]
    for _ in range(warmup):
        for cmd in cmds:
            run(cmd)
    walls, cpus, ratios = ([], []), ([], []), []
    for _ in range(runs):
        order = [0, 1]
        random.shuffle(order)
        wall = [0.0, 0.0]
        for i in order:
            wall[i], cpu = run(cmds[i])
            walls[i].append(wall[i])
            cpus[i].append(cpu)
        ratios.append(wall[0] / wall[1])
    ms = lambda v: round(statistics.median(v) * 1000, 1)
    print(json.dumps({
        "a_ms": ms(walls[0]), "b_ms": ms(walls[1]),
        "a_cpu_ms": ms(cpus[0]), "b_cpu_ms": ms(cpus[1]),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_p25": round(percentile(ratios, 0.25), 3),
        "ratio_p75": round(percentile(ratios, 0.75), 3),
    }))


if __name__ == "__main__":
    main()
