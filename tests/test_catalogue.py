"""The catalogue data and its loader: ids, groups, sources, facts checked against the raw pages, bad set files."""

from __future__ import annotations

import csv
import html
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from rt2gaps.catalogue import (
    INSTRUMENTS_FILE,
    Instrument,
    RecommendedSet,
    instrument,
    list_sets,
    load_instruments,
    load_non_ratifiable,
    load_set,
    parse_instrument_ids,
)
from rt2gaps.errors import Rt2gapsError

UN_IDS = {
    "ICERD": "IV-2", "ICESCR": "IV-3", "OP-ICESCR": "IV-3-a", "ICCPR": "IV-4", "ICCPR-OP1": "IV-5",
    "ICCPR-OP2": "IV-12", "CEDAW": "IV-8", "OP-CEDAW": "IV-8-b", "CAT": "IV-9", "OPCAT": "IV-9-b", "CRC": "IV-11",
    "OPAC": "IV-11-b", "OPSC": "IV-11-c", "OPIC": "IV-11-d", "ICRMW": "IV-13", "CRPD": "IV-15", "OP-CRPD": "IV-15-a",
    "CPED": "IV-16", "REFUGEE-1951": "V-2", "REFUGEE-1967": "V-5", "STATELESS-1954": "V-3", "STATELESS-1961": "V-4",
    "UNTOC": "XVIII-12", "UNTOC-TIP": "XVIII-12-a", "UNTOC-SOM": "XVIII-12-b",
}  # fmt: skip
ILO_IDS = ["C029", "P029", "C081", "C087", "C097", "C098", "C100", "C102", "C105", "C111", "C118", "C122", "C138",
           "C143", "C155", "C181", "C182", "C187", "C189", "C190"]  # fmt: skip
FUNDAMENTALS = {"C029", "P029", "C087", "C098", "C100", "C105", "C111", "C138", "C155", "C182", "C187"}
UN_CORE = ["ICERD", "ICESCR", "ICCPR", "CEDAW", "CAT", "CRC", "ICRMW", "CRPD", "CPED"]
HTML_FILES = {
    "ICERD": "cerd", "ICESCR": "icescr", "OP-ICESCR": "icescr_op", "ICCPR": "iccpr", "ICCPR-OP1": "iccpr_op1",
    "ICCPR-OP2": "iccpr_op2", "CEDAW": "cedaw", "OP-CEDAW": "cedaw_op", "CAT": "cat", "OPCAT": "cat_op",
    "CRC": "crc", "OPAC": "crc_op_ac", "OPSC": "crc_op_sc", "OPIC": "crc_op_ic", "ICRMW": "cmw", "CRPD": "crpd",
    "OP-CRPD": "crpd_op", "CPED": "ced",
}  # fmt: skip
NO_DATA = {"C081", "C097", "C102", "C118", "C122", "C143", "C181", "C189", "C190"}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Instrument]:
    return load_instruments()


def _flat(text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))).strip()


def _long_date(text: str) -> date:
    return datetime.strptime(text, "%d %B %Y").date()


# --- the catalogue data -----------------------------------------------------------------------------------------


def test_catalogue_ids_in_order(catalogue: dict[str, Instrument]) -> None:
    assert list(catalogue) == [*UN_IDS, *ILO_IDS]
    assert {i: x.mtdsg for i, x in catalogue.items() if x.body == "UN"} == UN_IDS
    assert all(catalogue[i].body == "ILO" and catalogue[i].normlex_id for i in ILO_IDS)


def test_groups(catalogue: dict[str, Instrument]) -> None:
    by_group: dict[str, set[str]] = {}
    for item in catalogue.values():
        by_group.setdefault(item.group, set()).add(item.id)
    assert by_group["un_core_treaty"] == set(UN_CORE)
    assert by_group["ilo_fundamental"] == FUNDAMENTALS
    assert by_group["ilo_governance"] == {"C081", "C122"}
    assert by_group["ilo_technical"] == {"C097", "C102", "C118", "C143", "C181", "C189", "C190"}
    assert by_group["refugees_statelessness"] == {"REFUGEE-1951", "REFUGEE-1967", "STATELESS-1954", "STATELESS-1961"}
    assert by_group["transnational_crime"] == {"UNTOC", "UNTOC-TIP", "UNTOC-SOM"}


def test_normlex_ids_and_inferred_flags(catalogue: dict[str, Instrument]) -> None:
    inferred = {i for i, x in catalogue.items() if x.normlex_id_inferred}
    assert inferred == {"C102", "C118", "C122", "C143"}
    for code in ILO_IDS:
        if code.startswith("C") and int(code[1:]) <= 188:
            assert catalogue[code].normlex_id == str(312145 + int(code[1:])), code
    assert catalogue["P029"].normlex_id == "3174672"
    assert catalogue["C189"].normlex_id == "2551460"
    assert catalogue["C190"].normlex_id == "3999810"


def test_source_urls(catalogue: dict[str, Instrument]) -> None:
    for item in catalogue.values():
        if item.body == "UN":
            chapter = {"IV": 4, "V": 5, "XVIII": 18}[item.mtdsg.split("-")[0]]
            assert item.source_url == (
                "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY"
                f"&mtdsg_no={item.mtdsg}&chapter={chapter}&clang=_en"
            )
        else:
            assert item.source_url == (
                f"https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:11300:0::NO::P11300_INSTRUMENT_ID:{item.normlex_id}"
            )


def test_data_sources(catalogue: dict[str, Instrument]) -> None:
    keys = {i: x.data_source_key for i, x in catalogue.items()}
    assert {i for i, k in keys.items() if k == "untc-html-2026-02-03"} == set(HTML_FILES)
    assert {i for i, k in keys.items() if k == "mtdsg-xml-2018-01"} == {
        "STATELESS-1954", "STATELESS-1961", "REFUGEE-1967", "UNTOC-TIP", "UNTOC-SOM"}  # fmt: skip
    assert {i for i, k in keys.items() if k == "untc-csv-2015-03-14"} == {"REFUGEE-1951", "UNTOC"}
    assert {i for i, k in keys.items() if k == "normlex-fundamentals-2026-07"} == FUNDAMENTALS
    assert {i for i, k in keys.items() if not k} == NO_DATA
    assert not any(catalogue[i].has_data for i in NO_DATA)
    for identifier, stem in HTML_FILES.items():
        # the builder joins source_file to the source folder, so it is the full file name
        assert catalogue[identifier].source_file == f"{stem}.html"


def test_every_data_source_key_is_registered(catalogue: dict[str, Instrument]) -> None:
    from rt2gaps.snapshot.registry import load_registry

    registered = load_registry()
    assert {x.data_source_key for x in catalogue.values() if x.data_source_key} <= set(registered)


def test_rules(catalogue: dict[str, Instrument]) -> None:
    expected = {
        "days:30": {"ICERD", "CEDAW", "CAT", "OPCAT", "CRC", "CRPD", "OP-CRPD", "CPED", "UNTOC", "UNTOC-TIP",
                    "UNTOC-SOM"},
        "months:3": {"ICESCR", "ICCPR", "ICCPR-OP1", "ICCPR-OP2", "OP-ICESCR", "OP-CEDAW", "OPIC"},
        "months:1": {"OPAC", "OPSC"},
        "first_of_month_after_months:3": {"ICRMW"},
        "days:90": {"REFUGEE-1951", "STATELESS-1954", "STATELESS-1961"},
        "on_deposit": {"REFUGEE-1967"},
        "months:12": set(ILO_IDS),
    }  # fmt: skip
    for rule, ids in expected.items():
        assert {i for i, x in catalogue.items() if x.eif_rule == rule} == ids, rule
    assert catalogue["ICCPR-OP1"].denunciation_rule == "months:3"
    assert {i for i, x in catalogue.items() if x.denunciation_rule == "none"} == {
        "ICESCR", "ICCPR", "ICCPR-OP2", "CEDAW"}  # fmt: skip
    assert all(catalogue[i].denunciation_rule == "months:12" for i in ILO_IDS)


def test_seed_references(catalogue: dict[str, Instrument]) -> None:
    assert all("Annex B" in x.seed_references for x in catalogue.values())
    for identifier in ("ICRMW", "C097", "C143", "C181", "C189", "C190", "ICCPR", "ICESCR"):
        assert "§3.1" in catalogue[identifier].seed_references
    for identifier in FUNDAMENTALS:
        assert "§3.1 fn 7" in catalogue[identifier].seed_references


def test_dates_are_plausible(catalogue: dict[str, Instrument]) -> None:
    for item in catalogue.values():
        assert item.adoption_date < item.entry_into_force_date, item.id
        assert item.title_en and item.title_fr and item.eif_date_source
        if item.body == "ILO":
            assert item.eif_date_source == "ILO instrument record (catalogue, not parsed)"


def test_instruments_csv_has_the_documented_columns() -> None:
    with INSTRUMENTS_FILE.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    for column in ("id", "body", "mtdsg", "normlex_id", "normlex_id_inferred", "short_name", "title_en", "title_fr",
                   "adoption_date", "entry_into_force_date", "eif_date_source", "group", "seed_reference",
                   "source_url", "eif_rule", "denunciation_rule", "data_source_key", "source_file"):  # fmt: skip
        assert column in header


# --- facts checked against the raw pages -------------------------------------------------------------------------


def _untc_page_fields(page: str) -> dict[str, str]:
    found = {}
    for match in re.finditer(r'<div[^>]*id="[^"]*_rpt(\w+?)_ctl00_tcText"[^>]*>(.*?)</div>', page, re.S):
        found[match.group(1)] = _flat(match.group(2))
    heading = re.search(r"HUMAN RIGHTS\s*(?:</[^>]+>\s*|<[^>]+>\s*)*([^<]+)<", page)
    found["heading"] = _flat(heading.group(1)) if heading else ""
    return found


def test_chapter_iv_facts_match_the_untc_pages(catalogue: dict[str, Instrument], shared_sources: Path) -> None:
    folder = shared_sources / "untc" / "viewdetails-html-2026-02-03"
    for identifier, stem in HTML_FILES.items():
        item = catalogue[identifier]
        page = _untc_page_fields((folder / f"{stem}.html").read_text(encoding="utf-8"))
        eif_text = page["EIF"]
        assert _long_date(re.match(r"(\d{1,2} \w+ \d{4})", eif_text).group(1)) == item.entry_into_force_date, stem
        concluded = _long_date(re.search(r"(\d{1,2} \w+ \d{4})", page["Treaty"]).group(1))
        if identifier == "ICERD":  # UNTC gives the opening for signature; the GA adopted it on 21 Dec 1965
            assert concluded == date(1966, 3, 7) and "21 December 1965" in page["Notes"]
        else:
            assert concluded == item.adoption_date, stem
        assert item.eif_date_source.startswith("UNTC ViewDetails page")


def test_chapter_iv_titles_match_the_untc_headings(catalogue: dict[str, Instrument], shared_sources: Path) -> None:
    folder = shared_sources / "untc" / "viewdetails-html-2026-02-03"
    for identifier, stem in HTML_FILES.items():
        text = _flat((folder / f"{stem}.html").read_text(encoding="utf-8"))
        number = catalogue[identifier].mtdsg.split("-", 1)[1]
        heading = re.sub(r"^(\d+)-?([a-z])?$", lambda m: f"{m.group(1)}. {m.group(2) or ''}".rstrip(), number)
        assert f"{heading} {catalogue[identifier].title_en}" in text, identifier


def test_quoted_articles_agree_with_the_rules(catalogue: dict[str, Instrument], shared_sources: Path) -> None:
    """Where UNTC quotes the entry-into-force article, its wording matches the catalogue rule.

    OPCAT art. 28(2) (HTML page) and the trafficking and smuggling protocols' arts. 17(2) and 22(2)
    (MTDSG XML) say "the thirtieth day after the date of deposit" of the State's own instrument: days:30.
    CPED's page quotes only art. 39(1) (the twentieth instrument), also "the thirtieth day".
    """
    untc = shared_sources / "untc"
    opcat = _flat((untc / "viewdetails-html-2026-02-03" / "cat_op.html").read_text(encoding="utf-8"))
    assert "thirtieth day after the date of deposit of its own instrument" in opcat
    assert catalogue["OPCAT"].eif_rule == "days:30"
    cped = _flat((untc / "viewdetails-html-2026-02-03" / "ced.html").read_text(encoding="utf-8"))
    assert "shall enter into force on the thirtieth day after the date of deposit" in cped
    assert catalogue["CPED"].eif_rule == "days:30"
    for identifier in ("UNTOC-TIP", "UNTOC-SOM"):
        xml = (untc / "mtdsg-xml-2018-01" / f"{catalogue[identifier].mtdsg}.en.xml").read_bytes().decode("latin-1")
        assert "on the thirtieth day after the date of deposit by such State" in re.sub(r"\s+", " ", xml)
        assert catalogue[identifier].eif_rule == "days:30"


def test_other_chapters_match_the_mtdsg_xml(catalogue: dict[str, Instrument], shared_sources: Path) -> None:
    folder = shared_sources / "untc" / "mtdsg-xml-2018-01"
    for item in catalogue.values():
        if item.body != "UN" or item.mtdsg.startswith("IV-"):
            continue
        xml = (folder / f"{item.mtdsg}.en.xml").read_bytes().decode("latin-1")
        label = re.search(r"<EIF>\s*<Label>[^<]*</Label>\s*<Labeltext>(\d{1,2} \w+ \d{4})", xml)
        assert _long_date(label.group(1)) == item.entry_into_force_date, item.id
        concluded = re.search(r"<Conclusion>[^<,]*, (\d{1,2} \w+ \d{4})", xml)
        assert _long_date(concluded.group(1)) == item.adoption_date, item.id
        assert item.eif_date_source.startswith("MTDSG XML Labeltext")


def test_source_files_exist(catalogue: dict[str, Instrument], shared_sources: Path) -> None:
    from rt2gaps.snapshot.registry import load_registry

    registry = load_registry()
    for item in catalogue.values():
        if item.data_source_key:
            entry = registry[item.data_source_key]
            assert (shared_sources / entry.folder / (entry.primary_file or item.source_file)).is_file(), item.id


# --- loader behaviour ----------------------------------------------------------------------------------------------


def test_instrument_lookup() -> None:
    assert instrument("ICRMW").mtdsg == "IV-13"
    with pytest.raises(Rt2gapsError, match=r"unknown instrument id 'C999'; known: ICERD, ICESCR"):
        instrument("C999")


def test_parse_instrument_ids() -> None:
    assert parse_instrument_ids("ICRMW,C189") == ["ICRMW", "C189"]
    assert parse_instrument_ids(" icrmw , c189,ICRMW ") == ["ICRMW", "C189"]
    with pytest.raises(Rt2gapsError, match="unknown instrument id 'CMW'"):
        parse_instrument_ids("ICRMW,CMW")
    with pytest.raises(Rt2gapsError, match="no instrument ids"):
        parse_instrument_ids(" , ")


def test_catalogue_module_does_not_import_pandas() -> None:
    code = "import sys, rt2gaps.catalogue, rt2gaps.entry_into_force; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _write_catalogue(tmp_path: Path, edit) -> Path:
    with INSTRUMENTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = edit(rows)
    path = tmp_path / "instruments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_catalogue_rows_name_file_row_and_field(tmp_path: Path) -> None:
    def bad_rule(rows):
        rows[2]["eif_rule"] = "3 months"
        return rows

    with pytest.raises(Rt2gapsError, match=r"instruments\.csv: row 4, field eif_rule: bad rule '3 months'"):
        load_instruments(_write_catalogue(tmp_path, bad_rule))

    def duplicate(rows):
        return [*rows, rows[0]]

    with pytest.raises(Rt2gapsError, match=r"row 47, field id: duplicate instrument id 'ICERD'"):
        load_instruments(_write_catalogue(tmp_path, duplicate))

    def bad_date(rows):
        rows[0]["entry_into_force_date"] = "4 Jan 1969"
        return rows

    with pytest.raises(Rt2gapsError, match=r"row 2, field entry_into_force_date: expected an ISO date"):
        load_instruments(_write_catalogue(tmp_path, bad_date))

    def no_denunciation_column(rows):
        return [{k: v for k, v in row.items() if k != "denunciation_rule"} for row in rows]

    with pytest.raises(Rt2gapsError, match=r"missing column\(s\) denunciation_rule"):
        load_instruments(_write_catalogue(tmp_path, no_denunciation_column))

    def bad_group(rows):
        rows[0]["group"] = "core"
        return rows

    with pytest.raises(Rt2gapsError, match=r"row 2, field group: expected one of un_core_treaty"):
        load_instruments(_write_catalogue(tmp_path, bad_group))


def test_non_ratifiable() -> None:
    items = load_non_ratifiable()
    assert set(items) == {"UDHR", "GCM", "GCR", "R086", "R151", "R205", "ILO-FAIR-RECRUITMENT"}
    assert not any(x.ratifiable for x in items.values())
    assert not set(items) & set(load_instruments())
    assert items["GCM"].adoption_date == date(2018, 12, 19) and "73/195" in items["GCM"].source_url
    assert items["GCR"].adoption_date == date(2018, 12, 17) and "73/151" in items["GCR"].source_url
    assert items["UDHR"].adoption_date == date(1948, 12, 10)
    assert {x.kind for x in items.values()} == {"declaration", "compact", "recommendation", "guidelines"}


# --- recommended sets ----------------------------------------------------------------------------------------------


def test_bundled_sets() -> None:
    assert list_sets() == ["annex-b", "ilo-fundamental", "migrants", "rt2-priority", "un-core"]
    catalogue = load_instruments()
    assert load_set("annex-b").instruments == tuple(catalogue)
    assert load_set("un-core").instruments == tuple(UN_CORE)
    assert set(load_set("ilo-fundamental").instruments) == FUNDAMENTALS
    priority = load_set("rt2-priority")
    asked = {"ICRMW", "C097", "C143", "C181", "C189", "C190", "ICCPR", "ICESCR"}
    assert set(priority.instruments) == asked | FUNDAMENTALS
    assert len(priority.instruments) == 19
    assert load_set("migrants").instruments == (
        "ICRMW", "C097", "C143", "C181", "C189", "C190", "REFUGEE-1951", "REFUGEE-1967", "STATELESS-1954",
        "STATELESS-1961", "UNTOC-TIP", "UNTOC-SOM")  # fmt: skip
    for name in list_sets():
        loaded = load_set(name)
        assert loaded.name == name and loaded.description and loaded.seed_reference


def test_user_set_with_weights(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\ninstruments = ["ICRMW", "C189"]\n[weights]\nICRMW = 2\nC189 = 0.5\n', encoding="utf-8"
    )
    loaded = load_set(str(path))
    assert loaded == RecommendedSet("mine", "", "", ("ICRMW", "C189"), {"ICRMW": 2.0, "C189": 0.5}, path)
    assert loaded.weight("ICRMW") == 2.0
    assert load_set(path).instruments == ("ICRMW", "C189")


ONE = 'name = "x"\ninstruments = ["ICRMW"]\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\ninstruments = [ICRMW]\n', r"bad\.toml: not valid TOML: .*\(at line 2, column \d+\)"),
        ('name = "x"\ninstruments = ["ICRMW"\n', r"bad\.toml: not valid TOML: Unclosed array"),
        ('instruments = ["ICRMW"]\n', r"bad\.toml: missing key 'name'"),
        ('name = "x"\n', r"bad\.toml: missing key 'instruments': expected a list"),
        ('name = "x"\ninstruments = "ICRMW,C189"\n', r"key 'instruments': expected a list of instrument id strings"),
        ('name = 3\ninstruments = ["ICRMW"]\n', r"key 'name': expected a non-empty string"),
        ('name = "x"\ninstruments = []\n', r"key 'instruments': expected at least one instrument id"),
        ('name = "x"\ninstruments = ["ICRMW", "CMW"]\n', r"key 'instruments': unknown instrument id 'CMW'; known:"),
        ('name = "x"\ninstruments = ["ICRMW", "ICRMW"]\n', r"key 'instruments': duplicate instrument id 'ICRMW'"),
        (ONE + '[weights]\nICRMW = "high"\n', r"key 'weights\.ICRMW': expected a number"),
        (ONE + '[weights]\nICRMW = true\n', r"key 'weights\.ICRMW': expected a number"),
        (ONE + '[weights]\nICRMW = -1\n', r"key 'weights\.ICRMW': expected a number above 0 and at most 1000"),
        (ONE + '[weights]\nC189 = 1\n', r"key 'weights\.C189': expected an instrument listed"),
        ('name = "x"\ninstruments = ["ICRMW"]\nweights = 2\n', r"key 'weights': expected a table"),
        ('name = "x"\ninstrument = ["ICRMW"]\n', r"unknown key\(s\) instrument; expected only"),
    ],
)  # fmt: skip
def test_bad_set_files_give_one_clear_message(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Rt2gapsError, match=message) as caught:
        load_set(path)
    assert "\n" not in str(caught.value)


def test_unknown_set_name_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(Rt2gapsError, match=r"unknown recommended set 'priority'; known: annex-b"):
        load_set("priority")
    with pytest.raises(Rt2gapsError, match=r"nothere\.toml: cannot read recommended set"):
        load_set(tmp_path / "nothere.toml")
