#!/usr/bin/env python3
"""Whole-process wall time of several commands, run in turn (A, B, C, A, B, C, ...).

hyperfine runs all of one command's runs before the next command's, so a change in the
machine's load during the run lands on one command only; on this 2-core VM that drift is as
large as most single changes. Interleaving spreads it over every command alike. Each command's
stdout is read through a pipe (as hyperfine's --output=pipe), stderr is discarded. One round
runs first and is not counted (the binaries and inputs into the page cache).

Usage: bench/interleaved.py RUNS 'COMMAND A' 'COMMAND B' ...
Commands are split on spaces (no shell). Leading NAME=VALUE words set the command's
environment (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1 werr evtx ...`). A `{out}` stands for a
folder of the command's own, removed before each run (a Parquet dataset's output, which must
not exist).
Prints each command's median, its 25th percentile, the median CPU time of its process (user
and system, its threads included), its median as a multiple of the first command's, and the
first command's median as a share of it (a throughput ratio when both do the same work).
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def parse(command: str, out: str) -> tuple[dict[str, str], list[str]]:
    """The environment and argument list of `command`, `{out}` replaced by `out`."""
    words = command.replace("{out}", out).split()
    env = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith(("=", "-", "/", ".")):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def run(env: dict[str, str], argv: list[str], out: str, devnull) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=devnull)
    assert child.stdout is not None
    while child.stdout.read(1 << 16):
        pass
    if child.wait() != 0:
        sys.exit(f"{' '.join(argv)!r} failed with status {child.returncode}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    commands = sys.argv[2:]
    scratch = tempfile.mkdtemp(prefix="werr-interleaved-")
    outs = [os.path.join(scratch, f"out{k}") for k in range(len(commands))]
    parsed = [parse(command, out) for command, out in zip(commands, outs)]
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    try:
        with open(os.devnull, "wb") as devnull:
            for round_ in range(runs + 1):
                for k, ((env, argv), out) in enumerate(zip(parsed, outs)):
                    wall, cpu = run(env, argv, out, devnull)
                    if round_ > 0:
                        walls[k].append(wall)
                        cpus[k].append(cpu)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    base = statistics.median(walls[0])
    for command, measured, cpu in zip(commands, walls, cpus):
        median = statistics.median(measured)
        p25 = sorted(measured)[len(measured) // 4]
        print(
            f"{median * 1e3:8.3f} ms  p25 {p25 * 1e3:8.3f} ms  cpu {statistics.median(cpu) * 1e3:8.3f} ms"
            f"  x{median / base:6.3f}  ({base / median * 100:3.0f}% of the first's rate)  {command}"
        )


if __name__ == "__main__":
    main()
