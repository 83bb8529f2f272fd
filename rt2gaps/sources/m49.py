"""UNSD M49 table and the HDX country taxonomy: codes, regions, flags, names and spellings."""

from __future__ import annotations

import io

import pandas as pd

from rt2gaps.errors import SourceLayoutError

M49_COLUMNS = {
    "Region Code": "region_code",
    "Region Name": "region",
    "Sub-region Code": "subregion_code",
    "Sub-region Name": "subregion",
    "Intermediate Region Code": "intermediate_code",
    "Intermediate Region Name": "intermediate_region",
    "Country or Area": "name",
    "M49 Code": "m49",
    "ISO-alpha2 Code": "iso2",
    "ISO-alpha3 Code": "iso3",
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids",
}
HDX_REQUIRED = ("ISO 3166-1 Alpha 3-Codes", "m49 numerical code", "Appears in DGACM list", "French Short")


def _read_text_table(data: bytes, source: str, required: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Read a CSV as text cells (codes keep leading zeros; ``NA`` is Namibia, not missing)."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceLayoutError(source, f"columns {', '.join(required)}", f"no column(s) {', '.join(missing)}")
    return frame


def parse(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """The M49 table: one row per country or area; codes as text, flags as booleans."""
    frame = _read_text_table(data, source, list(M49_COLUMNS))[list(M49_COLUMNS)].rename(columns=M49_COLUMNS)
    for flag in ("ldc", "lldc", "sids"):
        frame[flag] = frame[flag].str.strip().str.lower() == "x"
    frame["name"] = frame["name"].str.strip()
    return frame


def parse_hdx_taxonomy(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """The HDX taxonomy with ``iso3``, ``m49``, ``un_member`` (the DGACM list) and every name column."""
    frame = _read_text_table(data, source, HDX_REQUIRED)
    frame = frame.rename(
        columns={"ISO 3166-1 Alpha 3-Codes": "iso3", "m49 numerical code": "m49", "French Short": "name_fr_un"}
    )
    frame["un_member"] = frame["Appears in DGACM list"].str.strip() == "Y"
    return frame
