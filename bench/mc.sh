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
. bench/install-werr.sh
werr="$PWD/target/bench/bin/werr"
windmc=x86_64-w64-mingw32-windmc
out="$PWD/target/bench/mc"
rm -rf "$out" && mkdir -p "$out"
small=${MC_BENCH_SMALL:-40000} large=${MC_BENCH_LARGE:-200000}  # smaller sizes to try the script
for n in "$small" "$large"; do python3 bench/mc_gen.py "$n" "$out/m$n.mc"; done

measure() { # folder, command...: prints "<wall seconds> <peak MiB>" of one run (/usr/bin/time -v)
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident/ { m = $2 / 1024 }
    END { printf "%.3f %.1f\n", s, m }')
}
compile_both() { # n: compile with both into separate folders and compare the tables
  local n=$1
  mkdir -p "$out/w$n" "$out/g$n"
  read -r gt gm < <(measure "$out/g$n" "$windmc" -C 65001 "$out/m$n.mc")
  (cd "$out/w$n" && "$werr" mc --line-endings lf "$out/m$n.mc")
  for f in "$out/g$n"/*.bin; do
    cmp "$f" "$out/w$n/$(basename "$f")" || { echo "DIFFERENT: $(basename "$f") at $n"; exit 1; }
  done
  echo "$n messages: $(ls "$out/g$n"/*.bin | wc -l) tables, identical bytes (werr --line-endings lf vs windmc)" >&2
  echo "$gt $gm"
}

# windmc is quadratic: one run each (minutes), timed and measured by /usr/bin/time -v.
read -r g40 gm40 < <(compile_both "$small")
g200="not run"; gm200="not run"
if [ "${1:-}" = "--windmc-200k" ]; then read -r g200 gm200 < <(compile_both "$large"); fi
hyperfine --warmup 1 --runs 10 -N --export-json "$out/werr.json" \
  --command-name werr-40k "$werr mc --line-endings lf -h $out/w$small -r $out/w$small $out/m$small.mc" \
  --command-name werr-200k "$werr mc --line-endings lf -h $out/w$large -r $out/w$large $out/m$large.mc" >/dev/null
read -r _ wm40 < <(measure "$out/w$small" "$werr" mc --line-endings lf "$out/m$small.mc")
mkdir -p "$out/w$large"
read -r _ wm200 < <(measure "$out/w$large" "$werr" mc --line-endings lf "$out/m$large.mc")
python3 - "$out" "$wm40" "$wm200" "$g40" "$gm40" "$g200" "$gm200" "$small" "$large" <<'PY'
import json, sys
out, wm40, wm200, g40, gm40, g200, gm200, small, large = sys.argv[1:]
small, large = f"{int(small):,}", f"{int(large):,}"
r = {x["command"]: x for x in json.load(open(f"{out}/werr.json"))["results"]}
w40, w200 = r["werr-40k"]["median"], r["werr-200k"]["median"]
g40 = float(g40)
print(f"werr   {small:>7} msgs x 3 langs  median {w40:9.3f} s   peak {wm40} MiB")
print(f"werr   {large:>7} msgs x 3 langs  median {w200:9.3f} s   peak {wm200} MiB")
print(f"windmc {small:>7} msgs x 3 langs  one run {g40:8.3f} s   peak {gm40} MiB")
print(f"windmc {large:>7} msgs x 3 langs  one run {g200} s   peak {gm200} MiB")
print(f"windmc/werr at {small}: {g40/w40:.0f}x  (goal >= 100x: {'met' if g40/w40 >= 100 else 'NOT met'})")
print(f"werr {large}/{small}: {w200/w40:.2f}x (goal <= 6x: {'met' if w200/w40 <= 6 else 'NOT met'})")
PY
