"""Strips boilerplate from a JSONL corpus with Hugging Face `datasets` and deboil.

    python examples/hf_datasets.py news.jsonl clean.jsonl

Each record's `text` is cleaned (its `url`, when there is one, lets site rules apply); the
texts come out as `deboil clean news.jsonl` gives them. Needs `pip install datasets`.
"""

import sys

import datasets

import deboil


def clean_dataset(ds: datasets.Dataset, cleaner: deboil.Cleaner, batch_size: int = 1000, jobs=None) -> datasets.Dataset:
    """`ds` with its `text` column cleaned, and a `deboil_removed` column (characters removed)."""

    def clean(batch):
        out = cleaner.clean_batch(batch["text"], urls=batch.get("url"), jobs=jobs)
        return {
            "text": [c.text for c in out],
            "deboil_removed": [sum(r.end - r.start for r in c.removals) for c in out],
        }

    # One process, `jobs` threads (None: one per core). A Cleaner cannot be pickled, so datasets
    # warns that it cannot fingerprint `clean` (the result is not cached) and num_proc > 1 fails:
    # `ds.map(deboil.integrations.hf_datasets.BatchCleaner(), batched=True)` does both.
    return ds.map(clean, batched=True, batch_size=batch_size, desc="deboil")


def main() -> None:
    src, dst = sys.argv[1:3]
    ds = datasets.load_dataset("json", data_files=src, split="train")
    ds = clean_dataset(ds, deboil.Cleaner())
    ds.to_json(dst, lines=True, force_ascii=False)
    changed = sum(n > 0 for n in ds["deboil_removed"])
    print(f"{len(ds)} records, {changed} changed -> {dst}", file=sys.stderr)


if __name__ == "__main__":
    main()
