"""Emigrants by country of origin from ``stock_totals_2020.csv`` (derived from UN DESA's origin-destination data).

Only the origin side is kept: the README of the raw sources says the destination columns (``fb``,
``pop``, ``refugee``) should come from the official destination workbook (see ``undesa_stock``).
The file writes R's ``NA`` for missing values; ``NA`` there is never Namibia (whose alpha-3 is NAM).
"""

from __future__ import annotations

import pandas as pd

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.text_csv import read_text_table

REQUIRED_COLUMNS = ("alpha3", "name", "country_code", "year", "disp")
COLUMNS = ("iso3", "m49", "name", "year", "emigrants")
R_MISSING = ("NA", "")


def parse(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """One row per (country of origin, year).

    Columns: ``iso3`` str ("" when the file has none, e.g. Channel Islands, code 830), ``m49`` int64,
    ``name`` str (note asterisk removed), ``year`` int64, ``emigrants`` Int64 (persons born there
    living abroad; <NA> when missing, never 0).
    """
    table = read_text_table(data, source, REQUIRED_COLUMNS)
    iso3 = table["alpha3"].str.strip().mask(lambda s: s.isin(R_MISSING), "")
    bad_iso3 = iso3[(iso3 != "") & ~iso3.str.fullmatch(r"[A-Z]{3}")]
    if not bad_iso3.empty:
        raise SourceLayoutError(source, "alpha3 as three capital letters or NA", repr(bad_iso3.iloc[0]))
    frame = pd.DataFrame(
        {
            "iso3": iso3,
            "m49": _integers(table["country_code"], "country_code", source, allow_missing=False),
            "name": table["name"].str.strip().str.rstrip("*").str.strip(),
            "year": _integers(table["year"], "year", source, allow_missing=False),
            "emigrants": _integers(table["disp"], "disp", source, allow_missing=True),
        }
    )
    duplicated = frame[frame.duplicated(["m49", "year"], keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        found = f"m49 {first['m49']} year {first['year']} twice"
        raise SourceLayoutError(source, "one row per country and year", found)
    return frame.reset_index(drop=True)


def _integers(column: pd.Series, name: str, source: str, *, allow_missing: bool) -> pd.Series:
    """Whole numbers (``12.0`` accepted); R's NA becomes <NA> where allowed, anything else is an error."""
    text = column.str.strip()
    blank = text.isin(R_MISSING)
    if blank.any() and not allow_missing:
        raise SourceLayoutError(source, f"a value in every {name} cell", f"NA in row {int(blank.idxmax()) + 2}")
    numbers = pd.to_numeric(text.mask(blank), errors="coerce")
    broken = (numbers.isna() & ~blank) | (numbers.notna() & (numbers % 1 != 0))
    if broken.any():
        row = int(broken.idxmax())
        raise SourceLayoutError(source, f"whole numbers in {name}", f"{column.iloc[row]!r} in row {row + 2}")
    return numbers.astype("Int64" if allow_missing else "int64")
