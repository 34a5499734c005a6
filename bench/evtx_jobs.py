#!/usr/bin/env python3
"""Throughput, CPU time and peak memory of `werr evtx DIR --json` with several --jobs/--threads
settings, run in turn (A, B, C, A, B, C, ...) so that the machine's load drift lands on each
alike. stdout goes to /dev/null (no reader competes for the cores), stderr is discarded.

Usage: bench/evtx_jobs.py RUNS DIR WERR
Per setting: median wall time, throughput (the folder's bytes of logs / wall), median CPU time
(user + system, all threads) and the largest max RSS (getrusage of the child, as
/usr/bin/time reports it); then the default's throughput over each other setting's.
"""
import os
import statistics
import subprocess
import sys
import time

SETTINGS = [
    ("--jobs 1 (one thread)", ["--jobs", "1"]),
    ("--threads 2 (1 log x 2)", ["--threads", "2"]),
    ("default (--jobs = cores)", []),
]


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    runs, folder, werr = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    size = sum(
        os.path.getsize(os.path.join(root, f))
        for root, _, files in os.walk(folder)
        for f in files
        if f.lower().endswith(".evtx")
    )
    logs = sum(
        1 for _, _, files in os.walk(folder) for f in files if f.lower().endswith(".evtx")
    )
    print(f"folder {folder}: {logs} logs, {size / 1e6:.1f} MB")
    walls = [[] for _ in SETTINGS]
    cpus = [[] for _ in SETTINGS]
    rss = [0 for _ in SETTINGS]
    with open(os.devnull, "wb") as devnull:
        for _ in range(runs):
            for k, (_, args) in enumerate(SETTINGS):
                command = [werr, "evtx", folder, "--json", *args]
                start = time.perf_counter()
                child = subprocess.Popen(command, stdout=devnull, stderr=devnull)
                _, status, usage = os.wait4(child.pid, 0)
                walls[k].append(time.perf_counter() - start)
                # 1: Application_no_crc32.evtx's NO_CRC32 flag is reported as a problem.
                if os.waitstatus_to_exitcode(status) not in (0, 1):
                    sys.exit(f"{command!r} failed with status {status}")
                cpus[k].append(usage.ru_utime + usage.ru_stime)
                rss[k] = max(rss[k], usage.ru_maxrss)
    for k, (name, _) in enumerate(SETTINGS):
        wall = statistics.median(walls[k])
        print(
            f"{name:26} wall median {wall:7.3f} s (min {min(walls[k]):.3f})  "
            f"{size / 1e6 / wall:6.1f} MB/s  CPU {statistics.median(cpus[k]):7.3f} s  "
            f"max RSS {rss[k] / 1024:5.1f} MB"
        )
    default = statistics.median(walls[-1])
    for k, (name, _) in enumerate(SETTINGS[:-1]):
        ratio = statistics.median(walls[k]) / default
        # Each round's two runs are neighbours in time: their ratio drifts least.
        paired = statistics.median(w / d for w, d in zip(walls[k], walls[-1]))
        print(
            f"default throughput / {name}: {ratio:.2f}x (ratio of medians), "
            f"{paired:.2f}x (median of each round's ratio)"
        )


if __name__ == "__main__":
    main()
