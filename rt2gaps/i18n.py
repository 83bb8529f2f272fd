"""User-visible labels of every output, from one table (``data/ui_strings.csv``: key,en,fr).

English is the default; a French cell left empty falls back to English, so a new key never breaks
``--lang fr``. A key missing from the table is a programming error and raises KeyError at once.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR

UI_STRINGS_FILE = DATA_DIR / "ui_strings.csv"
LANGUAGES = ("en", "fr")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NARROW_NBSP = "\u202f"  # Excel, LibreOffice and the charts' font all show it
FRENCH_MARK = re.compile(r"(?:(?<=\S)|^)[ \u00a0\u202f]?([;:?!])(?=[\s\"»]|$)")


@lru_cache(maxsize=4)
def _read_table(path: Path) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            key = (row.get("key") or "").strip()
            if not key or not (row.get("en") or "").strip():
                raise Rt2gapsError(f"{path}: row {line}: expected a key and its English text")
            if key in table:
                raise Rt2gapsError(f"{path}: row {line}: duplicate key {key!r}")
            table[key] = {lang: row.get(lang) or "" for lang in LANGUAGES}
    return table


@lru_cache(maxsize=4096)
def french_spacing(template: str) -> str:
    """French typography in a UI string: a narrow no-break space before ; : ? ! (``Source : …``, `` ; ``).

    Applied to the table's text before its values go in, so a file name, a URL or a quoted depositary
    text is never touched; a mark not followed by a space or the end (``https://``, ``{x:.1f}``) neither.
    """
    return FRENCH_MARK.sub(lambda m: NARROW_NBSP + m.group(1), template)


def lang_suffix(lang: str) -> str:
    """What a file or folder name of an output in ``lang`` ends with: nothing in English, ``_fr`` in French."""
    return "" if lang == "en" else f"_{lang}"


@dataclass(frozen=True)
class UiStrings:
    """Labels in one language: ``strings("sheet.about")`` or ``strings("fmt.x", n=3)``."""

    lang: str = "en"
    path: Path = UI_STRINGS_FILE

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise Rt2gapsError(f"unknown language {self.lang!r}; expected one of {', '.join(LANGUAGES)}")

    @property
    def keys(self) -> list[str]:
        return list(_read_table(self.path))

    def has(self, key: str) -> bool:
        return key in _read_table(self.path)

    def __call__(self, key: str, **values: object) -> str:
        entry = _read_table(self.path)[key]
        text = french_spacing(entry["fr"]) if self.lang == "fr" and entry["fr"] else entry["en"]
        return text.format(**values) if values else text

    def prose(self, text: str) -> str:
        """Text from a catalogue in this language (a set's description): French typography in French."""
        return french_spacing(text) if self.lang == "fr" else text

    def status(self, status: str) -> str:
        """The label of a status (``party`` -> "Party")."""
        return self(f"status.{status}")

    def status_code(self, status: str) -> str:
        """The short code of a status in a matrix cell (``party`` -> "P")."""
        return self(f"code.{status}")

    def date(self, day: date) -> str:
        """A date in running text: ISO in English (as ever), ``5 juillet 1995`` in French."""
        if self.lang != "fr":
            return day.isoformat()
        number = self("date.first_day") if day.day == 1 else str(day.day)
        return f"{number} {self(f'month.{day.month}')} {day.year}"

    def dates_in(self, text: object) -> str:
        """Text with every ISO date in it written as ``date`` writes it (a range stays two dates)."""
        if self.lang == "en" or not isinstance(text, str):
            return "" if text is None else str(text)
        return ISO_DAY.sub(lambda m: self.date(date.fromisoformat(m.group(0))), text)

    def column(self, name: str) -> str:
        """The header of a table column."""
        return self(f"col.{name}")
