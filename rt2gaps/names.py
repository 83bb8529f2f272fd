"""Resolve the names sources give to participants into ISO 3166 alpha-3 codes.

One table of aliases in ``data/aliases.csv`` plus the names the State table already carries
(UN, ISO, pycountry).  A name that resolves to nothing is reported, never dropped: the snapshot
build stops and lists every such name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rt2gaps.errors import Rt2gapsError

STATE = "state"
PREDECESSOR = "predecessor"  # a State that no longer exists (USSR, Yugoslavia, ...): kept, not merged
NON_STATE = "non_state"  # a participant that is not a State (the European Union)
KINDS = (STATE, PREDECESSOR, NON_STATE)


@dataclass(frozen=True)
class Resolution:
    """What a source's name stands for: a code (None for non-State participants) and its kind."""

    code: str | None
    kind: str


def normalise(name: str) -> str:
    """Fold case, accents, apostrophes and spacing so that spellings of one name compare equal."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text


def read_alias_table(path: Path) -> list[tuple[str, Resolution]]:
    """Rows of ``data/aliases.csv`` (alias, code, kind, note), validated."""
    rows: list[tuple[str, Resolution]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"alias", "code", "kind"} - set(reader.fieldnames or [])
        if missing:
            raise Rt2gapsError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            kind = row["kind"].strip()
            if kind not in KINDS:
                raise Rt2gapsError(f"{path}:{line}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
            code = row["code"].strip() or None
            if kind != NON_STATE and not code:
                raise Rt2gapsError(f"{path}:{line}: alias {row['alias']!r} needs a code")
            rows.append((row["alias"], Resolution(code, kind)))
    return rows


class NameResolver:
    """Looks names up among State names and explicit aliases; collects what it cannot resolve."""

    def __init__(self, state_names: Iterable[tuple[str, str]], aliases: Iterable[tuple[str, Resolution]]):
        self._lookup: dict[str, Resolution] = {}
        clashes: dict[str, set[str]] = {}
        for name, code in state_names:
            key = normalise(name)
            known = self._lookup.get(key)
            if known is not None and known.code != code:
                clashes.setdefault(key, {known.code or ""}).add(code)
            self._lookup[key] = Resolution(code, STATE)
        for key in clashes:  # a name two States share resolves to neither unless an alias says which
            del self._lookup[key]
        for alias, resolution in aliases:  # explicit aliases win over derived names
            self._lookup[normalise(alias)] = resolution
        self.unresolved: dict[str, list[str]] = {}

    def resolve(self, name: str, where: str = "") -> Resolution | None:
        """The resolution for a name, or None (and the name is remembered with where it was seen)."""
        found = self._lookup.get(normalise(name))
        if found is None:
            self.unresolved.setdefault(name, []).append(where)
        return found

    def lookup(self, name: str) -> Resolution | None:
        """The resolution for a name, or None, without remembering it as unresolved (free text)."""
        return self._lookup.get(normalise(name))

    def raise_if_unresolved(self) -> None:
        """Stop the build listing every name that resolved to nothing, with where each was seen."""
        if self.unresolved:
            lines = [
                f"  {name!r} in {', '.join(sorted(set(places)))}" for name, places in sorted(self.unresolved.items())
            ]
            raise Rt2gapsError(
                f"{len(self.unresolved)} participant name(s) resolve to no State; add them to data/aliases.csv:\n"
                + "\n".join(lines)
            )
