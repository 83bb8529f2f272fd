"""Derive the committed reference tables (``data/reference/``) from the raw files, and read them back.

The migrant analyses need three facts the treaty snapshot does not hold: how many migrants (and
refugees) live in each State, how many of its people live abroad, and how it voted on the Global
Compact for Migration. Each comes from a real file in ``../shared/sources/ref/`` read by the
project's own parser; the build checks the source's own totals (the 235 countries sum to the WORLD
row, the vote gives the UN's recorded 152/5/12/24) and stops on any difference. The folder is
written atomically with a manifest naming each source file, its checksum, reference date and
citation, so every figure in a report can be traced.

Missing figures stay empty cells (read back as NaN): a State with no figure is never a State with 0.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.write import json_text, write_folder_atomically
from rt2gaps.sources import gcm_vote, m49, stock_totals, undesa_stock

REFERENCE_DIR = DATA_DIR / "reference"
MIGRANT_STOCK_FILE = "migrant_stock.csv"
EMIGRANTS_FILE = "emigrants.csv"
GCM_VOTE_FILE = "gcm_vote.csv"
MANIFEST_FILE = "manifest.json"

STOCK_SOURCE = "ref/migrant-stock/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
EMIGRANTS_SOURCE = "ref/migrant-stock/stock_totals_2020.csv"
VOTE_SOURCE = "ref/gcm-vote/gcm_unga_73-195_vote_2018-12-19.csv"
M49_SOURCE = "ref/m49/UNSD-M49-en-2024-09.csv"

STOCK_YEAR = 2020  # the latest year of UN DESA International Migrant Stock 2020 (mid-year estimates)
STOCK_AS_OF = "mid-2020"  # how every table and chart dates a migrant figure
GCM_VOTE_DATE = "2018-12-19"

MIGRANT_STOCK_COLUMNS = ["m49", "iso3", "location", "year", "measure", "value", "missing_mark"]
EMIGRANTS_COLUMNS = ["m49", "iso3", "name", "year", "emigrants"]
GCM_VOTE_COLUMNS = ["m49", "iso3", "un_name", "vote"]

CITATIONS = {
    "migrant_stock": "United Nations Department of Economic and Social Affairs, Population Division (2020). "
    "International Migrant Stock 2020 (POP/DB/MIG/Stock/Rev.2020). CC BY 3.0 IGO.",
    "emigrants": "Derived by guyabel/stepladderChapter (stock_totals_2020.csv, column disp) from United Nations "
    "Department of Economic and Social Affairs, Population Division (2020). International Migrant Stock 2020 "
    "(origin and destination).",
    "gcm_vote": "United Nations General Assembly, recorded vote on resolution 73/195, 19 December 2018, as in "
    "dgrtwo/unvotes (Voeten, Strezhnev and Bailey, United Nations General Assembly Voting Data).",
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(sources_dir: Path, relative: str) -> bytes:
    try:
        return (sources_dir / relative).read_bytes()
    except FileNotFoundError:
        raise Rt2gapsError(f"source file missing: {sources_dir / relative}") from None


def number_text(value: float) -> str:
    """A figure as CSV text: whole numbers without ``.0``, others in shortest round-trip form, NaN empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _csv(frame: pd.DataFrame, columns: list[str]) -> str:
    return frame[columns].to_csv(index=False, lineterminator="\n")


@dataclass
class ReferenceBuild:
    """The derived files' text and the manifest, before anything is written."""

    files: dict[str, str]
    manifest: dict


def compile_reference(sources_dir: Path) -> ReferenceBuild:
    """Parse the reference sources, check them against their own totals, and render the committed files."""
    if not sources_dir.is_dir():
        raise Rt2gapsError(f"raw sources folder not found: {sources_dir}")
    raw = {name: _read(sources_dir, name) for name in (STOCK_SOURCE, EMIGRANTS_SOURCE, VOTE_SOURCE, M49_SOURCE)}
    iso3_by_m49 = dict(
        m49.parse(raw[M49_SOURCE], M49_SOURCE).loc[lambda t: t["iso3"] != "", ["m49", "iso3"]].itertuples(index=False)
    )

    stock = undesa_stock.parse(raw[STOCK_SOURCE], STOCK_SOURCE)
    for measure in undesa_stock.ADDITIVE_MEASURES:
        undesa_stock.check_world_total(stock, STOCK_SOURCE, measure=measure)
    stock_table = stock.assign(
        iso3=stock["m49"].map(iso3_by_m49).fillna(""),
        value=stock["value"].map(number_text),
        m49=stock["m49"].map("{:03d}".format),
    ).sort_values(["measure", "m49", "year"], kind="stable")

    emigrants = stock_totals.parse(raw[EMIGRANTS_SOURCE], EMIGRANTS_SOURCE)
    emigrants_table = emigrants.assign(
        m49=emigrants["m49"].map("{:03d}".format),
        emigrants=emigrants["emigrants"].map(number_text),
    ).sort_values(["m49", "year"], kind="stable")

    vote = gcm_vote.parse(raw[VOTE_SOURCE], VOTE_SOURCE)
    gcm_vote.check_vote_totals(vote, VOTE_SOURCE)
    vote_table = vote.assign(m49=vote["m49"].map("{:03d}".format)).sort_values("iso3", kind="stable")

    world = stock.attrs["world"]
    manifest = {
        "built_from": M49_SOURCE + " (ISO3 codes for M49 codes); see each table",
        "tables": {
            MIGRANT_STOCK_FILE: {
                "source_file": STOCK_SOURCE,
                "sha256": _sha256(raw[STOCK_SOURCE]),
                "reference_years": list(undesa_stock.YEARS),
                "as_of": "mid-year estimates (1 July) of each year; latest mid-2020",
                "citation": CITATIONS["migrant_stock"],
                "measures": {
                    "migrant_stock": "Table 1: international migrant stock at mid-year, both sexes (persons)",
                    "population_thousands": "Table 2: total population at mid-year, both sexes (thousands)",
                    "migrant_share_pct": "Table 3: migrant stock as a percentage of the total population",
                    "refugees": "Table 6: refugees and asylum seekers at mid-year, both sexes (persons)",
                },
                "missing_marks": {
                    "..": "not available or not reported separately",
                    "~": "protected for privacy: the number, or the number behind it, is less than five",
                },
                "countries_and_areas": int(stock["m49"].nunique()),
                "world": {
                    measure: {str(year): number_text(value) for year, value in sorted(world[measure].items())}
                    for measure in undesa_stock.ADDITIVE_MEASURES
                },  # fmt: skip
                "checks": "the 235 countries and areas sum to the WORLD row (code 900) in every year",
                "rows": len(stock_table),
            },
            EMIGRANTS_FILE: {
                "source_file": EMIGRANTS_SOURCE,
                "sha256": _sha256(raw[EMIGRANTS_SOURCE]),
                "reference_years": sorted(int(y) for y in emigrants["year"].unique()),
                "as_of": "mid-year estimates; latest mid-2020",
                "citation": CITATIONS["emigrants"],
                "measures": {"emigrants": "column disp: persons born in the country living in another country"},
                "sum_of_countries": {
                    str(year): number_text(emigrants.loc[emigrants["year"] == year, "emigrants"].sum())
                    for year in sorted(int(y) for y in emigrants["year"].unique())
                },
                "note": "the countries of origin sum to less than the world migrant stock (see migrant_stock.csv "
                "world): the rest is attributed to none of the 235 countries and areas in this file",
                "rows": len(emigrants_table),
            },
            GCM_VOTE_FILE: {
                "source_file": VOTE_SOURCE,
                "sha256": _sha256(raw[VOTE_SOURCE]),
                "as_of": GCM_VOTE_DATE,
                "citation": CITATIONS["gcm_vote"],
                "totals": gcm_vote.vote_totals(vote),
                "checks": "totals equal the UN's record of the meeting (152 yes, 5 no, 12 abstain, 24 absent)",
                "rows": len(vote_table),
            },
        },
        "m49_source": {"source_file": M49_SOURCE, "sha256": _sha256(raw[M49_SOURCE])},
    }
    files = {
        MIGRANT_STOCK_FILE: _csv(stock_table, MIGRANT_STOCK_COLUMNS),
        EMIGRANTS_FILE: _csv(emigrants_table, EMIGRANTS_COLUMNS),
        GCM_VOTE_FILE: _csv(vote_table, GCM_VOTE_COLUMNS),
        MANIFEST_FILE: json_text(manifest),
    }
    return ReferenceBuild(files=files, manifest=manifest)


def build_reference(sources_dir: Path, out_dir: Path = REFERENCE_DIR) -> ReferenceBuild:
    """Compile and write ``out_dir`` atomically; on any failure the committed folder is untouched."""
    result = compile_reference(sources_dir)
    write_folder_atomically(out_dir, result.files, what="reference folder")
    return result


@dataclass(frozen=True)
class ReferenceData:
    """The committed reference tables, typed: figures as float (NaN where the source has none)."""

    migrant_stock: pd.DataFrame  # m49 (3-digit text), iso3, location, year, measure, value, missing_mark
    emigrants: pd.DataFrame  # m49, iso3, name, year, emigrants
    gcm_vote: pd.DataFrame  # m49, iso3, un_name, vote
    manifest: dict

    def world_total(self, measure: str = "migrant_stock", year: int = STOCK_YEAR) -> float:
        """The source's WORLD row (code 900) for an additive measure and year."""
        text = self.manifest["tables"][MIGRANT_STOCK_FILE]["world"][measure][str(year)]
        return float(text) if text else math.nan

    def measure(self, measure: str, year: int = STOCK_YEAR) -> pd.Series:
        """One measure for one year as a Series indexed by 3-digit M49 code (NaN where missing)."""
        table = self.migrant_stock
        chosen = table[(table["measure"] == measure) & (table["year"] == year)]
        return chosen.set_index("m49")["value"]

    def emigrants_in(self, year: int = STOCK_YEAR) -> pd.Series:
        table = self.emigrants
        return table[table["year"] == year].set_index("m49")["emigrants"]


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    try:
        data = (folder / name).read_bytes()
    except FileNotFoundError:
        raise Rt2gapsError(f"reference file missing: {folder / name} (run: rt2gaps snapshot build)") from None
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def _figures(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.mask(column == ""), errors="raise").astype("float64")


def load_reference(folder: Path = REFERENCE_DIR) -> ReferenceData:
    """Read the committed reference folder (no raw files needed)."""
    import json

    stock = _read_table(folder, MIGRANT_STOCK_FILE)
    stock["year"] = stock["year"].astype("int64")
    stock["value"] = _figures(stock["value"])
    emigrants = _read_table(folder, EMIGRANTS_FILE)
    emigrants["year"] = emigrants["year"].astype("int64")
    emigrants["emigrants"] = _figures(emigrants["emigrants"])
    vote = _read_table(folder, GCM_VOTE_FILE)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Rt2gapsError(f"reference file missing: {folder / MANIFEST_FILE}") from None
    return ReferenceData(migrant_stock=stock, emigrants=emigrants, gcm_vote=vote, manifest=manifest)


@lru_cache(maxsize=1)
def bundled_reference() -> ReferenceData:
    """The committed ``data/reference`` tables, read once per process (reports and briefs share them)."""
    return load_reference(REFERENCE_DIR)
