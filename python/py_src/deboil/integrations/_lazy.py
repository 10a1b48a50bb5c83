"""A ``Cleaner`` that travels as its options: pipelines copy and pickle their steps into
worker processes, and a compiled ``Cleaner`` can be neither copied nor pickled."""

from __future__ import annotations

from typing import Any, Optional

from .. import Cleaner


class LazyCleaner:
    """Mixin: ``self.cleaner`` is compiled from ``cleaner_options()`` at construction (so a bad
    rule file fails when the pipeline is built) and again, on first use, in a copy or another
    process; ``__getstate__`` leaves it out."""

    _cleaner: Optional[Cleaner] = None

    def cleaner_options(self) -> dict[str, Any]:
        """The keyword arguments of ``Cleaner``."""
        raise NotImplementedError

    @property
    def cleaner(self) -> Cleaner:
        """The compiled rules."""
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.cleaner_options())
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
