"""A sentence the tool writes into a table, kept as a UI key and its values (``data/ui_strings.csv``).

Tables are computed once per run, before the output language matters; a ``Phrase`` in a cell is said
in the language of each writer (workbook, CSV, brief). ``str()`` gives the English text, so English
outputs and code comparing text read what they always read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rt2gaps.i18n import UiStrings


@dataclass(frozen=True)
class Phrase:
    """A UI key and its values; ``Phrase.of("dq.stale", as_of=day, days=400)``."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Phrase:
        return cls(key, tuple(sorted(values.items())))

    def say(self, strings: UiStrings) -> str:
        """The sentence in ``strings``' language (dates as that language writes them in text, a Phrase inside
        said in it too: an act's name in a Changes cell)."""
        return strings(self.key, **{k: strings.date(v) if isinstance(v, date) else v.say(strings)
                                    if isinstance(v, Phrase) else v for k, v in self.values})  # fmt: skip

    def __str__(self) -> str:
        from rt2gaps.i18n import UiStrings

        return self.say(UiStrings("en"))
