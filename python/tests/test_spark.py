"""Spark, locally (pyspark and a Java runtime): the command line as an RDD pipe and the package in
mapPartitions give the same records as `deboil clean` on the same JSONL, in order within each
partition, none lost."""

import json
import os
import shutil
import subprocess
import sys

import pytest

import deboil
from test_cli import cli, records  # noqa: F401 - the `cli` fixture

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Workers run this interpreter, which has the package.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("deboil-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_pipe_and_map_partitions_give_the_clis_records(spark, cli, tmp_path):  # noqa: F811
    recs = records()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    subprocess.run([str(cli), "clean", str(src), "-o", str(whole), "--quiet", "--lang-field", "lang"], check=True)
    want = {json.loads(line)["id"]: json.loads(line)["text"] for line in whole.read_text(encoding="utf-8").splitlines()}

    # Defined here, so that Spark ships it by value (its workers cannot import this test module).
    def clean_partition(lines):
        recs = [json.loads(line) for line in lines]
        out = deboil.Cleaner().clean_batch(
            [r["text"] for r in recs], urls=[r["url"] for r in recs], langs=[r["lang"] for r in recs], jobs=1
        )
        for rec, cleaned in zip(recs, out):
            yield json.dumps({**rec, "text": cleaned.text}, ensure_ascii=False)

    lines = spark.sparkContext.textFile(str(src), minPartitions=3)
    parts_in = lines.glom().collect()
    assert len(parts_in) >= 2 and sum(map(len, parts_in)) == len(recs)

    piped = lines.pipe(f"{cli} clean - --format jsonl --quiet --lang-field lang").glom().collect()
    mapped = lines.mapPartitions(clean_partition).glom().collect()
    for parts in (piped, mapped):
        assert [len(p) for p in parts] == [len(p) for p in parts_in], "counts balance, partition by partition"
        for part_in, part_out in zip(parts_in, parts):
            got = [json.loads(line) for line in part_out]
            assert [g["id"] for g in got] == [json.loads(line)["id"] for line in part_in], "same order"
            for g in got:
                assert g["text"] == want[g["id"]], g["id"]
