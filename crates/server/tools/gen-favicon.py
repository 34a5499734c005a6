#!/usr/bin/env python3
"""Writes assets/favicon.ico: a 32x32 "w" on werr's accent blue, one PNG inside an ICO.

Browsers ask every site for /favicon.ico; werr draws its own so nothing comes from elsewhere.
Run from the crate's folder: python3 tools/gen-favicon.py
"""
import math, os, struct, zlib

SIZE = 32
ACCENT = (0x0B, 0x5C, 0xAD)  # --accent of werr.css
STROKE = [(7, 9), (11.5, 23), (16, 13), (20.5, 23), (25, 9)]  # the "w", in pixels


def distance_to_segment(px, py, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def pixel(x, y):
    cx, cy, radius = x + 0.5, y + 0.5, 6
    qx = max(radius - cx, 0, cx - (SIZE - radius))
    qy = max(radius - cy, 0, cy - (SIZE - radius))
    corner = math.hypot(qx, qy)
    alpha = 1.0 if corner <= radius else max(0.0, 1 - (corner - radius))
    d = min(distance_to_segment(cx, cy, STROKE[i], STROKE[i + 1]) for i in range(len(STROKE) - 1))
    white = max(0.0, min(1.0, 2.6 - d))
    rgb = bytes(int(c * (1 - white) + 255 * white) for c in ACCENT)
    return rgb + bytes([int(255 * alpha)])


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


rows = b"".join(b"\0" + b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE))
png = (b"\x89PNG\r\n\x1a\n"
       + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(png), 22) + png
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "favicon.ico")
with open(out, "wb") as f:
    f.write(ico)
