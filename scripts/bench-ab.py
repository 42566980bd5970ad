#!/usr/bin/env python3
"""Alternating-run benchmark: each command once per round, RUNS rounds, then the median
wall time and CPU time (user + system of the child) of each command.

    scripts/bench-ab.py RUNS name1 'cmd1' name2 'cmd2' ...

Commands run in the same minutes, so a busy machine slows them alike: compare figures
from one run of this script, never across runs (BENCHMARKS.md). A failing command stops
the run with its exit status."""
import resource
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
    sys.exit("usage: bench-ab.py RUNS name 'command' [name 'command' ...]")
runs = int(sys.argv[1])
pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
wall = {n: [] for n, _ in pairs}
cpu = {n: [] for n, _ in pairs}
for _ in range(runs):
    for name, command in pairs:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
        wall[name].append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
for name, _ in pairs:
    w = sorted(wall[name])
    print(f"{name:16s} wall median {statistics.median(w):.3f}  min {w[0]:.3f}  max {w[-1]:.3f}   cpu median {statistics.median(cpu[name]):.3f}")
