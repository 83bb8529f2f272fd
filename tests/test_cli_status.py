"""``rt2gaps status`` end to end on the committed snapshot, and its one-line errors."""

from __future__ import annotations

import csv
import io

import pytest

from rt2gaps.cli import main


def run_status(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, str]], str]:
    code = main(["status", *args])
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out))) if captured.out else []
    return code, rows, captured.err


def test_icrmw_has_exactly_60_parties_on_the_source_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, _ = run_status(capsys, "--as-of", "2026-02-03", "--instruments", "ICRMW", "--format", "csv")
    assert code == 0
    assert sum(row["status"] in ("party", "pending") for row in rows) == 60
    assert list(rows[0])[:9] == [
        "iso3", "instrument", "status", "signature_date", "consent_date", "consent_type", "in_force_date",
        "withdrawal_date", "date_precision",
    ]  # fmt: skip
    assert "source_as_of" in rows[0]


def test_c189_is_unknown_for_every_ilo_member_never_none(capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, _ = run_status(capsys, "--instruments", "C189")
    statuses = {row["status"] for row in rows}
    assert code == 0 and statuses == {"unknown", "not_eligible"}
    assert sum(row["status"] == "unknown" for row in rows) == 187


def test_un_members_universe(capsys: pytest.CaptureFixture[str]) -> None:
    _, rows, _ = run_status(capsys, "--instruments", "ICCPR", "--universe", "un-members")
    assert len(rows) == 193


def test_default_is_every_instrument_and_state(capsys: pytest.CaptureFixture[str]) -> None:
    _, rows, _ = run_status(capsys)
    assert len(rows) == 197 * 45


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-02-30"], "--as-of: '2026-02-30' is not a date in the form YYYY-MM-DD"),
        (["--as-of", "03/02/2026"], "is not a date in the form YYYY-MM-DD"),
        (["--instruments", "ICRMW,C999"], "unknown instrument id 'C999'"),
        (["--universe", "mars"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) if "--universe" in args else _no_exit():
        code = main(["status", *args])
        assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1


class _no_exit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False
