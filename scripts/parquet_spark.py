"""Reads a `werr evtx --format parquet` dataset with Spark (local mode) and compares its
counts with the JSON Lines of the same logs. Run by scripts/parquet-spark.

Usage: parquet_spark.py DATASET_DIR RECORDS_JSONL
"""
import collections
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

dataset, jsonl = sys.argv[1], sys.argv[2]
records = [json.loads(line) for line in open(jsonl, encoding="utf-8")]

spark = (
    SparkSession.builder.master("local[2]")
    .appName("werr-parquet")
    # Spark has no nanosecond timestamp type: without this it refuses
    # INT64 (TIMESTAMP(NANOS,true)) columns; with it, it reads them as longs (ns since 1970).
    .config("spark.sql.legacy.parquet.nanosAsLong", "true")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.parquet(dataset)  # the folder: channel=NAME/ read as a partition column

print(f"Spark {spark.version}; schema:")
df.printSchema()

all_same = True


def compare(what, spark_counts, json_counts):
    global all_same
    same = dict(spark_counts) == dict(json_counts)
    all_same = all_same and same
    print(f"{what}: {'same as' if same else 'DIFFERS from'} --json: {dict(sorted(spark_counts.items()))}")


compare(
    "rows per file",
    {r["file"]: r["count"] for r in df.groupBy("file").count().collect()},
    collections.Counter(r["file"] for r in records),
)
compare(
    "rows per channel (partition column)",
    {r["channel"]: r["count"] for r in df.groupBy("channel").count().collect()},
    collections.Counter(r["channel"] for r in records),
)
by_user = (
    df.where((F.col("channel") == "Security") & (F.col("event_id") == 4625))
    .groupBy(F.col("event_data")["TargetUserName"].alias("user"))
    .count()
    .collect()
)
json_by_user = collections.Counter(
    r["inserts"][r["insert_names"].index("TargetUserName")]
    for r in records
    if r["channel"] == "Security" and r["event_id"] == 4625
)
compare("Security 4625 by TargetUserName", {r["user"]: r["count"] for r in by_user}, json_by_user)
compare(
    "rendered messages",
    {"count": df.where(F.col("message").isNotNull()).count()},
    {"count": sum(r["message"] is not None for r in records)},
)
print(f"total rows: {df.count()} (--json: {len(records)})")
spark.stop()
sys.exit(0 if all_same else 1)
