#!/usr/bin/env python3
"""Whole-process wall time of several commands, run in turn (A, B, C, A, B, C, ...).

hyperfine runs all of one command's runs before the next command's, so a change in the
machine's load during the run lands on one command only; on this 2-core VM that drift is as
large as most single changes. Interleaving spreads it over every command alike. Each command's
stdout is read through a pipe (as hyperfine's --output=pipe), stderr is discarded.

Usage: bench/interleaved.py RUNS 'COMMAND A' 'COMMAND B' ...
Prints each command's median, its 25th percentile, its median as a multiple of the first
command's, and the first command's median as a share of it (a throughput ratio when both do
the same work). Commands are split on spaces (no shell).
"""
import os
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    commands = sys.argv[2:]
    times: list[list[float]] = [[] for _ in commands]
    with open(os.devnull, "wb") as devnull:
        for _ in range(runs):
            for k, command in enumerate(commands):
                start = time.perf_counter()
                child = subprocess.Popen(command.split(), stdout=subprocess.PIPE, stderr=devnull)
                assert child.stdout is not None
                while child.stdout.read(1 << 16):
                    pass
                if child.wait() != 0:
                    sys.exit(f"{command!r} failed with status {child.returncode}")
                times[k].append(time.perf_counter() - start)
    base = statistics.median(times[0])
    for command, measured in zip(commands, times):
        median = statistics.median(measured)
        p25 = sorted(measured)[len(measured) // 4]
        print(
            f"{median * 1e3:8.3f} ms  p25 {p25 * 1e3:8.3f} ms  x{median / base:6.3f}"
            f"  ({base / median * 100:3.0f}% of the first's rate)  {command}"
        )


if __name__ == "__main__":
    main()
