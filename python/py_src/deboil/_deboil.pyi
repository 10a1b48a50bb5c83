"""Type stubs of the compiled module ``deboil._deboil`` (re-exported by ``deboil``)."""

import os
from collections.abc import Sequence
from typing import Any, Optional, Union, final

__version__: str
__all__ = ["Cleaned", "Cleaner", "DEFAULT_MAX_REMOVED", "Removal", "RuleError", "__version__", "cli_main"]

DEFAULT_MAX_REMOVED: float
"""The ``--max-removed`` default of ``deboil clean`` (0.7); pass it as ``Cleaner(max_removed=...)``
to get the command line's behaviour."""

_Path = Union[str, "os.PathLike[str]"]

class RuleError(ValueError):
    """A rule file could not be loaded (unreadable, bad TOML, bad regex, unknown field,
    duplicate id, ...). Nothing is loaded when any file fails.

    ``str(err)`` is the full message, as the command line prints it
    (``file:line:col: rule "id": message`` and the offending line); the parts are attributes.
    """

    file: Optional[str]
    """The rule file (or directory) as given; None when not known."""
    line: Optional[int]
    """1-based line in ``file``; None when not known."""
    column: Optional[int]
    """1-based column (in characters) in ``file``; None when not known."""
    rule: Optional[str]
    """The id of the offending rule; None when the error is not about one rule."""
    message: str
    """What is wrong, without the location."""

@final
class Removal:
    """One removed range of the input text.

    ``start``/``end`` are CHARACTER (code point) offsets into the original Python str, so that
    ``text[r.start:r.end] == r.text``; ``byte_start``/``byte_end`` are the same range in the
    text's UTF-8 encoding.
    """

    @property
    def rule(self) -> str:
        """The rule credited with the removal (the first in pack order that matched it)."""
    @property
    def category(self) -> str:
        """That rule's category (``credit``, ``caption``, ``teaser``, ``promo``, ...)."""
    @property
    def also(self) -> list[str]:
        """Other rules that also matched inside this range, in pack order."""
    @property
    def start(self) -> int:
        """Start of the range, in characters of the input str."""
    @property
    def end(self) -> int:
        """End of the range (exclusive), in characters of the input str."""
    @property
    def byte_start(self) -> int:
        """Start of the range in the UTF-8 bytes of the input."""
    @property
    def byte_end(self) -> int:
        """End of the range (exclusive) in the UTF-8 bytes of the input."""
    @property
    def first_line(self) -> int:
        """First line of the range in the input, 1-based."""
    @property
    def last_line(self) -> int:
        """Last line of the range in the input, 1-based, inclusive."""
    @property
    def text(self) -> str:
        """The removed text."""
    @property
    def score(self) -> Optional[float]:
        """For removals the line classifier made or joined: the highest probability of
        boilerplate it gave a line of the range; None otherwise."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cleaned:
    """The result of cleaning one document."""

    @property
    def text(self) -> str:
        """The cleaned text; the very input object when nothing was removed."""
    @property
    def removals(self) -> list[Removal]:
        """What was removed, in input order, non-overlapping (empty when ``flagged``)."""
    @property
    def flagged(self) -> Optional[float]:
        """With ``Cleaner(max_removed=...)``: the share of the characters the rules would have
        removed, when it was over the limit; the text is then returned unchanged with no
        removals. None otherwise."""
    @property
    def changed(self) -> bool:
        """Whether anything was removed."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cleaner:
    """A compiled rule set, ready to clean documents.

    Compiling the rules takes a fraction of a second: build one ``Cleaner`` and reuse it. It is
    immutable and thread-safe; cleaning releases the GIL.

    :param rules: a rule file (TOML) or a directory of them (searched recursively), or a list
        of such paths, loaded after the built-in rules.
    :param default_rules: load the built-in rules (``False`` needs ``rules``).
    :param select: keep only these rules: ids or categories (a list, or one comma-separated str).
    :param ignore: drop these rules: ids or categories (``"model"`` turns the line classifier off).
    :param max_removed: a fraction in (0, 1]: a document the rules would strip of more than this
        share of its characters is returned unchanged, with ``Cleaned.flagged`` set (as
        ``deboil clean --max-removed``, with the same default, ``DEFAULT_MAX_REMOVED``, 0.7).
        None or 1 turns the guard off.
    :param model_threshold: the line classifier's threshold, a probability in (0, 1).
    :raises RuleError: a rule file could not be loaded.
    :raises ValueError: an unknown id or category in ``select``/``ignore``, a bad
        ``max_removed`` or ``model_threshold``, or no rules at all.
    """

    def __new__(
        cls,
        rules: Union[_Path, Sequence[_Path], None] = None,
        default_rules: bool = True,
        select: Union[str, Sequence[str], None] = None,
        ignore: Union[str, Sequence[str], None] = None,
        max_removed: Optional[float] = 0.7,
        model_threshold: Optional[float] = None,
    ) -> "Cleaner": ...
    def clean(self, text: str, url: Optional[str] = None, lang: Optional[str] = None) -> Cleaned:
        """Cleans one text.

        :param url: the page's URL, for site rules (rules limited to some hosts).
        :param lang: the text's language, a code such as ``"de"``, ``"pt-BR"`` or ``"deu"``;
            None, ``""``, ``"und"`` or ``"unknown"`` detect it from the text (only when a
            language-scoped rule matched).
        :raises TypeError: ``text`` is not a str, ``url`` or ``lang`` not a str or None.
        :raises ValueError: ``text`` holds lone surrogates, or ``lang`` is not a language code.
        """
    def clean_arrow(self, texts: Any, jobs: Optional[int] = None) -> Any:
        """Cleans an Arrow array of strings (a ``pyarrow.Array`` or ``ChunkedArray`` of
        ``string``, ``large_string`` or ``string_view``, or anything with
        ``__arrow_c_array__``/``__arrow_c_stream__``), read through the Arrow C data interface
        with no Python object per document; returns a ``pyarrow.Array`` of the cleaned texts, in
        order, nulls kept null (``large_string`` when the input was). The same texts as
        ``clean_batch``; a text ``max_removed`` flags comes back unchanged.

        :raises TypeError: not an Arrow array, or not of strings.
        :raises ValueError: ``jobs`` under 1."""
        ...

    def dolma_attributes(self, text: str, url: Optional[str] = None, lang: Optional[str] = None) -> dict[str, list[tuple[int, int, float]]]:
        """What cleaning ``text`` deletes, as dolma attributes, as ``deboil clean
        --dolma-attributes`` writes them: ``{"deboil__deboil__<category>": [(start, end,
        score), ...]}`` in character offsets, the blank lines tidying drops included, so that
        deleting every span gives ``clean(text).text``. Empty when nothing is removed or
        ``max_removed`` flags the text."""
        ...

    def clean_batch(
        self,
        texts: Sequence[str],
        urls: Optional[Sequence[Optional[str]]] = None,
        langs: Union[str, Sequence[Optional[str]], None] = None,
        jobs: Optional[int] = None,
    ) -> list[Cleaned]:
        """Cleans many texts in parallel with the GIL released; results in input order, each
        the same as ``clean`` gives.

        :param texts: the texts (any iterable of str, not a str).
        :param urls: a URL (or None) per text.
        :param langs: a language code (or None) per text, or one code for all of them.
        :param jobs: threads; None uses one per core (or ``RAYON_NUM_THREADS``), 1 cleans on
            the calling thread. Pools are kept per process and rebuilt in a forked child.
        :raises TypeError: an item is not a str (the message names its index, ``texts[3]``).
        :raises ValueError: a text with lone surrogates, a bad language code (naming the
            index), ``urls``/``langs`` of another length than ``texts``, or ``jobs < 1``.
        """
    @property
    def rule_ids(self) -> list[str]:
        """The ids of the loaded rules, in pack order."""
    @property
    def max_removed(self) -> Optional[float]:
        """The ``max_removed`` guard in force (None: off)."""
    def __len__(self) -> int:
        """The number of loaded rules."""


def cli_main(argv: list[str]) -> int:
    """Runs the ``deboil`` command line with ``argv`` (the program's name first); returns its
    exit code. ``deboil.__main__.main`` is the installed ``deboil`` command."""
    ...
