#!/usr/bin/env bash
# Soak of `werr serve` under abuse, loopback only, bounded in time (and in requests per client):
# wrk at 256 connections on /healthz, together with 20 clients sending request heads one byte a
# second and 8 clients sending the worst-case search, lookup and format requests
# (bench/soak_clients.py), for 60 s. Prints /healthz p99 latency, errors and the server's peak
# resident memory, and the machine's load before and after (the machine is shared). For scale,
# the same wrk alone on the same server first (20 s): what /healthz costs on this machine
# without the abuse.
# Goal (issue 17): /healthz p99 < 50 ms, no 5xx but the deliberate 503s of the time limit,
# peak RSS < 300 MB.
# Usage: bench/soak.sh [seconds]   (builds and installs the shipped binary first: bench/install-werr.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
command -v wrk >/dev/null || scripts/setup-deps
. bench/install-werr.sh
out="target/bench"
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
. scripts/serve-start.sh
RUST_LOG=warn start_werr_serve "$out/soak.out" "$out/soak.log" ./target/bench/bin/werr
curl -fsS "$base/healthz" >/dev/null
wrk -t2 -c256 -d20s --timeout 10s --latency "$base/healthz" >"$out/soak-baseline.txt"
python3 bench/soak_clients.py "$base" "$secs" 20 8 >"$out/soak-clients.json" &
clients=$!
wrk -t2 -c256 -d"${secs}s" --timeout 10s --latency "$base/healthz" >"$out/soak-wrk.txt"
wait "$clients"
# The server still answers, and its peak resident set (VmHWM) over the whole run.
healthy=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/healthz" || true)
peak_kb=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$server/status")
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/soak-wrk.txt" "$out/soak-clients.json" "$peak_kb" "$healthy" "$out/soak-baseline.txt" <<'PY'
import json, re, sys

wrk = open(sys.argv[1]).read()
clients = json.load(open(sys.argv[2]))
peak_mb = int(sys.argv[3]) / 1024
healthy = sys.argv[4]
baseline = open(sys.argv[5]).read()

def p99_of(text):
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

p99 = p99_of(wrk)
requests = int(re.search(r"(\d+) requests in", wrk).group(1))
print(f"/healthz alone (wrk, 256 connections, 20 s): p99 {p99_of(baseline):.2f} ms")
socket_errors = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk)
if m:
    socket_errors = sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
healthz_non_2xx = int(m.group(1)) if m else 0

worst = clients["worst"]
deliberate_503 = sum(c.get("503", 0) for c in worst.values())
unexpected_5xx = sum(n for c in worst.values() for s, n in c.items() if s.startswith("5") and s != "503")
print(f"/healthz with the abuse: {requests} requests at 256 connections, p99 {p99:.2f} ms, "
      f"socket errors {socket_errors}, non-2xx {healthz_non_2xx}")
for kind, counts in sorted(worst.items()):
    shown = ", ".join(f"{s}: {n}" for s, n in sorted(counts.items()))
    print(f"worst-case {kind:<13} {shown}")
print(f"slow-header connections closed by the server: {clients['slow_connections_closed']} "
      f"(after {clients['slow_closed_after_s']['min']}-{clients['slow_closed_after_s']['max']} s)")
print(f"client errors: {clients['client_error_count']} {clients['client_errors'][:3]}")
print(f"5xx: {deliberate_503} deliberate 503 (time limit), {unexpected_5xx} other")
print(f"peak RSS of werr serve: {peak_mb:.0f} MB; /healthz after the run: {healthy}")
met = (p99 < 50 and unexpected_5xx == 0 and socket_errors == 0 and healthz_non_2xx == 0
       and clients["client_error_count"] == 0 and peak_mb < 300 and healthy == "200")
print(f"goal (p99 < 50 ms, no 5xx but 503, no errors, RSS < 300 MB): {'met' if met else 'NOT met'}")
PY
