"""deboil in Spark, two ways: the command line as a pipe over JSONL lines (no Python package
needed on the workers), or the Python package inside mapPartitions (one Cleaner per partition)."""

import json

from pyspark.sql import SparkSession

import deboil

spark = SparkSession.builder.master("local[2]").appName("deboil").getOrCreate()
lines = spark.sparkContext.textFile("news.jsonl")  # one JSON record per line

# 1. The CLI on each partition, stdin to stdout: records come back in order within a partition.
piped = lines.pipe("deboil clean - --format jsonl --quiet")


# 2. The Python package: compile the rules once per partition, clean the texts in one batch.
def clean_partition(records):
    records = [json.loads(line) for line in records]
    cleaned = deboil.Cleaner(max_removed=0.7).clean_batch([r["text"] for r in records], urls=[r.get("url") for r in records], jobs=1)
    for record, out in zip(records, cleaned):
        yield json.dumps({**record, "text": out.text}, ensure_ascii=False)


mapped = lines.mapPartitions(clean_partition)
mapped.saveAsTextFile("clean/")
