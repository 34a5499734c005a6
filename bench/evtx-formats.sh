#!/usr/bin/env bash
# Cost of `werr evtx`'s output shapes on one log, same run: `--format json` (the reference),
# `ecs` and `timesketch`; with BASE=PATH also another build's `--json` (the one before a
# change), to show that `--json` did not get slower.
# Usage: [BASE=/path/to/werr] bench/evtx-formats.sh [FILE.evtx]
#        (default: ../shared/corpus/evtx/system.evtx)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || scripts/setup-deps
log="${1:-../shared/corpus/evtx/system.evtx}"
out="target/bench"
mkdir -p "$out"
. bench/install-werr.sh
werr=./target/bench/bin/werr
cmds=("$werr evtx --format json $log" "$werr evtx --format ecs $log"
  "$werr evtx --format timesketch $log")
if [ -n "${BASE:-}" ]; then
  cmds=("$BASE evtx --json $log" "${cmds[@]}")
fi
for c in "${cmds[@]}"; do
  echo "$($c 2>/dev/null | wc -l) lines, $($c 2>/dev/null | wc -c) bytes: $c"
done
hyperfine --warmup 5 --runs 60 -N --export-json "$out/evtx-formats.json" \
  --output=pipe "${cmds[@]}" >/dev/null
python3 - "$out/evtx-formats.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ref = next(r for r in results if "--format json" in r["command"])
for r in results:
    cpu = r["user"] + r["system"]
    ref_cpu = ref["user"] + ref["system"]
    print(f"median {r['median']*1e3:7.2f} ms (x{r['median']/ref['median']:.2f})  "
          f"cpu {cpu*1e3:7.2f} ms (x{cpu/ref_cpu:.2f})  {r['command']}")
PY
