#!/usr/bin/env bash
# Rendering throughput of werr-format (criterion), with and without inserts, against a plain
# copy of the same text (`to_owned`, the floor). Prints each case's median and its ratio to
# the copy. Windows' own FormatMessage cannot run here, so the copy is the peer.
# Usage: bench/format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p werr-format --bench render -- --noplot --warm-up-time 1 --measurement-time 3 >/dev/null
python3 - <<'PY'
import json, pathlib
root = pathlib.Path("target/criterion/format")
def median(case):
    return json.load(open(root / case / "new" / "estimates.json"))["median"]["point_estimate"]
floor = median("copy_floor")
for case in ["copy_floor", "no_inserts", "no_inserts_verbatim", "no_inserts_wrap79",
             "with_inserts", "with_inserts_wrap79"]:
    bench = json.load(open(root / case / "new" / "benchmark.json"))
    nbytes = bench["throughput"]["Bytes"]
    ns = median(case)
    print(f"{case:22} median {ns:8.1f} ns  {nbytes / ns * 1e9 / 2**20:8.1f} MiB/s of input"
          f"  ratio to copy {ns / floor:5.2f}x")
PY
