"""A function for Hugging Face ``datasets``' ``Dataset.map(..., batched=True)`` that strips
boilerplate from a text column with deboil.

>>> import datasets
>>> from deboil.integrations.hf_datasets import BatchCleaner
>>> ds = datasets.load_dataset("json", data_files="news.jsonl", split="train")  # doctest: +SKIP
>>> ds = ds.map(BatchCleaner(), batched=True, batch_size=1000)  # doctest: +SKIP

A plain function that closes over a ``deboil.Cleaner`` works too, but a ``Cleaner`` cannot be
pickled, so ``datasets`` can neither fingerprint such a function (it warns and does not cache
the result) nor send it to ``num_proc`` worker processes. A ``BatchCleaner`` pickles as its
options (and deboil's version) and compiles its rules on first use in each process, so both
work. This module does not import ``datasets``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

from .. import DEFAULT_MAX_REMOVED, __version__
from ._lazy import LazyCleaner

__all__ = ["BatchCleaner"]

_Path = Union[str, "os.PathLike[str]"]


class BatchCleaner(LazyCleaner):
    """Cleans ``batch[text_column]`` of a batch of ``Dataset.map(fn, batched=True)``.

    Returns the cleaned texts under ``text_column`` (or ``output_column``), and, when asked, the
    removals of each record (a list of ``{"rule", "category", "start", "end"}``, character
    offsets into the text before cleaning) under ``removals_column`` and the ``max_removed``
    flag (the share the rules would have removed, or None) under ``flagged_column``.

    Args:
        rules, default_rules, select, ignore, max_removed, model_threshold: as
            ``deboil.Cleaner`` (``max_removed`` defaults to 0.7, as the command line).
        jobs: cleaning threads (None: one per core; use 1 with ``num_proc`` > 1).
        text_column: the column of the texts.
        url_column: the column of page URLs, for site rules (ignored when the dataset has none).
        lang_column: the column of language codes (None: detect each document's language).
        output_column: where to put the cleaned texts (default: over ``text_column``).
        removals_column: where to put each record's removals (default: not kept).
        flagged_column: where to put each record's ``max_removed`` flag (default: not kept).

    With ``removals_column`` or ``flagged_column``, pass ``features=fn.features(ds.features)``
    to ``map``: ``datasets`` infers a column's type from the first batch, and cannot when that
    batch has no removal or no flagged record.
    """

    def __init__(
        self,
        rules: Union[_Path, Sequence[_Path], None] = None,
        default_rules: bool = True,
        select: Union[str, Sequence[str], None] = None,
        ignore: Union[str, Sequence[str], None] = None,
        max_removed: Optional[float] = DEFAULT_MAX_REMOVED,
        model_threshold: Optional[float] = None,
        jobs: Optional[int] = None,
        text_column: str = "text",
        url_column: Optional[str] = "url",
        lang_column: Optional[str] = None,
        output_column: Optional[str] = None,
        removals_column: Optional[str] = None,
        flagged_column: Optional[str] = None,
    ) -> None:
        self.options: dict[str, Any] = {
            "rules": [os.fspath(p) for p in rules] if isinstance(rules, (list, tuple)) else rules,
            "default_rules": default_rules,
            "select": select,
            "ignore": ignore,
            "max_removed": max_removed,
            "model_threshold": model_threshold,
        }
        self.jobs = jobs
        self.text_column = text_column
        self.url_column = url_column
        self.lang_column = lang_column
        self.output_column = output_column or text_column
        self.removals_column = removals_column
        self.flagged_column = flagged_column
        self.version = __version__  # part of the pickled state, so of datasets' fingerprint
        self.cleaner  # noqa: B018 - compiled now: fails here on a bad option

    def cleaner_options(self) -> dict[str, Any]:
        return self.options

    def features(self, features: Any) -> Any:
        """``features`` (a ``datasets.Features``, such as ``ds.features``) with the columns this
        function writes, typed: pass it as ``ds.map(fn, batched=True, features=...)``."""
        from datasets import Features, Value

        out = Features(dict(features))
        out[self.output_column] = Value("string")
        if self.removals_column:
            out[self.removals_column] = [
                {"rule": Value("string"), "category": Value("string"), "start": Value("int64"), "end": Value("int64")}
            ]
        if self.flagged_column:
            out[self.flagged_column] = Value("float64")
        return out

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        urls = batch[self.url_column] if self.url_column and self.url_column in batch else None
        langs = batch[self.lang_column] if self.lang_column else None
        out = self.cleaner.clean_batch(batch[self.text_column], urls=urls, langs=langs, jobs=self.jobs)
        result: dict[str, list[Any]] = {self.output_column: [c.text for c in out]}
        if self.removals_column:
            result[self.removals_column] = [
                [{"rule": r.rule, "category": r.category, "start": r.start, "end": r.end} for r in c.removals]
                for c in out
            ]
        if self.flagged_column:
            result[self.flagged_column] = [c.flagged for c in out]
        return result
