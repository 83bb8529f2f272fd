"""``--group`` on gaps, status and run: bundled LDC/LLDC/SIDS, a user TOML file, every kind of bad file.

Group memberships are read from the snapshot's State table (UNSD M49 flags) through the project's own
functions, never typed here; the CSV path of ``gaps`` stays free of pandas with a group too.
"""

from __future__ import annotations

import csv
import io
import math
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rt2gaps import migrants
from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.cli import main
from rt2gaps.groups import FLAG_GROUPS, load_group
from rt2gaps.report import build_report_data
from rt2gaps.report.briefs import brief_stem, write_briefs
from rt2gaps.snapshot.reference import bundled_reference
from rt2gaps.status import STATUSES

ON = "2026-02-03"
GOOD = 'name = "Test group"\nsource = "a cited page"\nas_of = 2024-06-30\nmembers = ["MEX", "PHL", "SGP"]\n'


def flagged(key: str) -> set[str]:
    """The States the snapshot's State table flags for an M49 group."""
    return {state["iso3"] for state in current_snapshot().states if state[key] == "true"}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def write(tmp_path: Path, text: str | bytes, name: str = "group.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("key", list(FLAG_GROUPS))
def test_gaps_with_a_bundled_group_lists_exactly_its_states(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--group", key, "--as-of", ON]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert {row["iso3"] for row in rows} == flagged(key) and len(rows) == len(flagged(key))
    best = [int(row["rank_best"]) for row in rows if row["rank_best"]]
    worst = [int(row["rank_worst"]) for row in rows if row["rank_worst"]]
    assert min(best) == 1 and max(worst) <= len(rows)  # ranked within the group


def test_gaps_group_rows_are_the_full_tables_rows_but_ranked_within(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--as-of", ON]) == 0
    full = {row["iso3"]: row for row in csv_rows(capsys.readouterr().out)}
    assert main(["gaps", "--group", "LDC", "--as-of", ON]) == 0  # the built-in names in any case
    for row in csv_rows(capsys.readouterr().out):
        ranks = ("rank", "rank_best", "rank_worst")
        same = {k: v for k, v in row.items() if k not in ranks}
        assert same == {k: v for k, v in full[row["iso3"]].items() if k not in ranks}
        assert int(row["rank_worst"]) <= int(full[row["iso3"]]["rank_worst"])  # fewer States to be behind


def test_gaps_with_a_user_group_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["gaps", "--group", str(path), "--as-of", ON, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert {line.split()[0] for line in out.splitlines()[1:]} == {"MEX", "PHL", "SGP"}
    assert main(["gaps", "--group", str(path), "--country", "PHL", "--as-of", ON]) == 0
    assert {row["iso3"] for row in csv_rows(capsys.readouterr().out)} == {"PHL"}


def test_country_outside_the_group_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert "USA" not in flagged("sids")
    assert main(["gaps", "--group", "sids", "--country", "USA", "--as-of", ON]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "'USA'" in captured.err and FLAG_GROUPS["sids"] in captured.err


def test_status_honours_the_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--group", "lldc", "--instruments", "ICRMW,ICCPR", "--as-of", ON]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert {row["iso3"] for row in rows} == flagged("lldc") and len(rows) == 2 * len(flagged("lldc"))


BAD_FILES = [
    pytest.param(b'name = "unclosed\n', "not valid TOML", id="bad-toml"),
    pytest.param(GOOD.encode("utf-8").replace(b"cited", b"cit\xe9d"), "not UTF-8", id="not-utf8"),
    pytest.param(GOOD.replace('name = "Test group"\n', ""), "missing key 'name'", id="missing-name"),
    pytest.param(GOOD.replace('source = "a cited page"\n', ""), "missing key 'source'", id="missing-source"),
    pytest.param(GOOD.replace("as_of = 2024-06-30\n", ""), "missing key 'as_of'", id="missing-as_of"),
    pytest.param(GOOD.replace('members = ["MEX", "PHL", "SGP"]\n', ""), "missing key 'members'", id="missing-members"),
    pytest.param(GOOD + "colour = 1\n", r"unknown key\(s\) colour", id="unknown-key"),
    pytest.param(GOOD.replace('"Test group"', '"  "'), "key 'name': expected a non-empty string", id="blank-name"),
    pytest.param(GOOD.replace('"a cited page"', "3"), "key 'source': expected a non-empty string", id="source-number"),
    pytest.param(GOOD.replace("2024-06-30", '"June 2024"'), "key 'as_of': expected a date", id="as_of-text"),
    pytest.param(GOOD.replace("2024-06-30", "2024"), "key 'as_of': expected a date", id="as_of-number"),
    pytest.param(GOOD.replace('["MEX", "PHL", "SGP"]', '"MEX"'), "key 'members': expected a list", id="not-a-list"),
    pytest.param(GOOD.replace('"SGP"', "1"), "key 'members': expected a list", id="member-number"),
    pytest.param(GOOD.replace('["MEX", "PHL", "SGP"]', "[]"), "key 'members': expected at least one", id="empty"),
    pytest.param(GOOD.replace('"SGP"', '"XXX"'), "key 'members': unknown ISO3 code 'XXX'", id="unknown-iso3"),
    pytest.param(GOOD.replace('"SGP"', '"mex"'), "key 'members': duplicate ISO3 code 'mex'", id="duplicate"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
@pytest.mark.parametrize("verb", ["gaps", "status"])
def test_bad_group_file_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str, text: str | bytes, message: str
) -> None:
    path = write(tmp_path, text)
    assert main([verb, "--group", str(path), "--as-of", ON]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(path) in captured.err
    assert re.search(message, captured.err)


@pytest.mark.parametrize(
    ("argument", "message"),
    [("nope", "unknown group 'nope'; built in: ldc, lldc, sids"), ("missing.toml", "cannot read group file")],
)
def test_unknown_group_name_or_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argument: str, message: str
) -> None:
    argument = str(tmp_path / argument) if argument.endswith(".toml") else argument
    assert main(["gaps", "--group", argument, "--as-of", ON]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err


def test_group_with_no_state_in_the_universe_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    non_members = [s["iso3"] for s in current_snapshot().states if s["un_member"] != "true"]
    assert non_members  # the Holy See, Palestine, the Cook Islands and Niue
    path = write(tmp_path, GOOD.replace('["MEX", "PHL", "SGP"]', str(non_members).replace("'", '"')))
    assert main(["gaps", "--group", str(path), "--universe", "un-members", "--as-of", ON]) == 2
    assert "none of its" in capsys.readouterr().err


def test_gaps_csv_with_a_group_imports_no_pandas() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rt2gaps", "gaps", "--group", "ldc", "--format", "csv",
         "--as-of", ON],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert imported and not [line for line in imported if any(m in line for m in ("pandas", "openpyxl", "matplotlib"))]
    assert len(result.stdout.splitlines()) == len(flagged("ldc")) + 1


# --- report runs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ldc_data():
    snapshot = current_snapshot()
    group = load_group("ldc", snapshot.states)
    return build_report_data(load_set("rt2-priority"), snapshot, date.fromisoformat(ON), group=group)


def test_report_data_of_a_group(ldc_data) -> None:
    members = flagged("ldc")
    assert set(ldc_data.states["iso3"]) == members and set(ldc_data.status["iso3"]) == members
    assert set(ldc_data.tables["country_gaps"]["iso3"]) == members
    assert set(ldc_data.tables["matrix"]["iso3"]) == members
    assert ldc_data.stem == f"rt2gaps_rt2-priority_ldc_{ON}"
    # migrant totals are the group's: the sum of its States' figures, from the committed reference
    figures = migrants.state_figures(ldc_data.states, bundled_reference())
    affected = ldc_data.tables["migrants_affected"]
    stock = affected[affected["measure"] == "migrant_stock"]
    assert (stock["universe_total"] == figures["migrant_stock"].sum()).all()
    for row in stock.itertuples():
        total = sum(0.0 if math.isnan(getattr(row, s)) else getattr(row, s) for s in STATUSES)
        assert total == row.universe_total


def test_briefs_of_a_group_run_do_not_overwrite_the_full_ones(ldc_data, tmp_path: Path) -> None:
    iso3 = sorted(flagged("ldc"))[0]
    files = write_briefs(ldc_data, tmp_path, "en", [iso3], scorecards=False)
    assert files[0].markdown.name == f"{brief_stem(iso3, 'rt2-priority', 'en', 'ldc')}.md" != brief_stem(
        iso3, "rt2-priority", "en") + ".md"  # fmt: skip
    assert FLAG_GROUPS["ldc"] in files[0].markdown.read_text(encoding="utf-8")


def test_run_with_a_group_names_it_and_keeps_the_full_report(tmp_path: Path) -> None:
    import openpyxl

    assert main(["run", "--group", "sids", "--as-of", ON, "--out", str(tmp_path)]) == 0
    workbook = tmp_path / f"rt2gaps_rt2-priority_sids_{ON}.xlsx"
    assert workbook.is_file() and (tmp_path / f"rt2gaps_rt2-priority_sids_{ON}" / "country_gaps.csv").is_file()
    assert not (tmp_path / f"rt2gaps_rt2-priority_{ON}.xlsx").exists()
    about = {row[0]: row[1] for row in openpyxl.load_workbook(workbook)["About"].iter_rows(values_only=True) if row[0]}
    assert about["Group of States"].startswith(f"{FLAG_GROUPS['sids']} ({len(flagged('sids'))} States")
    assert about["Number of States"] == len(flagged("sids"))
    charts = list((tmp_path / "charts").iterdir())
    assert charts and all("_sids_" in path.name for path in charts)


def test_run_with_a_bad_group_file_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace('"SGP"', '"XXX"'))
    out = tmp_path / "out"
    assert main(["run", "--group", str(path), "--as-of", ON, "--out", str(out)]) == 2
    assert "unknown ISO3 code 'XXX'" in capsys.readouterr().err and not out.exists()


def test_a_user_file_named_like_a_built_in_group_gets_its_own_stem(tmp_path: Path) -> None:
    path = tmp_path / "LDC.toml"
    path.write_text('name = "Our LDC list"\nsource = "test"\nas_of = 2026-01-01\nmembers = ["NPL"]\n', encoding="utf-8")
    group = load_group(path, current_snapshot().states)
    assert group.slug == "LDC-file" and load_group("ldc", current_snapshot().states).slug == "ldc"


def test_a_built_in_group_is_named_in_the_output_language(ldc_data) -> None:
    """The French chart subtitle, About sheet and brief said 'Least Developed Countries': the group's name is
    UI text for a built-in group (the UN's French term), a user group's own name otherwise."""
    from rt2gaps.groups import StateGroup
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.charts.base import subtitle

    fr = UiStrings("fr")
    assert ldc_data.group.title(fr) == "Pays les moins avancés"
    assert ldc_data.group.title(UiStrings("en")) == "Least Developed Countries"
    assert "Pays les moins avancés" in subtitle(ldc_data, fr) and "Least" not in subtitle(ldc_data, fr)
    mine = StateGroup(name="Our partners", source="x", as_of=date(2024, 1, 1), members=("AFG",), key="partners")
    assert mine.title(fr) == "Our partners"
