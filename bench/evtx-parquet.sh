#!/usr/bin/env bash
# Cost of `werr evtx --format parquet` against `werr evtx --json` on the same log, same run
# (issue 16: parquet at most 1.3x the time of --json). The JSON is read through a pipe; the
# dataset is written to a folder removed before each run (outside the timing). The two
# commands run in turn (json, parquet, json, ...), so the machine's load drifts onto both.
# Usage: bench/evtx-parquet.sh [FILE.evtx] [RUNS]   (default: the corpus's system.evtx, 200)
set -euo pipefail
cd "$(dirname "$0")/.."
log="${1:-../shared/corpus/evtx/system.evtx}"
runs="${2:-200}"
. bench/install-werr.sh
out="target/bench/parquet"
mkdir -p target/bench
python3 - "$log" "$runs" "$out" <<'PY'
import os, shutil, statistics, subprocess, sys, time
log, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
werr = "./target/bench/bin/werr"
json_cmd = [werr, "evtx", "--json", log]
parquet_cmd = [werr, "evtx", "--format", "parquet", "--output", out, log]

def timed(cmd):
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    while child.stdout.read(1 << 16):
        pass
    if child.wait() != 0:
        sys.exit(f"{' '.join(cmd)} failed with status {child.returncode}")
    return time.perf_counter() - start

times = {"json": [], "parquet": []}
for _ in range(5):  # warm-up: the log and the binary in the page cache
    shutil.rmtree(out, ignore_errors=True); timed(parquet_cmd); timed(json_cmd)
for _ in range(runs):
    times["json"].append(timed(json_cmd))
    shutil.rmtree(out, ignore_errors=True)
    times["parquet"].append(timed(parquet_cmd))
size = os.path.getsize(log) / 1e6
written = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
print(f"file {log}: {size:.2f} MB; dataset {written/1e6:.2f} MB; {runs} runs each, interleaved")
for name, cmd in (("json", json_cmd), ("parquet", parquet_cmd)):
    t = sorted(times[name])
    print(f"{' '.join(cmd[1:]):<60} median {statistics.median(t)*1e3:7.2f} ms  p25 {t[len(t)//4]*1e3:7.2f} ms")
ratio = statistics.median(times["parquet"]) / statistics.median(times["json"])
print(f"parquet / json time = {ratio:.2f}x  (goal <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'})")
PY
