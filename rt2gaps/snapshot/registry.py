"""The source registry (``data/sources.csv``): where each source's files are and how old they are."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR

REGISTRY_FILE = DATA_DIR / "sources.csv"


@dataclass(frozen=True)
class SourceEntry:
    """One registered source: a folder of raw files of one format with one as-of date."""

    source_key: str
    format: str
    folder: str
    primary_file: str  # the file holding every instrument of a multi-instrument table
    cross_check_file: str  # an independent copy of the same table, compared and recorded, never merged
    as_of: date  # what the source knew: its stamp or the provenance date
    retrieved_by: date  # every act the source records happened no later than this
    as_of_basis: str
    origin: str
    url: str


def load_registry(path: Path = REGISTRY_FILE) -> dict[str, SourceEntry]:
    """All registered sources by key; a broken row is a clear error naming file and line."""
    entries: dict[str, SourceEntry] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        row: dict[str, Any]  # the dates replace text cells below, a mix mypy cannot match to the fields
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                entry = SourceEntry(
                    **{**row, "as_of": date.fromisoformat(row["as_of"]),
                       "retrieved_by": date.fromisoformat(row["retrieved_by"])}
                )  # fmt: skip
            except (TypeError, ValueError, KeyError) as exc:
                raise Rt2gapsError(f"{path}:{line}: bad source row ({exc})") from None
            entries[entry.source_key] = entry
    return entries
