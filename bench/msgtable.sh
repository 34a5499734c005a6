#!/usr/bin/env bash
# Scans every PE file of Wine 8.0's x86_64-windows folder for message tables and decodes every
# message: `werr extract --json` against a pefile-based Python script (bench/msgtable_pefile.py)
# in the same hyperfine run, warm page cache. Prints the ratio.
# Usage: bench/msgtable.sh   (needs scripts/setup-deps and scripts/fetch-fixtures)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cache-dirs.sh
dir="$WERR_FIXTURES/libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
python="${WERR_PEFILE_PYTHON:-$WERR_CACHE/pefile-venv/bin/python}"
. bench/install-werr.sh
werr=target/bench/bin/werr
echo "files: $(find "$dir" -type f | wc -l), bytes: $(du -sb "$dir" | cut -f1)"
# Same messages from both (the peer's JSON lacks werr's extra fields; count lines).
echo "messages: werr $("$werr" extract --json "$dir" | wc -l), pefile $("$python" bench/msgtable_pefile.py "$dir" | wc -l)"
hyperfine --warmup 2 --min-runs 10 --export-json target/bench-msgtable.json \
  -n werr "$werr extract --json $dir > /dev/null" \
  -n pefile "$python bench/msgtable_pefile.py $dir > /dev/null" \
  -n cat "cat $dir/* > /dev/null"
python3 - <<'PY'
import json
r = {x["command"]: x for x in json.load(open("target/bench-msgtable.json"))["results"]}
w, p, c = r["werr"]["mean"], r["pefile"]["mean"], r["cat"]["mean"]
print(f"werr {w*1000:.1f} ms, pefile {p*1000:.1f} ms, cat {c*1000:.1f} ms: werr is {p/w:.1f}x faster than pefile")
PY
