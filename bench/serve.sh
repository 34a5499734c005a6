#!/usr/bin/env bash
# Load on `werr serve`: wrk, 2 threads, 64 connections, 30 s each, on /healthz (a trivial
# route answering `ok`) and on /api/v1/lookup?q=0x80001083 of the same server, loopback only.
# Goal (issue 6): lookups >= 70% of healthz requests/s, lookup p99 < 5 ms, 0 errors.
# Usage: bench/serve.sh [seconds]   (builds and installs the shipped binary first: bench/install-werr.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
command -v wrk >/dev/null || scripts/setup-deps
. bench/install-werr.sh
out="target/bench"
mkdir -p "$out"
. scripts/serve-start.sh
# The access log at INFO would write one line per request; the bench measures serving.
RUST_LOG=warn start_werr_serve "$out/serve.out" "$out/serve.log" ./target/bench/bin/werr
curl -fsS "$base/api/v1/lookup?q=0x80001083" >/dev/null
wrk -t2 -c64 -d2s "$base/healthz" >/dev/null   # warm-up
wrk -t2 -c64 -d"${secs}s" --latency "$base/healthz" >"$out/serve-healthz.txt"
wrk -t2 -c64 -d"${secs}s" --latency "$base/api/v1/lookup?q=0x80001083" >"$out/serve-lookup.txt"
# For the record, not the goal: distinct values, answered from the KB rather than kept answers.
wrk -t2 -c64 -d"${secs}s" --latency -s bench/serve-distinct.lua "$base" >"$out/serve-distinct.txt"
python3 - "$out/serve-healthz.txt" "$out/serve-lookup.txt" "$out/serve-distinct.txt" <<'PY'
import re, sys

def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[p99.group(2)]
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, float(p99.group(1)) * scale, errors, requests

h = parse(sys.argv[1])
l = parse(sys.argv[2])
d = parse(sys.argv[3])
print(f"/healthz                         {h[0]:>10.0f} req/s  p99 {h[1]:.2f} ms  errors {h[2]}  ({h[3]} requests)")
print(f"/api/v1/lookup?q=0x80001083      {l[0]:>10.0f} req/s  p99 {l[1]:.2f} ms  errors {l[2]}  ({l[3]} requests)")
print(f"/api/v1/lookup, distinct values  {d[0]:>10.0f} req/s  p99 {d[1]:.2f} ms  errors {d[2]}  ({d[3]} requests; KB path, for the record)")
ratio = l[0] / h[0]
met = ratio >= 0.70 and l[1] < 5.0 and l[2] == 0 and h[2] == 0
print(f"lookup / healthz                 {ratio*100:.0f}%   (goal >= 70%, p99 < 5 ms, 0 errors: {'met' if met else 'NOT met'})")
PY
