"""Issue 9 §3: acts that UNTC records only in its footnotes (Guyana and Trinidad and Tobago, ICCPR-OP1).

Each act is tested against the footnote's own text on the saved page, then through the snapshot and the
status engine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.history import status_rows
from rt2gaps.sources import untc_html
from rt2gaps.sources.untc_cells import footnote_acts
from rt2gaps.status import NONE, PARTY, PENDING, WITHDRAWN

PAGES = "untc/viewdetails-html-2026-02-03"
CATALOGUE = load_instruments()


def _row(shared_sources: Path, page: str, participant: str):
    parsed = untc_html.parse((shared_sources / PAGES / page).read_bytes())
    return parsed, next(r for r in parsed.rows if r.participant == participant)


def test_guyana_footnote_gives_the_1993_accession_and_the_1999_denunciation(shared_sources: Path) -> None:
    parsed, row = _row(shared_sources, "iccpr_op1.html", "Guyana")
    note = parsed.footnotes[row.footnotes[0]]
    assert "had initially acceded to the Optional Protocol on 10 May 1993" in note
    assert "On 5 January 1999, the Government of Guyana notified" in note and "with effect from 5 April 1999" in note
    assert "On that same date, the Government of Guyana re-acceded" in note
    found = [(a.kind, a.date, a.effective) for a in row.footnote_acts]
    assert found == [
        ("accession", date(1993, 5, 10), None),
        ("denunciation", date(1999, 1, 5), date(1999, 4, 5)),
        ("accession", date(1999, 1, 5), None),  # the re-accession: the grid's own 5 Jan 1999 a
    ]
    assert row.consent is not None and row.consent.raw == "5 Jan 1999 a" and not row.consent.undone


def test_trinidad_and_tobago_footnote_gives_the_1998_denunciation_and_re_accession(shared_sources: Path) -> None:
    parsed, row = _row(shared_sources, "iccpr_op1.html", "Trinidad and Tobago")
    note = parsed.footnotes[row.footnotes[0]]
    assert "denounce the Optional Protocol with effect from 26 August 1998" in note
    assert "On 26 August 1998, the Government of Trinidad and Tobago re-acceded" in note
    assert "The new accession took effect on 26 August 1998" in note
    found = {(a.kind, a.date, a.effective) for a in row.footnote_acts}
    assert ("denunciation", date(1998, 5, 26), date(1998, 8, 26)) in found
    assert ("accession", date(1998, 8, 26), None) in found  # first paragraph: re-acceded on 26 August
    assert ("accession", date(1998, 5, 26), date(1998, 8, 26)) in found  # a later paragraph: "on that same date"
    assert ("denunciation", date(2000, 3, 27), date(2000, 6, 27)) in found  # also the grid's brackets


def test_a_predecessor_s_act_is_not_the_successor_s(shared_sources: Path) -> None:
    parsed, row = _row(shared_sources, "iccpr_op1.html", "Czech Republic")
    assert "Czechoslovakia acceded to the Optional Protocol on 12 March 1991" in " ".join(
        parsed.footnotes[n] for n in row.footnotes
    )
    assert row.footnote_acts == ()
    assert footnote_acts("Yemen", "1", "The Yemen Arab Republic had acceded to the Convention on 6 April 1989.") == []


def test_only_guyana_and_trinidad_and_tobago_have_footnote_acts_on_the_2026_pages(shared_sources: Path) -> None:
    found = set()
    for page in sorted((shared_sources / PAGES).glob("*.html")):
        for row in untc_html.parse(page.read_bytes()).rows:
            if row.footnote_acts:
                found.add((page.name, row.participant))
    assert found == {("iccpr_op1.html", "Guyana"), ("iccpr_op1.html", "Trinidad and Tobago")}


def test_the_manifest_lists_the_footnote_acts() -> None:
    entry = current_snapshot().manifest["instruments"]["ICCPR-OP1"]
    listed = {(a["participant"], a["act"], a["date"], a["effective"]) for a in entry["footnote_acts"]}
    assert ("Guyana", "accession", "1993-05-10", "") in listed
    assert ("Guyana", "denunciation", "1999-01-05", "1999-04-05") in listed
    assert ("Trinidad and Tobago", "denunciation", "1998-05-26", "1998-08-26") in listed
    assert all(a["text"] for a in entry["footnote_acts"])


def _status(iso3: str, day: str) -> str:
    rows = status_rows(current_snapshot(), [CATALOGUE["ICCPR-OP1"]], date.fromisoformat(day))
    return next(r for r in rows if r.iso3 == iso3).status


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1993-05-09", NONE),
        ("1993-05-10", PENDING),  # three months to entry into force (art. 9(2))
        ("1993-08-10", PARTY),
        ("1998-12-31", PARTY),  # was 'none': the 1993 accession was missed
        ("1999-04-04", PARTY),  # the 1993 accession stands until the denunciation takes effect
        ("1999-04-05", PARTY),  # the re-accession of 5 January 1999 takes effect the same day
        ("2026-02-03", PARTY),
    ],
)
def test_guyana_under_iccpr_op1(day: str, expected: str) -> None:
    assert _status("GUY", day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [("1998-08-25", PARTY), ("1998-08-26", PARTY), ("1999-12-31", PARTY), ("2000-06-26", PARTY),
     ("2000-06-27", WITHDRAWN)],
)  # fmt: skip
def test_trinidad_and_tobago_under_iccpr_op1(day: str, expected: str) -> None:
    assert _status("TTO", day) == expected
