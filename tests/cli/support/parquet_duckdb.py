"""Reads a Parquet dataset written by `werr evtx --format parquet` with DuckDB and prints
what tests/cli/evtx_parquet.rs compares with werr's JSON Lines, as one JSON object.

Usage: parquet_duckdb.py DATASET_DIR
"""
import json
import sys

import duckdb

root = sys.argv[1]
con = duckdb.connect()
# Every complete file of the dataset; the hidden partial names of a run in progress never
# match, and the `channel=` folders are read as a Hive partition.
files = f"read_parquet('{root}/**/*.parquet', hive_partitioning = true)"
plain = f"read_parquet('{root}/**/*.parquet', hive_partitioning = false)"


def rows(sql):
    return con.execute(sql).fetchall()


out = {
    "duckdb": duckdb.__version__,
    "rows_per_file": {f: n for f, n in rows(f"SELECT file, count(*) FROM {files} GROUP BY file")},
    "columns": [[name, kind] for name, kind, *_ in rows(f"DESCRIBE SELECT * FROM {plain}")],
    # The channel of each row as its folder names it, and as its own column holds it.
    "channel_mismatches": rows(
        f"SELECT count(*) FROM {files} h JOIN {plain} p USING (file, record_id) "
        "WHERE h.channel IS DISTINCT FROM p.channel"
    )[0][0],
    "rows_per_channel": {c: n for c, n in rows(f"SELECT channel, count(*) FROM {files} GROUP BY channel")},
    "logon_failures_by_user": {
        u: n
        for u, n in rows(
            f"SELECT event_data['TargetUserName'], count(*) FROM {files} "
            "WHERE channel = 'Security' AND event_id = 4625 GROUP BY 1"
        )
    },
    "messages": rows(f"SELECT count(message) FROM {files}")[0][0],
    "inserts": rows(f"SELECT sum(len(inserts)) FROM {files}")[0][0],
    "event_data_entries": rows(f"SELECT sum(cardinality(event_data)) FROM {files}")[0][0],
    # Each record's time as text with nanoseconds, to compare with the log's SystemTime.
    "times": {
        f"{f}#{r}": t
        for f, r, t in rows(
            f"SELECT file, record_id, strftime(timestamp AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%n') FROM {plain}"
        )
    },
    "keywords": {
        f"{f}#{r}": None if k is None else str(k)
        for f, r, k in rows(f"SELECT file, record_id, keywords FROM {plain}")
    },
    "activity_ids": {
        f"{f}#{r}": a
        for f, r, a in rows(f"SELECT file, record_id, activity_id FROM {plain} WHERE activity_id IS NOT NULL")
    },
}
json.dump(out, sys.stdout)
