"""Hugging Face datasets: `load_dataset("json") .map(fn, batched=True)` with a function calling
Cleaner.clean_batch (examples/hf_datasets.py) or with deboil.integrations.hf_datasets.BatchCleaner
gives the texts `deboil clean` (the command line) gives on the same JSONL."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

import deboil
from conftest import PYTHON_DIR, REPO
from test_cli import BINARY, cli, newest, records  # noqa: F401  (cli is a fixture)

datasets = pytest.importorskip("datasets")

from deboil.integrations.hf_datasets import BatchCleaner  # noqa: E402

EXTRA = [
    "The council approved the budget on Tuesday, officials said.\n\nAdvertisement\n\nThe vote was close.\n",
    "Workers repair the road on Monday.\nREUTERS/Jane Doe\n\nThe repairs will take a month, the city said.\n",
    "The library opens next spring, the mayor said.\n\nSign up for our daily newsletter\n",
]


def load_example():
    spec = importlib.util.spec_from_file_location("hf_datasets_example", PYTHON_DIR / "examples" / "hf_datasets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, cli):  # noqa: F811
    """The JSONL, and the texts `deboil clean` makes of it (by id)."""
    if BINARY.stat().st_mtime < newest(REPO / "src", REPO / "rules"):
        pytest.skip(f"{BINARY} is older than src/ or rules/: rebuild it to compare the built-in rules")
    tmp = tmp_path_factory.mktemp("hf")
    recs = records() + [
        {"id": f"extra-{i}", "text": t, "url": f"https://news.example.com/{i}", "lang": None} for i, t in enumerate(EXTRA)
    ]
    src = tmp / "in.jsonl"
    out = tmp / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    subprocess.run([str(cli), "clean", str(src), "-o", str(out), "--quiet"], check=True)
    want = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        want[rec["id"]] = rec["text"]
    assert list(want) == [r["id"] for r in recs]
    assert sum(want[r["id"]] != r["text"] for r in recs) >= len(EXTRA)  # something to compare
    return src, want, recs


def load(src: Path, cache: Path):
    return datasets.load_dataset("json", data_files=str(src), split="train", cache_dir=str(cache))


def test_example_function_same_as_cli(corpus, tmp_path):
    src, want, recs = corpus
    example = load_example()
    ds = example.clean_dataset(load(src, tmp_path / "cache"), deboil.Cleaner(), batch_size=4)
    assert ds["id"] == [r["id"] for r in recs]
    assert ds["text"] == [want[r["id"]] for r in recs]
    assert [n > 0 for n in ds["deboil_removed"]] == [want[r["id"]] != r["text"] for r in recs]


def test_inline_function_same_as_cli(corpus, tmp_path):
    src, want, recs = corpus
    cleaner = deboil.Cleaner()

    def fn(batch):
        return {"text": [c.text for c in cleaner.clean_batch(batch["text"], urls=batch.get("url"))]}

    ds = load(src, tmp_path / "cache").map(fn, batched=True, batch_size=5)
    assert ds["text"] == [want[r["id"]] for r in recs]


@pytest.mark.parametrize("num_proc", [None, 2])
def test_batch_cleaner_same_as_cli(corpus, tmp_path, num_proc):
    src, want, recs = corpus
    fn = BatchCleaner(removals_column="deboil", flagged_column="deboil_flagged", jobs=1 if num_proc else None)
    ds = load(src, tmp_path / "cache")
    ds = ds.map(fn, batched=True, batch_size=3, num_proc=num_proc, features=fn.features(ds.features))
    assert ds["text"] == [want[r["id"]] for r in recs]
    direct = deboil.Cleaner().clean_batch([r["text"] for r in recs], urls=[r["url"] for r in recs])
    assert ds["deboil"] == [
        [{"rule": x.rule, "category": x.category, "start": x.start, "end": x.end} for x in c.removals] for c in direct
    ]
    assert ds["deboil_flagged"] == [c.flagged for c in direct]


def test_batch_cleaner_fingerprints(tmp_path):
    from datasets.fingerprint import Hasher

    # Pickled as its options: the same options hash the same (so datasets can cache), others not.
    assert Hasher.hash(BatchCleaner(ignore="model")) == Hasher.hash(BatchCleaner(ignore="model"))
    assert Hasher.hash(BatchCleaner(ignore="model")) != Hasher.hash(BatchCleaner())
    # Options go to the Cleaner; a bad one fails when the BatchCleaner is made.
    fn = BatchCleaner(select="credit", url_column="missing", output_column="clean")
    out = fn({"text": EXTRA})
    assert out == {"clean": [c.text for c in deboil.Cleaner(select="credit").clean_batch(EXTRA)]}
    assert out["clean"][0] == EXTRA[0] and out["clean"][1] != EXTRA[1]
    with pytest.raises(deboil.RuleError):
        BatchCleaner(rules=tmp_path / "missing.toml")
