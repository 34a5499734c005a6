#!/usr/bin/env python3
"""The peer of `werr extract --json DIR` for bench/msgtable.sh: walks DIR, opens every PE file
with pefile (memory-mapped, headers and resource directory only), decodes every message of
every RT_MESSAGETABLE and prints one JSON object per message."""
import json
import os
import struct
import sys

import pefile

RT_MESSAGETABLE = 11


def messages(data):
    (count,) = struct.unpack_from("<I", data, 0)
    for block in range(count):
        low, high, pos = struct.unpack_from("<III", data, 4 + 12 * block)
        for message_id in range(low, high + 1):
            length, flags = struct.unpack_from("<HH", data, pos)
            body = data[pos + 4 : pos + length]
            if flags == 1:
                text = body.decode("utf-16le", errors="replace").split("\0", 1)[0]
            else:
                text = body.split(b"\0", 1)[0].decode("utf-8" if flags == 2 else "cp1252", errors="replace")
            yield message_id, text
            pos += length


def main():
    out = sys.stdout
    for root, dirs, files in os.walk(sys.argv[1]):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                if f.read(2) != b"MZ":
                    continue
            try:
                pe = pefile.PE(path, fast_load=True)
            except pefile.PEFormatError:
                continue
            pe.parse_data_directories(
                directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]]
            )
            root_dir = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
            for rtype in root_dir.entries if root_dir else []:
                if rtype.id != RT_MESSAGETABLE:
                    continue
                for res in rtype.directory.entries:
                    for lang in res.directory.entries:
                        entry = lang.data.struct
                        data = pe.get_data(entry.OffsetToData, entry.Size)
                        for message_id, text in messages(data):
                            out.write(json.dumps({
                                "file": path, "module": name, "langid": lang.id,
                                "id": message_id, "id_hex": "0x%08X" % message_id,
                                "text": text,
                            }, ensure_ascii=False))
                            out.write("\n")
            pe.close()


if __name__ == "__main__":
    main()
