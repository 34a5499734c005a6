#!/usr/bin/env bash
# Whole-process cost of `werr decode 0x80001083` against /bin/true, same machine, same run.
# Goal (issue 2): median <= 3 ms and <= 3x /bin/true.
# Usage: bench/decode.sh   (builds and installs the shipped binary first: bench/install-werr.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || scripts/setup-deps
. bench/install-werr.sh
out="target/bench"
mkdir -p "$out"
hyperfine --warmup 50 --runs 1000 -N --export-json "$out/decode.json" \
  '/bin/true' './target/bench/bin/werr decode 0x80001083' >/dev/null
python3 - "$out/decode.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
t = r["/bin/true"]["median"]
w = r["./target/bench/bin/werr decode 0x80001083"]["median"]
print(f"/bin/true                      median {t*1e3:.3f} ms")
print(f"werr decode 0x80001083         median {w*1e3:.3f} ms")
print(f"ratio werr / true              {w/t:.2f}x   (goal <= 3x, median <= 3 ms: {'met' if w <= 3e-3 and w/t <= 3 else 'NOT met'})")
PY
