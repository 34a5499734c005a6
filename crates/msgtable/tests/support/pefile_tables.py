#!/usr/bin/env python3
"""Independent reader for the Rust tests: lists every RT_MESSAGETABLE of PE files with
pefile (PyPI) walking the resource directory, and decodes MESSAGE_RESOURCE_DATA here with
struct, written from the format's documentation, sharing nothing with werr.

Usage: pefile_tables.py FILE...   Prints one JSON object:
  {FILE: [{"name": 1, "langid": 1033, "entries": [[id, flags, text], ...]}, ...], ...}
ANSI entries (flags 0) are given as latin-1 text of their bytes.
"""
import json
import struct
import sys

import pefile

RT_MESSAGETABLE = 11


def decode_table(data):
    (count,) = struct.unpack_from("<I", data, 0)
    entries = []
    for block in range(count):
        low, high, offset = struct.unpack_from("<III", data, 4 + 12 * block)
        pos = offset
        for message_id in range(low, high + 1):
            length, flags = struct.unpack_from("<HH", data, pos)
            body = data[pos + 4 : pos + length]
            if flags == 1:
                text = body.decode("utf-16le", errors="surrogatepass").split("\0", 1)[0]
            elif flags == 2:
                text = body.split(b"\0", 1)[0].decode("utf-8", errors="replace")
            else:
                text = body.split(b"\0", 1)[0].decode("latin-1")
            entries.append([message_id, flags, text])
            pos += length
    return entries


def tables(path):
    pe = pefile.PE(path, fast_load=True)
    pe.parse_data_directories(
        directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]]
    )
    out = []
    root = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
    for rtype in root.entries if root else []:
        if rtype.id != RT_MESSAGETABLE:
            continue
        for name in rtype.directory.entries:
            for lang in name.directory.entries:
                rva, size = lang.data.struct.OffsetToData, lang.data.struct.Size
                data = pe.get_data(rva, size)
                out.append(
                    {
                        "name": name.id if name.name is None else str(name.name),
                        "langid": lang.id,
                        "entries": decode_table(data),
                    }
                )
    return out


def main():
    json.dump({path: tables(path) for path in sys.argv[1:]}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
