"""UN DESA International Migrant Stock 2020 (destination workbook): stock, population, share, refugees.

The workbook (POP/DB/MIG/Stock/Rev.2020) has one sheet per table. Each sheet carries a title cell
``Table N: ...``, a row of block titles (both sexes, males, females, ...) and a header row with
"Location code" and the years. Sheets, header rows and year columns are found by those words, never
by fixed positions, so a reshuffled workbook fails loudly instead of shifting numbers silently.

Missing cells stay NaN (never 0); the workbook's own mark is kept in ``missing_mark``:
``..`` not available, ``~`` suppressed for privacy (fewer than five), ``—`` rounded to zero but not zero.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from rt2gaps.errors import CountMismatchError, SourceLayoutError

YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
WORLD_CODE = 900
AGGREGATE_CODES_FROM = 900  # codes >= 900 are regions and groups; below are the 235 countries and areas
COUNTRY_COUNT = 235
MISSING_MARKS = ("..", "~", "—")
COLUMNS = ("m49", "location", "year", "measure", "value", "missing_mark", "data_type")
HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class TableSpec:
    """Where one measure lives: the table number, words its title must hold, and its block title."""

    measure: str
    number: int
    title_words: tuple[str, ...]
    block_words: str


TABLES = (
    TableSpec("migrant_stock", 1, ("international migrant stock at mid-year",), "both sexes combined"),
    TableSpec("population_thousands", 2, ("total population at mid-year", "(thousands)"), "both sexes combined"),
    TableSpec("migrant_share_pct", 3, ("as a percentage of the total population",), "both sexes combined"),
    TableSpec("refugees", 6, ("refugee stock",), "refugee and asylum seekers at mid-year, both sexes combined"),
)
MEASURES = tuple(spec.measure for spec in TABLES)
ADDITIVE_MEASURES = ("migrant_stock", "population_thousands", "refugees")


def parse(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """Long table of the 235 countries and areas: one row per (m49, year, measure).

    Columns: ``m49`` int64, ``location`` str (note asterisk and indent removed), ``year`` int64,
    ``measure`` str (one of MEASURES), ``value`` float64 (NaN when missing), ``missing_mark`` str
    ("" when a number is present), ``data_type`` str (B, C, I, R codes of the workbook).
    ``df.attrs["world"]`` maps each measure to the WORLD row (code 900) {year: value}, for checks.
    """
    import openpyxl  # imported here: the other parsers and verbs do not pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SourceLayoutError(source, "an .xlsx workbook", f"unreadable file ({error})") from None
    try:
        tops = {sheet.title: list(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)) for sheet in book}
        found = {spec.measure: _find_table(tops, spec, source) for spec in TABLES}
        sheets = {name: list(book[name].iter_rows(values_only=True)) for name in set(found.values())}
    finally:
        book.close()

    records: list[tuple] = []
    world: dict[str, dict[int, float]] = {}
    locations_by_measure: dict[str, set[int]] = {}
    for spec in TABLES:
        sheet_name = found[spec.measure]
        rows = sheets[sheet_name]
        where = f"{source} [{sheet_name}]"
        header_index, code_col, name_col, type_col = _find_header(rows, where)
        year_cols = _find_year_columns(rows, header_index, spec, where)
        world_row: dict[int, float] = {}
        seen: set[int] = set()
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            code = _cell(row, code_col)
            if code is None or code == "":
                continue
            if isinstance(code, float) and code.is_integer():
                code = int(code)
            if not isinstance(code, int):
                raise SourceLayoutError(where, f"an integer Location code in row {offset}", repr(code))
            values = [(year, *_number(_cell(row, col), f"{where} row {offset}")) for year, col in year_cols]
            if code == WORLD_CODE:
                world_row = {year: value for year, value, _mark in values}
                continue
            if code >= AGGREGATE_CODES_FROM:
                continue
            if code in seen:
                raise SourceLayoutError(where, "each Location code once", f"code {code} twice (row {offset})")
            seen.add(code)
            location = str(_cell(row, name_col) or "").strip().rstrip("*").strip()
            data_type = str(_cell(row, type_col) or "").strip() if type_col is not None else ""
            for year, value, mark in values:
                records.append((code, location, year, spec.measure, value, mark, data_type))
        if not world_row:
            raise SourceLayoutError(where, f"a WORLD row (Location code {WORLD_CODE})", "none")
        world[spec.measure] = world_row
        locations_by_measure[spec.measure] = seen

    reference = locations_by_measure[TABLES[0].measure]
    for measure, codes in locations_by_measure.items():
        if codes != reference:
            raise SourceLayoutError(
                source,
                f"the same countries in every table ({len(reference)} in Table 1)",
                f"{measure}: {len(codes)}, differing codes {sorted(codes ^ reference)}",
            )

    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame = frame.astype({"m49": "int64", "year": "int64", "value": "float64"})
    frame.attrs["world"] = world
    frame.attrs["source"] = source
    return frame


def check_world_total(
    frame: pd.DataFrame, source: str, world: Mapping[int, float] | None = None, measure: str = "migrant_stock"
) -> None:
    """Raise unless the countries sum to the workbook's own WORLD row for every year.

    Additive measures only (stock, population, refugees). Allowed difference: half a unit for rounding,
    plus 4 per cell marked ``~`` (privacy-suppressed, fewer than five), so stocks must match exactly.
    ``world`` defaults to ``frame.attrs["world"][measure]``, which :func:`parse` sets.
    """
    if measure not in ADDITIVE_MEASURES:
        raise ValueError(f"{measure} is not additive; world totals apply to {', '.join(ADDITIVE_MEASURES)}")
    if world is None:
        try:
            world = frame.attrs["world"][measure]
        except KeyError:
            raise CountMismatchError(f"{source}: no WORLD row for {measure}; pass world= explicitly") from None
    subset = frame[frame["measure"] == measure]
    countries = subset["m49"].nunique()
    sums = subset.groupby("year")["value"].sum(min_count=1)
    suppressed = subset[subset["missing_mark"] == "~"].groupby("year").size()
    problems = []
    for year, expected in sorted(world.items()):
        got = float(sums.get(year, math.nan))
        slack = 0.5 + 4 * int(suppressed.get(year, 0))
        if not (math.isfinite(got) and math.isfinite(expected) and -0.5 <= expected - got <= slack):
            problems.append(f"{year}: {countries} countries sum to {got:,.0f}, WORLD row says {expected:,.0f}")
    if problems:
        raise CountMismatchError(f"{source}: {measure} world total mismatch; " + "; ".join(problems))


def _find_table(tops: Mapping[str, list[tuple]], spec: TableSpec, source: str) -> str:
    """Name of the sheet whose title cell reads ``Table N: ...`` and holds the spec's words."""
    prefix = f"table {spec.number}:"
    titles: list[str] = []
    for name, rows in tops.items():
        for text in _texts(rows):
            lowered = " ".join(text.lower().split())
            if not lowered.startswith("table "):
                continue
            titles.append(f"{name!r}: {text[:60]!r}")
            if lowered.startswith(prefix):
                if all(word in lowered for word in spec.title_words):
                    return name
                raise SourceLayoutError(
                    source, f"Table {spec.number} titled with {' and '.join(spec.title_words)!r}", repr(text)
                )
    raise SourceLayoutError(
        source, f"a sheet titled 'Table {spec.number}: ...' ({spec.measure})", "; ".join(titles) or "no table titles"
    )


def _find_header(rows: list[tuple], where: str) -> tuple[int, int, int, int | None]:
    """Index of the header row and the columns of Location code, location name and Type of data."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [_label(cell) for cell in row]
        if "location code" in labels:
            code_col = labels.index("location code")
            name_col = next((i for i, text in enumerate(labels) if "country or area" in text), None)
            if name_col is None:
                raise SourceLayoutError(where, "a 'country or area' column beside 'Location code'", str(row))
            type_col = labels.index("type of data") if "type of data" in labels else None
            return index, code_col, name_col, type_col
    raise SourceLayoutError(where, f"a header row with 'Location code' in the first {HEADER_SEARCH_ROWS} rows", "none")


def _find_year_columns(rows: list[tuple], header_index: int, spec: TableSpec, where: str) -> list[tuple[int, int]]:
    """(year, column) pairs of the block whose title (a row above the header) holds spec.block_words."""
    header = rows[header_index]
    start = end = None
    for row in reversed(rows[:header_index]):
        labels = [_label(cell) for cell in row]
        hits = [i for i, text in enumerate(labels) if spec.block_words in text]
        if hits:
            start = hits[0]
            later = [i for i, text in enumerate(labels) if i > start and text]
            end = later[0] if later else len(header)
            break
    if start is None or end is None:  # both are set together
        raise SourceLayoutError(where, f"a block titled {spec.block_words!r} above the header row", "none")
    found = [(_year(header[col]), col) for col in range(start, min(end, len(header)))]
    year_cols = [(year, col) for year, col in found if year is not None]
    years = [year for year, _col in year_cols]
    if years != list(YEARS):
        raise SourceLayoutError(
            where,
            f"year columns {', '.join(map(str, YEARS))} under {spec.block_words!r} (header row {header_index + 1})",
            f"{', '.join(map(str, years)) or 'no years'}",
        )
    return year_cols


def _number(cell: object, where: str) -> tuple[float, str]:
    """A numeric cell as (value, ""); a missing mark as (NaN, mark); anything else is a layout error."""
    if cell is None:
        return math.nan, ""
    if isinstance(cell, bool):
        raise SourceLayoutError(where, "a number or a missing mark", repr(cell))
    if isinstance(cell, int | float):
        return float(cell), ""
    text = str(cell).strip()
    if text in MISSING_MARKS or text == "":
        return math.nan, text
    try:
        return float(text.replace(",", "")), ""
    except ValueError:
        raise SourceLayoutError(where, f"a number or a missing mark {MISSING_MARKS}", repr(cell)) from None


def _year(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int) or (isinstance(cell, float) and cell.is_integer()):
        return int(cell)
    if isinstance(cell, str) and cell.strip().isdigit() and len(cell.strip()) == 4:
        return int(cell.strip())
    return None


def _label(cell: object) -> str:
    return " ".join(cell.lower().split()) if isinstance(cell, str) else ""


def _cell(row: tuple, col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _texts(rows: Iterable[tuple]) -> Iterable[str]:
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and cell.strip():
                yield cell.strip()
