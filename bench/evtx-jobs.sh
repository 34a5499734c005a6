#!/usr/bin/env bash
# Many logs at once (issue 16 item 5): `werr evtx DIR --json` over a folder holding COPIES
# copies of each corpus log (../shared/corpus/evtx/*.evtx), with every log on its own worker
# (the default: --jobs = cores, one chunk thread each) against one thread (--jobs 1) and
# against one log at a time with its chunks on two threads (--threads 2), runs interleaved.
# Goal: the default >= 1.8x the throughput of --jobs 1 on 2 cores, max RSS < 200 MB.
# Then the instructions of the three (valgrind, every thread counted) on a folder of 10 copies.
# Usage: bench/evtx-jobs.sh [COPIES [RUNS]]   (default: 200 copies, 7 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-200}"
runs="${2:-7}"
corpus="${WERR_CORPUS:-../shared/corpus}/evtx"
make_folder() { # COPIES FOLDER [LOG...]: LOGs default to every corpus log
  local copies="$1" folder="$2"
  shift 2
  if [ ! -f "$folder/.complete" ]; then
    rm -rf "$folder"
    for ((i = 0; i < copies; i++)); do
      mkdir -p "$folder/$i"
      if [ $# -gt 0 ]; then
        for log in "$@"; do cp "$corpus/$log" "$folder/$i/"; done
      else
        cp "$corpus"/*.evtx "$folder/$i/"
      fi
    done
    touch "$folder/.complete"
  fi
}
dir="target/bench/evtx-jobs-$copies"
make_folder "$copies" "$dir"
. bench/install-werr.sh
werr=./target/bench/bin/werr
echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/evtx_jobs.py "$runs" "$dir" "$werr"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Logs of one chunk each (the corpus's three small ones): their chunks cannot be read side by
# side, only the logs.
small_logs="target/bench/evtx-jobs-small-$copies"
make_folder "$copies" "$small_logs" Security_short_selected.evtx Application_no_crc32.evtx TestLogX.evtx
python3 bench/evtx_jobs.py "$runs" "$small_logs" "$werr"
for args in "--jobs 1" "--threads 2" ""; do
  rss=$(/usr/bin/time -v $werr evtx "$dir" --json $args 2>&1 >/dev/null |
    sed -n "s/.*Maximum resident set size (kbytes): //p" || true)
  echo "/usr/bin/time -v, werr evtx DIR --json $args: max RSS $((rss / 1024)) MB"
done
if command -v valgrind >/dev/null; then
  small="target/bench/evtx-jobs-10"
  make_folder 10 "$small"
  for args in "--jobs 1" "--threads 2" ""; do
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $werr evtx "$small" --json $args 2>&1 >/dev/null |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p' || true)
    echo "instructions (callgrind, all threads), 10 copies, werr evtx DIR --json $args: $((n / 1000000))M"
  done
fi
