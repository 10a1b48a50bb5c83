"""A `datatrove <https://github.com/huggingface/datatrove>`_ pipeline step that strips boilerplate
from ``Document.text`` with deboil.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from deboil.integrations.datatrove import DeboilCleaner
>>> LocalPipelineExecutor(pipeline=[
...     JsonlReader("news/"),
...     DeboilCleaner(keep_removals=True, exclusion_writer=JsonlWriter("removed/")),
...     JsonlWriter("clean/"),
... ], tasks=4).run()  # doctest: +SKIP

This module imports datatrove (``pip install datatrove``); ``import deboil`` does not.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

try:
    from datatrove.data import Document
    from datatrove.pipeline.base import PipelineStep
except ImportError as err:  # pragma: no cover - exercised only without datatrove
    raise ImportError(
        "deboil.integrations.datatrove needs the datatrove package: pip install datatrove"
    ) from err

from .. import DEFAULT_MAX_REMOVED, Cleaned
from ._lazy import LazyCleaner

if TYPE_CHECKING:
    from datatrove.pipeline.writers.disk_base import DiskWriter

__all__ = ["DeboilCleaner", "METADATA_KEY", "FLAGGED_KEY"]

METADATA_KEY = "deboil"
"""``Document.metadata`` key of the removals (with ``keep_removals=True``)."""
FLAGGED_KEY = "deboil_flagged"
"""``Document.metadata`` key of the ``max_removed`` flag (with ``keep_removals=True``)."""

_Path = Union[str, "os.PathLike[str]"]


def _str_or_none(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None


class DeboilCleaner(LazyCleaner, PipelineStep):
    """Strips boilerplate (photo captions and credits, teasers, promos, newsletter and share
    prompts, embed residue, ad markers) from each ``Document.text``, as ``deboil clean`` does.

    Documents are cleaned in batches of ``batch_size`` with ``Cleaner.clean_batch`` (in Rust,
    with the GIL released), and every document is passed on, in order: this step never drops
    one. A document the rules would strip of more than ``max_removed`` of its characters is
    passed on unchanged (counted as ``flagged``); so is one that cannot be cleaned at all (a
    text with lone surrogates: counted as ``errors``).

    Each document's ``metadata[url_key]`` (datatrove readers put a record's ``url`` there) is
    given as its URL, so that site rules apply; ``metadata[lang_key]`` (datatrove's
    ``LanguageFilter`` writes ``language``) as its language. A document without one has its
    language detected from its text, when a language-scoped rule matched. A language code that
    deboil rejects is ignored for that document (counted as ``bad_language``).

    Stats (``stat_update``): ``total``, ``forwarded`` (always equal), ``changed``,
    ``unchanged``, ``flagged``, ``errors``, ``bad_language``, ``removals``, ``removed_chars``
    (characters removed per changed document), ``rule/<id>`` and ``category/<category>``
    (removals credited to each rule and category), and ``batches``.

    Args:
        rules: a rule file (TOML) or directory of them, or a list of such paths, loaded after
            the built-in rules (as ``deboil.Cleaner``).
        default_rules: load the built-in rules.
        select: keep only these rules: ids or categories (a list, or one comma-separated str).
        ignore: drop these rules: ids or categories (``"model"`` turns the line classifier off).
        max_removed: leave a document the rules would strip of more than this share of its
            characters unchanged (default 0.7, as the command line); None turns the guard off.
        model_threshold: the line classifier's threshold (None: its default).
        jobs: cleaning threads per task. The default, 1, cleans on the task's own thread, as
            datatrove runs one task per core; with few tasks, None uses one thread per core.
        batch_size: documents cleaned per ``clean_batch`` call.
        keep_removals: set ``metadata["deboil"]`` of every document to its removals, a list of
            ``{"rule", "category", "start", "end"}`` (character offsets into the text as it
            was before this step; empty when nothing was removed), and
            ``metadata["deboil_flagged"]`` to the share of characters the rules would have
            removed from a flagged document (None for the others).
        lang_key: the metadata key of each document's language code (``"de"``, ``"pt-BR"``,
            ``"deu"``); None: always detect.
        url_key: the metadata key of each document's URL; None: no URLs (no site rules).
        exclusion_writer: a datatrove writer (``JsonlWriter("removed/")``) that receives, for
            each changed document, a document with the same id whose text is what was removed
            (the removed ranges in order, each ending with a newline) and whose metadata is the
            original's plus ``metadata["deboil"]`` (the removals): samples to review the rules
            with, as datatrove filters save the documents they drop.

    Raises:
        deboil.RuleError: a rule file could not be loaded (when the step is made).
        ValueError: an unknown rule id or category, a bad ``max_removed``/``model_threshold``,
            or ``jobs``/``batch_size`` below 1.
    """

    name = "🧽 deboil"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        rules: Union[_Path, Sequence[_Path], None] = None,
        default_rules: bool = True,
        select: Union[str, Sequence[str], None] = None,
        ignore: Union[str, Sequence[str], None] = None,
        max_removed: Optional[float] = DEFAULT_MAX_REMOVED,
        model_threshold: Optional[float] = None,
        jobs: Optional[int] = 1,
        batch_size: int = 256,
        keep_removals: bool = False,
        lang_key: Optional[str] = "language",
        url_key: Optional[str] = "url",
        exclusion_writer: Optional[DiskWriter] = None,
    ) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if jobs is not None and jobs < 1:
            raise ValueError(f"jobs must be at least 1 or None, got {jobs}")
        self.rules = [os.fspath(p) for p in rules] if isinstance(rules, (list, tuple)) else rules
        self.default_rules = default_rules
        self.select = select
        self.ignore = ignore
        self.max_removed = max_removed
        self.model_threshold = model_threshold
        self.jobs = jobs
        self.batch_size = batch_size
        self.keep_removals = keep_removals
        self.lang_key = lang_key
        self.url_key = url_key
        self.exclusion_writer = exclusion_writer
        # Compiled now, so that a bad rule file fails when the pipeline is built rather than in
        # a task. A Cleaner cannot be pickled or copied: __getstate__ leaves it out, and each
        # task (a copy or a child process) compiles its own on first use.
        self.cleaner  # noqa: B018 - compiled now

    def cleaner_options(self) -> dict[str, Any]:
        return dict(
            rules=self.rules,
            default_rules=self.default_rules,
            select=self.select,
            ignore=self.ignore,
            max_removed=self.max_removed,
            model_threshold=self.model_threshold,
        )

    # -- cleaning ---------------------------------------------------------------------------

    def _clean(self, batch: list[Document]) -> list[Optional[Cleaned]]:
        """Cleans a batch; None for a document that could not be cleaned."""
        cleaner = self.cleaner
        texts = [doc.text for doc in batch]
        urls = [_str_or_none(doc.metadata.get(self.url_key)) for doc in batch] if self.url_key else None
        langs = [_str_or_none(doc.metadata.get(self.lang_key)) for doc in batch] if self.lang_key else None
        try:
            return list(cleaner.clean_batch(texts, urls=urls, langs=langs, jobs=self.jobs))
        except (TypeError, ValueError):
            pass
        # Some document is bad (not a str, lone surrogates, a language code deboil rejects):
        # clean one by one, so that only that document is passed on as it was.
        out: list[Optional[Cleaned]] = []
        for i, text in enumerate(texts):
            url = urls[i] if urls else None
            lang = langs[i] if langs else None
            try:
                out.append(cleaner.clean(text, url=url, lang=lang))
                continue
            except (TypeError, ValueError):
                pass
            if lang is not None:
                try:
                    out.append(cleaner.clean(text, url=url))
                    self.stat_update("bad_language")
                    continue
                except (TypeError, ValueError):
                    pass
            self.stat_update("errors")
            out.append(None)
        return out

    def _removed_doc(self, doc: Document, removals: list[dict[str, Any]], result: Cleaned) -> Document:
        text = "".join(r.text if r.text.endswith("\n") else r.text + "\n" for r in result.removals)
        return Document(text=text, id=doc.id, metadata={**doc.metadata, METADATA_KEY: removals})

    def run(self, data: Optional[Iterable[Document]], rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        """Cleans the documents of ``data`` and yields each of them, in order."""
        if data is None:
            return
        writer_cm = self.exclusion_writer if self.exclusion_writer is not None else contextlib.nullcontext()
        with writer_cm as writer:
            it = iter(data)
            while batch := list(itertools.islice(it, self.batch_size)):
                self.stat_update("batches")
                with self.track_time("batch"):
                    results = self._clean(batch)
                for doc, result in zip(batch, results):
                    self.stat_update("total", "forwarded")
                    if result is None:
                        if self.keep_removals:
                            doc.metadata[METADATA_KEY] = []
                            doc.metadata[FLAGGED_KEY] = None
                        yield doc
                        continue
                    removals = [
                        {"rule": r.rule, "category": r.category, "start": r.start, "end": r.end}
                        for r in result.removals
                    ]
                    if result.flagged is not None:
                        self.stat_update("flagged")
                    if result.changed:
                        self.stat_update("changed")
                        self.stat_update("removals", value=len(removals))
                        self.stat_update("removed_chars", value=sum(r.end - r.start for r in result.removals))
                        for r in result.removals:
                            self.stat_update(f"rule/{r.rule}", f"category/{r.category}")
                        if writer is not None:
                            writer.write(self._removed_doc(doc, removals, result), rank)
                        doc.text = result.text
                    else:
                        self.stat_update("unchanged")
                    if self.keep_removals:
                        doc.metadata[METADATA_KEY] = removals
                        doc.metadata[FLAGGED_KEY] = result.flagged
                    yield doc
