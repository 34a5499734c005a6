#!/usr/bin/env python3
"""The abusive clients of bench/soak.sh, for a bounded time, on loopback only.

- SLOW clients each open a connection, send the start of a request head and then one byte a
  second, never finishing it; when the server closes the connection they open another.
- WORST clients send, one after another, the most expensive requests the API accepts (measured
  on the CLI: each costs 10-30 ms where a lookup by value costs under 1): searches of 16
  distinct common two-letter prefixes (`th* co* pr* ...`, the shortest prefix taken) padded to
  255 characters, lookups of names of typical length that no name is near (the near-spelling
  scan over names of that length), each different so no kept answer serves them, and 64 KiB
  format bodies that would render 512 MB (answered 422) or just under the 64 KiB output limit
  (answered 200).

Prints one JSON object: the status counts of the worst-case requests, how many slow
connections the server closed and after how long, and the client-side errors.

Usage: soak_clients.py BASE_URL SECONDS [SLOW] [WORST]
"""
import json
import random
import socket
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

base, seconds = sys.argv[1], float(sys.argv[2])
slow_count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
worst_count = int(sys.argv[4]) if len(sys.argv) > 4 else 8
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
assert host in ("127.0.0.1", "localhost", "::1"), "loopback only"
deadline = time.monotonic() + seconds
# Bounded in count as well as time: no client sends more than this many requests.
MAX_REQUESTS_PER_CLIENT = 100_000

lock = threading.Lock()
statuses = {}
errors = []
slow_closed = []  # seconds each slow connection lived before the server closed it


def count(kind, status):
    with lock:
        statuses.setdefault(kind, {}).setdefault(str(status), 0)
        statuses[kind][str(status)] += 1


def slow_client():
    sent = 0
    while time.monotonic() < deadline and sent < MAX_REQUESTS_PER_CLIENT:
        sent += 1
        try:
            s = socket.create_connection((host, port), timeout=30)
        except OSError as e:
            with lock:
                errors.append(f"slow connect: {e}")
            time.sleep(1)
            continue
        opened = time.monotonic()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: soak\r\nX-Slow: ")
            s.settimeout(1.0)
            while time.monotonic() < deadline:
                try:
                    if s.recv(1024) == b"":
                        with lock:
                            slow_closed.append(time.monotonic() - opened)
                        break
                except socket.timeout:
                    s.sendall(b"z")
        except OSError:
            with lock:
                slow_closed.append(time.monotonic() - opened)
        finally:
            s.close()


def words(n, size):
    return [("".join(random.choice(string.ascii_lowercase) for _ in range(size))) for _ in range(n)]


# Frequent English starts: each prefix matches a large part of the text index.
COMMON_PREFIXES = ("th co pr re de in ac st se fi ca pa ma fo op wa an di ex un pe tr sp me "
                   "no ne ha wi be al").split()


def worst_requests():
    """The next worst-case request: (kind, url, body or None)."""
    k = random.randrange(4)
    if k == 0:
        q = " ".join(w + "*" for w in random.sample(COMMON_PREFIXES, 16))
        q = (q + " " + " ".join(words(60, 3)))[:255]
        return "search", f"{base}/api/v1/search?q={urllib.parse.quote(q)}&limit=100", None
    if k == 1:
        q = "ERROR_" + "".join(random.choice(string.ascii_uppercase) for _ in range(random.randint(12, 24)))
        return "lookup", f"{base}/api/v1/lookup?q={urllib.parse.quote(q)}&limit=100", None
    if k == 2:
        body = {"text": "%1" * 16_000, "args": ["x" * 32_000]}
        return "format-512MB", f"{base}/api/v1/format", json.dumps(body).encode()
    body = {"text": "%1%1", "args": ["y" * 32_000]}
    return "format-64KB", f"{base}/api/v1/format", json.dumps(body).encode()


def worst_client():
    sent = 0
    while time.monotonic() < deadline and sent < MAX_REQUESTS_PER_CLIENT:
        sent += 1
        kind, url, body = worst_requests()
        request = urllib.request.Request(url, data=body)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                r.read()
                count(kind, r.status)
        except urllib.error.HTTPError as e:
            e.read()
            count(kind, e.code)
        except OSError as e:
            with lock:
                errors.append(f"{kind}: {e}")


threads = [threading.Thread(target=slow_client) for _ in range(slow_count)]
threads += [threading.Thread(target=worst_client) for _ in range(worst_count)]
for t in threads:
    t.start()
for t in threads:
    t.join()
closed = sorted(slow_closed)
print(json.dumps({
    "worst": statuses,
    "slow_connections_closed": len(closed),
    "slow_closed_after_s": {
        "min": round(closed[0], 2) if closed else None,
        "max": round(closed[-1], 2) if closed else None,
    },
    "client_errors": errors[:20],
    "client_error_count": len(errors),
}))
