#!/usr/bin/env bash
# Throughput of `werr evtx --json` (reading AND rendering every record's message) against the
# `evtx` crate's own `evtx_dump -o jsonl` (reading only) on the same file, same run.
# Goal (issues 7 and 15): werr >= 80% of evtx_dump's throughput, with the default KB and no
# import (its event texts render most records of system.evtx).
# Usage: bench/evtx.sh [FILE.evtx]   (default: ../shared/corpus/evtx/system.evtx)
# Installs the shipped binary (bench/install-werr.sh) and evtx_dump 0.15.1 from crates.io into target/evtx-dump
# once. On a machine other work keeps busy, `chrt -f 50 bench/evtx.sh` (as root) gives both
# commands the cores, as an idle machine would (BENCHMARKS.md, "evtx", issue 15).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || scripts/setup-deps
log="${1:-../shared/corpus/evtx/system.evtx}"
out="target/bench"
mkdir -p "$out"
dump="target/evtx-dump/bin/evtx_dump"
if [ ! -x "$dump" ]; then
  cargo install evtx --version 0.15.1 --locked --root target/evtx-dump --quiet
fi
. bench/install-werr.sh
werr_cmd="./target/bench/bin/werr evtx --json $log"
dump_cmd="$dump -o jsonl $log"
# Both must do the work: same record count.
w=$($werr_cmd 2>/dev/null | wc -l)
d=$($dump_cmd 2>/dev/null | grep -c '^{"Event"' || true)
echo "records: werr $w, evtx_dump $d"
hyperfine --warmup 5 --runs 100 -N --export-json "$out/evtx.json" \
  --output=pipe "$dump_cmd" "$werr_cmd" >/dev/null
python3 - "$out/evtx.json" "$log" "$dump_cmd" "$werr_cmd" <<'PY'
import json, os, sys
path, log, dump_cmd, werr_cmd = sys.argv[1:5]
r = {x["command"]: x for x in json.load(open(path))["results"]}
size = os.path.getsize(log) / 1e6
d, w = r[dump_cmd]["median"], r[werr_cmd]["median"]
print(f"file {log}: {size:.2f} MB")
print(f"evtx_dump -o jsonl        median {d*1e3:8.2f} ms  {size/d:7.1f} MB/s")
print(f"werr evtx --json (render) median {w*1e3:8.2f} ms  {size/w:7.1f} MB/s")
ratio = d / w
print(f"werr throughput / evtx_dump throughput = {ratio*100:.0f}%  (goal >= 80%: {'met' if ratio >= 0.8 else 'NOT met'})")
# Wall time swings with the machine's load; CPU time (user + system) per run is steadier.
cd = r[dump_cmd]["user"] + r[dump_cmd]["system"]
cw = r[werr_cmd]["user"] + r[werr_cmd]["system"]
print(f"CPU per run: evtx_dump {cd*1e3:.2f} ms, werr {cw*1e3:.2f} ms: werr at {cd/cw*100:.0f}% of evtx_dump's work rate")
PY
# The same two commands in turn, 200 runs each: load drift lands on both alike.
echo "interleaved, 200 runs each (bench/interleaved.py):"
python3 bench/interleaved.py 200 "$dump_cmd" "$werr_cmd"
