"""`run --lang fr` says, in French, the names of the files it wrote; `--csv-sep ';'` writes the CSV
tables that Excel opens in a French locale (semicolons, decimal commas)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rt2gaps.cli import main

AS_OF = "2026-02-03"
STEM = f"rt2gaps_rt2-priority_{AS_OF}"


def test_run_in_french_names_the_fr_files_and_writes_semicolon_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    code = main(["run", "--no-charts", "--as-of", AS_OF, "--lang", "fr", "--csv-sep", ";", "--out", str(out)])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"écrit\u202f: {out / (STEM + '_fr.xlsx')}",
                     f"écrit\u202f: {out / (STEM + '_fr')}/ (17 tables CSV)"]  # fmt: skip
    assert (out / f"{STEM}_fr.xlsx").is_file()
    with (out / f"{STEM}_fr" / "country_gaps.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = rows[0]
    assert header[:2] == ["ISO3", "État"] and len(rows[1]) == len(header)
    share = rows[1][header.index("Part connue")]
    assert "," in share and "." not in share  # 0,93: a number to Excel in a French locale


def test_run_in_english_keeps_its_lines_and_commas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert main(["run", "--no-charts", "--as-of", AS_OF, "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"wrote {out / (STEM + '.xlsx')}"
    first = (out / STEM / "country_gaps.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("iso3,name_en,")


def test_a_bad_separator_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "--no-charts", "--csv-sep", "|", "--out", str(tmp_path)])
    assert stop.value.code == 2
    assert "--csv-sep" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
