#!/usr/bin/env bash
# Instructions executed by `werr evtx --json` and by `evtx_dump -o jsonl` on one thread each
# (valgrind's count, the same on every run): a steady measure of the work per record when the
# machine's timing noise hides small changes. Wall-clock throughput stays bench/evtx.sh's.
# Usage: bench/evtx-instructions.sh [FILE.evtx]   (default: ../shared/corpus/evtx/system.evtx)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
log="${1:-../shared/corpus/evtx/system.evtx}"
# bench/evtx.sh builds and installs both binaries; werr reads with the default KB, as there.
dump="target/evtx-dump/bin/evtx_dump"
if [ ! -x "$dump" ]; then
  echo "run bench/evtx.sh first (it builds werr and installs evtx_dump)" >&2
  exit 1
fi
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
w=$(count ./target/bench/bin/werr evtx --threads 1 --json "$log")
d=$(count "$dump" -t 1 -o jsonl "$log")
python3 - "$w" "$d" <<'PY'
import sys
w, d = int(sys.argv[1]), int(sys.argv[2])
print(f"instructions, one thread: werr evtx --json {w/1e6:.1f}M, evtx_dump -o jsonl {d/1e6:.1f}M")
print(f"evtx_dump / werr = {d/w*100:.0f}%")
PY
