r"""deboil: strip boilerplate (captions, credits, teasers, promos, prompts) from scraped news text.

>>> import deboil
>>> cleaner = deboil.Cleaner()
>>> doc = "Troops crossed the river at dawn.\n\nSoldiers wade across.\nREUTERS/Jane Doe\n"
>>> cleaner.clean(doc, lang="en").text
'Troops crossed the river at dawn.\n'
>>> [(r.category, r.text) for r in cleaner.clean(doc, lang="en").removals]
[('credit', 'Soldiers wade across.\nREUTERS/Jane Doe\n')]

Offsets (``Removal.start``/``end``) are character offsets into the str given, so
``text[r.start:r.end] == r.text``; ``byte_start``/``byte_end`` are the same range in UTF-8 bytes.
"""

from ._deboil import (
    DEFAULT_MAX_REMOVED,
    Cleaned,
    Cleaner,
    Removal,
    RuleError,
    __version__,
)

__all__ = [
    "DEFAULT_MAX_REMOVED",
    "Cleaned",
    "Cleaner",
    "Removal",
    "RuleError",
    "__version__",
]
