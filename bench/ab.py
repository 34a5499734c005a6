#!/usr/bin/env python3
"""Two builds of werr on the same arguments, run in turn (A, B, A, B, ...), so that the
machine's load drift lands on both alike; for comparing a change with the build before it.

Usage: bench/ab.py RUNS WERR_A WERR_B [--clean DIR] -- ARGS...
Each run is `WERR ARGS...` with stdout and stderr discarded; `--clean DIR` removes DIR before
each run (a Parquet dataset's output folder, which must not exist). Prints both medians, the
ratio of B's median to A's, and the median of each round's B/A ratio (neighbours in time).
"""
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    argv = sys.argv[1:]
    if "--" not in argv or len(argv) < 4:
        sys.exit(__doc__)
    split = argv.index("--")
    head, args = argv[:split], argv[split + 1 :]
    clean = None
    if "--clean" in head:
        at = head.index("--clean")
        clean = head[at + 1]
        del head[at : at + 2]
    runs, a, b = int(head[0]), head[1], head[2]
    times = {a: [], b: []}
    for _ in range(runs):
        for werr in (a, b):
            if clean:
                shutil.rmtree(clean, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run([werr, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[werr].append(time.perf_counter() - start)
    ma, mb = statistics.median(times[a]), statistics.median(times[b])
    rounds = statistics.median(y / x for x, y in zip(times[a], times[b]))
    print(f"A {a}: median {ma * 1e3:.1f} ms")
    print(f"B {b}: median {mb * 1e3:.1f} ms")
    print(f"B / A = {mb / ma:.3f} (ratio of medians), {rounds:.3f} (median of each round's ratio)")


if __name__ == "__main__":
    main()
