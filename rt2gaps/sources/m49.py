"""UNSD M49 table and the HDX country taxonomy: codes, regions, flags, names and spellings.

Both CSVs are read as text with no NA guessing: ``NA`` is Namibia's ISO2 code, not a missing value.
Text cells left blank in the source stay ``""`` (callers test them with plain truthiness).
"""

from __future__ import annotations

import pandas as pd

from rt2gaps.errors import CountMismatchError, SourceLayoutError
from rt2gaps.sources.text_csv import read_text_table

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
M49_FLAGS = ("ldc", "lldc", "sids")
HDX_COLUMNS = {
    "ISO 3166-1 Alpha 3-Codes": "iso3",
    "ISO 3166-1 Alpha 2-Codes": "iso2",
    "m49 numerical code": "m49",
    "Preferred Term": "name_en",
    "English Short": "name_en_short",
    "English Formal": "name_en_formal",
    "M49 English": "name_en_m49",
    "French Short": "name_fr_un",
    "M49 French": "name_fr_m49",
    "Appears in DGACM list": "dgacm",
    "Latitude": "latitude",
    "Longitude": "longitude",
    "Regex": "regex",
}
HDX_REQUIRED = tuple(HDX_COLUMNS)
HDX_ALIAS_COLUMNS = (
    "Preferred Term", "ISO Alt Term", "DGACM Alt Term", "HPC Tools Alt Term", "RW Short Name",
    "RW API Alt Term", "English Short", "English Formal", "M49 English",
)  # fmt: skip
UN_MEMBER_COUNT = 193


def _codes(column: pd.Series, name: str, source: str, *, nullable: bool) -> pd.Series:
    """Numeric codes as integers (``"004"`` and ``"4"`` alike); blank is <NA> only where allowed."""
    text = column.str.strip()
    blank = text == ""
    if blank.any() and not nullable:
        raise SourceLayoutError(source, f"a {name} on every row", f"blank in row {int(blank.idxmax()) + 2}")
    bad = ~blank & ~text.str.fullmatch(r"\d{1,3}")
    if bad.any():
        row = int(bad.idxmax())
        raise SourceLayoutError(source, f"{name} as up to three digits", f"{column.iloc[row]!r} in row {row + 2}")
    return pd.to_numeric(text.mask(blank)).astype("Int64" if nullable else "int64")


def parse(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """The M49 table: one row per country or area (248 in the 2024-09 file).

    Columns: ``m49`` int64 and ``m49_code`` str (3 digits, as printed); ``name``, ``iso2``, ``iso3`` str;
    ``region_code``/``subregion_code``/``intermediate_code`` str (3 digits, "" if none) with their
    names ``region``/``subregion``/``intermediate_region``; ``ldc``, ``lldc``, ``sids`` bool (cell ``x``).
    """
    frame = read_text_table(data, source, list(M49_COLUMNS))[list(M49_COLUMNS)].rename(columns=M49_COLUMNS)
    frame = frame.apply(lambda column: column.str.strip())
    for flag in M49_FLAGS:
        odd = ~frame[flag].str.lower().isin(["x", ""])
        if odd.any():
            raise SourceLayoutError(source, f"{flag} flags 'x' or blank", repr(frame[flag][odd].iloc[0]))
        frame[flag] = frame[flag].str.lower() == "x"
    frame["m49"] = _codes(frame["m49"], "M49 Code", source, nullable=False)
    frame.insert(frame.columns.get_loc("m49") + 1, "m49_code", frame["m49"].map("{:03d}".format).astype("str"))
    if not frame["m49"].is_unique:
        repeated = sorted(set(frame["m49"][frame["m49"].duplicated()]))
        raise SourceLayoutError(source, "each M49 Code once", f"repeated {repeated}")
    return frame


def parse_hdx_taxonomy(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """The HDX taxonomy (hdx-python-country 4.2.5): one row per country, area or region-like entity.

    Tidy columns first: ``iso3``, ``iso2`` str ("" if none: Kosovo, Channel Islands, Sark...);
    ``m49`` Int64 (<NA> if none); ``name_en`` (preferred), ``name_en_short``, ``name_en_formal``,
    ``name_en_m49``, ``name_fr_un`` (French short), ``name_fr_m49`` str; ``un_member`` bool (DGACM list
    = ``Y``); ``latitude``, ``longitude`` float64; ``regex`` str (the package's matching pattern);
    ``aliases`` str (the distinct English spellings of HDX_ALIAS_COLUMNS, ``;``-joined).
    Then every source column, as text under its own name (Spanish, Russian, Chinese, Arabic names...).
    """
    raw = read_text_table(data, source, HDX_REQUIRED).apply(lambda column: column.str.strip())
    frame = raw[list(HDX_COLUMNS)].rename(columns=HDX_COLUMNS)
    frame["m49"] = _codes(frame["m49"], "m49 numerical code", source, nullable=True)
    frame["un_member"] = frame.pop("dgacm") == "Y"
    for axis in ("latitude", "longitude"):
        numbers = pd.to_numeric(frame[axis].mask(frame[axis] == ""), errors="coerce")
        broken = numbers.isna() & (frame[axis] != "")
        if broken.any():
            row = int(broken.idxmax())
            found = f"{frame[axis].iloc[row]!r} (row {row + 2})"
            raise SourceLayoutError(source, f"a number or blank in {axis}", found)
        frame[axis] = numbers.astype("float64")
    alias_columns = [column for column in HDX_ALIAS_COLUMNS if column in raw.columns]
    frame["aliases"] = [
        ";".join(dict.fromkeys(name for name in names if name)) for names in raw[alias_columns].itertuples(index=False)
    ]
    return pd.concat([frame, raw], axis=1)


def check_un_members(frame: pd.DataFrame, source: str = "HDX taxonomy") -> None:
    """Raise unless exactly 193 rows are UN members, each with its own ISO3 code."""
    members = frame.loc[frame["un_member"], "iso3"]
    if len(members) != UN_MEMBER_COUNT or not members.is_unique or (members == "").any():
        raise CountMismatchError(
            f"{source}: {len(members)} UN members (DGACM list), expected {UN_MEMBER_COUNT} with distinct ISO3 codes"
        )
