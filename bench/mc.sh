#!/usr/bin/env bash
# `werr mc` against GNU windmc on generated .mc files (bench/mc_gen.py): 40,000 and 200,000
# messages x 3 languages, same machine, same run. Checks that both write identical .bin bytes
# (werr in --line-endings lf mode), prints time ratios and peak memory (/usr/bin/time -v).
# Goals (issue 4): at 40,000 messages werr >= 100x faster than windmc; werr at 200,000 within
# 6x of its 40,000 time.
# Usage: bench/mc.sh [--windmc-200k]   (windmc on 200,000 messages takes minutes; off by default)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || scripts/setup-deps
cargo build --release --quiet
werr="$PWD/target/release/werr"
windmc=x86_64-w64-mingw32-windmc
out="$PWD/target/bench/mc"
rm -rf "$out" && mkdir -p "$out"
for n in 40000 200000; do python3 bench/mc_gen.py "$n" "$out/m$n.mc"; done

peak() { # peak resident set size in MiB of a command run in folder $1
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.1f", $2/1024}')
}
compile_both() { # n: compile with both into separate folders and compare the tables
  local n=$1
  mkdir -p "$out/w$n" "$out/g$n"
  (cd "$out/w$n" && "$werr" mc --line-endings lf "$out/m$n.mc")
  (cd "$out/g$n" && "$windmc" -C 65001 "$out/m$n.mc")
  for f in "$out/g$n"/*.bin; do
    cmp "$f" "$out/w$n/$(basename "$f")" || { echo "DIFFERENT: $(basename "$f") at $n"; exit 1; }
  done
  echo "$n messages: $(ls "$out/g$n"/*.bin | wc -l) tables, identical bytes (werr --line-endings lf vs windmc)"
}

compile_both 40000
hyperfine --warmup 1 --runs 10 -N --export-json "$out/werr.json" \
  --command-name werr-40k "$werr mc --line-endings lf -h $out/w40000 -r $out/w40000 $out/m40000.mc" \
  --command-name werr-200k "$werr mc --line-endings lf -h $out/w200000 -r $out/w200000 $out/m200000.mc" >/dev/null
hyperfine --runs 2 -N --export-json "$out/windmc.json" \
  --command-name windmc-40k "$windmc -C 65001 -h $out/g40000 -r $out/g40000 $out/m40000.mc" >/dev/null
mem_w40=$(peak "$out/w40000" "$werr" mc --line-endings lf "$out/m40000.mc")
mem_w200=$(peak "$out/w200000" "$werr" mc --line-endings lf "$out/m200000.mc")
mem_g40=$(peak "$out/g40000" "$windmc" -C 65001 "$out/m40000.mc")
mem_g200="not run"
if [ "${1:-}" = "--windmc-200k" ]; then
  compile_both 200000
  mem_g200=$(peak "$out/g200000" "$windmc" -C 65001 "$out/m200000.mc")
fi
python3 - "$out" "$mem_w40" "$mem_w200" "$mem_g40" "$mem_g200" <<'PY'
import json, sys
out, mw40, mw200, mg40, mg200 = sys.argv[1:]
r = {x["command"]: x for f in ("werr.json", "windmc.json") for x in json.load(open(f"{out}/{f}"))["results"]}
w40, w200, g40 = (r[k]["median"] for k in ("werr-40k", "werr-200k", "windmc-40k"))
print(f"werr   40,000 msgs  median {w40*1e3:8.1f} ms   peak {mw40} MiB")
print(f"werr  200,000 msgs  median {w200*1e3:8.1f} ms   peak {mw200} MiB")
print(f"windmc 40,000 msgs  median {g40*1e3:8.1f} ms   peak {mg40} MiB   (200,000: peak {mg200} MiB)")
print(f"windmc/werr at 40,000: {g40/w40:.0f}x  (goal >= 100x: {'met' if g40/w40 >= 100 else 'NOT met'})")
print(f"werr 200,000/40,000:   {w200/w40:.2f}x (goal <= 6x: {'met' if w200/w40 <= 6 else 'NOT met'})")
PY
