"""``rt2gaps fetch --source normlex --instruments C097,C143,C181,C189,C190`` against a loopback mirror.

Each convention's page is served under its real NORMLEX path (``P11300_INSTRUMENT_ID`` from the
catalogue) and built from tests/fixtures/normlex/convention_layout_en.html: page layout only, TEST DATA
rows (no State's real record).
"""

from __future__ import annotations

import json
from pathlib import Path

from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.refresh.fetch import NORMLEX_BASE, NORMLEX_PAGE_PATH
from rt2gaps.refresh.mirror import DepositaryMirror, normlex_page_path
from rt2gaps.snapshot.userdata import user_snapshot_dir

FIVE = ("C097", "C143", "C181", "C189", "C190")
LAYOUT = Path(__file__).parent / "fixtures" / "normlex" / "convention_layout_en.html"


def test_the_five_pages_have_their_catalogue_urls() -> None:
    catalogue = load_instruments()
    ids = {code: catalogue[code].normlex_id for code in FIVE}
    assert ids == {"C097": "312242", "C143": "312288", "C181": "312326", "C189": "2551460", "C190": "3999810"}
    for code in FIVE:  # the catalogue's source_url is the very page the fetch asks for
        assert catalogue[code].source_url == NORMLEX_BASE + NORMLEX_PAGE_PATH.format(normlex_id=ids[code])


def test_one_command_brings_the_five_conventions_in(tmp_path: Path, capsys) -> None:
    catalogue = load_instruments()
    template = LAYOUT.read_text(encoding="utf-8").replace("Domestic Workers Convention, 2011 (No. 189)", "TEST DATA")
    routes = {normlex_page_path(catalogue[code].normlex_id): (template.replace("C189", code).encode("utf-8"),
                                                              "text/html; charset=utf-8") for code in FIVE}  # fmt: skip
    data = tmp_path / "data"
    with DepositaryMirror(routes, lifetime=60) as mirror:
        code = main(
            [
                "fetch",
                "--source",
                "normlex",
                "--instruments",
                ",".join(FIVE),
                "--mirror",
                mirror.url,
                "--data",
                str(data),
                "--cache",
                str(tmp_path / "cache"),
                "--timeout",
                "5",
                "--retries",
                "0",
            ]
        )
    out = capsys.readouterr().out
    assert code == 0, out
    manifest = json.loads((user_snapshot_dir(data) / "manifest.json").read_text(encoding="utf-8"))
    for instrument in FIVE:
        entry = manifest["instruments"][instrument]
        assert entry["format"] == "normlex-convention" and entry["rows_parsed"] == 5, instrument
        assert instrument not in manifest["no_source"]
        assert any(line.split()[:3] == ["normlex", instrument, "updated"] for line in out.splitlines()), out
