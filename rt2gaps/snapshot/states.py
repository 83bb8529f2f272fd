"""The State table: the default universe with codes, names, regions and memberships.

Built from real sources only: UNSD M49 (codes, regions, LDC/LLDC/SIDS), MTDSG I-1 and I-2 (UN
membership and its date), the NORMLEX comparative table (ILO membership: its 187 rows), the HDX
taxonomy (the same M49 names in French, alternative spellings, the DGACM list of UN members as a
cross-check) and pycountry (spellings; a French name only where the UN tables have none).

State names are the UN's own: English from the M49 table ("Country or Area"), French from the M49
French column the HDX taxonomy carries beside the same M49 English name (a build check), then its
UNTERM "French Short", then pycountry. One name per State and language for every output.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pycountry

from rt2gaps.errors import Rt2gapsError, SourceLayoutError
from rt2gaps.names import STATE, NameResolver, read_alias_table
from rt2gaps.paths import DATA_DIR
from rt2gaps.sources import m49, mtdsg_xml, normlex_table

M49_FILE = "ref/m49/UNSD-M49-en-2024-09.csv"
HDX_FILE = "ref/m49/hdx-country-taxonomy-4.2.5.csv"
UN_ORIGINAL_MEMBERS_FILE = "untc/mtdsg-xml-2018-01/I-1.en.xml"
UN_LATER_MEMBERS_FILE = "untc/mtdsg-xml-2018-01/I-2.en.xml"
ILO_TABLE_FILE = "ilo/normlex-fundamentals-2026-07/ilo-core-conventions.csv"
UN_CHARTER_IN_FORCE = "1945-10-24"  # original members' membership date: the Charter's entry into force
NON_MEMBER_STATES = ("VAT", "PSE", "COK", "NIU")  # Holy See, State of Palestine, Cook Islands, Niue
UN_MEMBER_COUNT = 193
ILO_MEMBER_COUNT = 187
HDX_NAME_COLUMNS = (
    "Preferred Term", "ISO Alt Term", "DGACM Alt Term", "HPC Tools Alt Term", "RW Short Name",
    "RW API Alt Term", "English Short", "English Formal", "M49 English",
)  # fmt: skip


def _read(sources_dir: Path, relative: str) -> bytes:
    try:
        return (sources_dir / relative).read_bytes()
    except FileNotFoundError:
        raise Rt2gapsError(f"source file missing: {sources_dir / relative}") from None


def pycountry_french_name(iso3: str) -> str:
    """The State's French short name from pycountry's ISO 3166 catalogue (when the UN tables have none)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise Rt2gapsError(f"{iso3}: no French name in the UN tables and no such code in ISO 3166 (pycountry)")
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    return translation.gettext(country.name)


def un_french_names(m49_table, hdx_table) -> dict[str, str]:  # noqa: ANN001 (DataFrames)
    """ISO3 -> the UN's French short name: HDX "M49 French", else its "French Short".

    The HDX row must carry the same M49 English name as the UNSD table, so that both languages come
    from one version of the M49 table; a difference stops the build naming the State.
    """
    english = {row.iso3: row.name for row in m49_table.itertuples(index=False) if row.iso3}
    names: dict[str, str] = {}
    for row in hdx_table[["iso3", "name_en_m49", "name_fr_m49", "name_fr_un"]].itertuples(index=False):
        if row.iso3 not in english or not (row.name_fr_m49 or row.name_fr_un):
            continue
        if row.name_en_m49 and row.name_en_m49 != english[row.iso3]:
            raise Rt2gapsError(
                f"{HDX_FILE}: {row.iso3} is {row.name_en_m49!r} in its M49 English column but "
                f"{english[row.iso3]!r} in {M49_FILE}: the two tables are of different M49 versions"
            )
        names[row.iso3] = row.name_fr_m49 or row.name_fr_un
    return names


def name_candidates(m49_table, hdx_table) -> list[tuple[str, str]]:  # noqa: ANN001 (DataFrames)
    """(name, iso3) pairs the resolver knows without an alias: M49, HDX and pycountry spellings."""
    pairs: list[tuple[str, str]] = []
    for row in m49_table.itertuples(index=False):
        if row.iso3:
            pairs.append((row.name, row.iso3))
    for row in hdx_table.to_dict("records"):
        for column in HDX_NAME_COLUMNS:
            if row.get(column) and row.get("iso3"):
                pairs.append((str(row[column]), row["iso3"]))
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                pairs.append((getattr(country, attribute), country.alpha_3))
    return pairs


def build_states(sources_dir: Path) -> tuple[list[dict[str, str]], NameResolver]:
    """The State table rows (default universe first-class, sorted by ISO3) and the resolver built with it."""
    m49_table = m49.parse(_read(sources_dir, M49_FILE), M49_FILE)
    hdx_table = m49.parse_hdx_taxonomy(_read(sources_dir, HDX_FILE), HDX_FILE)
    resolver = NameResolver(name_candidates(m49_table, hdx_table), read_alias_table(DATA_DIR / "aliases.csv"))

    membership: dict[str, str] = {}
    for relative in (UN_ORIGINAL_MEMBERS_FILE, UN_LATER_MEMBERS_FILE):
        parsed = mtdsg_xml.parse(_read(sources_dir, relative), relative)
        for row in parsed.rows:
            found = resolver.resolve(row.participant, f"{relative} row {row.source_row}")
            if found is not None and found.kind == STATE and found.code:
                if relative == UN_ORIGINAL_MEMBERS_FILE:
                    membership[found.code] = UN_CHARTER_IN_FORCE
                elif row.consent is None:
                    raise SourceLayoutError(relative, f"an admission date at row {row.source_row}", "none")
                else:
                    membership[found.code] = row.consent.date.isoformat()
    ilo_members: set[str] = set()
    for name, _iso2 in normlex_table.parse_csv_members(_read(sources_dir, ILO_TABLE_FILE), ILO_TABLE_FILE):
        found = resolver.resolve(name, ILO_TABLE_FILE)
        if found is not None and found.code:
            ilo_members.add(found.code)
    resolver.raise_if_unresolved()

    hdx_members = set(hdx_table.loc[hdx_table["un_member"], "iso3"])
    if len(membership) != UN_MEMBER_COUNT or set(membership) != hdx_members:
        raise Rt2gapsError(
            f"UN membership: MTDSG I-1 and I-2 give {len(membership)} members, expected {UN_MEMBER_COUNT}; "
            f"differences from the HDX DGACM list: {sorted(set(membership) ^ hdx_members)}"
        )
    if len(ilo_members) != ILO_MEMBER_COUNT:
        raise Rt2gapsError(f"ILO membership: {ILO_TABLE_FILE} gives {len(ilo_members)} members, expected 187")

    by_iso3 = {row["iso3"]: row for row in m49_table.to_dict("records") if row["iso3"]}
    french = un_french_names(m49_table, hdx_table)
    universe = sorted(set(membership) | set(NON_MEMBER_STATES))
    rows: list[dict[str, str]] = []
    for iso3 in universe:
        area = by_iso3.get(iso3)
        if area is None:
            raise Rt2gapsError(f"{M49_FILE}: no row for {iso3}, a State of the default universe")
        rows.append(
            {
                "iso3": iso3,
                "iso2": area["iso2"],
                "m49": f"{int(area['m49']):03d}",
                "name_en": area["name"],
                "name_fr": french.get(iso3) or pycountry_french_name(iso3),
                "un_name": area["name"],
                "region_code": area["region_code"],
                "region": area["region"],
                "subregion_code": area["subregion_code"],
                "subregion": area["subregion"],
                "intermediate_code": area["intermediate_code"],
                "intermediate_region": area["intermediate_region"],
                "ldc": _flag(area["ldc"]),
                "lldc": _flag(area["lldc"]),
                "sids": _flag(area["sids"]),
                "un_member": _flag(iso3 in membership),
                "un_membership_date": membership.get(iso3, ""),
                "ilo_member": _flag(iso3 in ilo_members),
                "default_universe": "true",
            }
        )
    return rows, resolver


def _flag(value: object) -> str:
    return "true" if bool(value) and value == value else "false"  # NaN is not a flag
