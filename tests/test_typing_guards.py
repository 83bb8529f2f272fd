"""Values the type checker showed could be missing get a clear error (or a right answer), never a crash."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rt2gaps.errors import Rt2gapsError, SourceLayoutError
from rt2gaps.refresh.mirror import DepositaryMirror
from rt2gaps.snapshot import states


def test_a_code_without_a_french_name_anywhere_is_a_clear_error() -> None:
    with pytest.raises(Rt2gapsError, match="XQZ: no French name"):
        states.pycountry_french_name("XQZ")


def test_a_later_member_without_an_admission_date_stops_the_build(
    shared_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = states.mtdsg_xml.parse

    def without_first_date(data: bytes, source: str):
        parsed = parse(data, source)
        if source == states.UN_LATER_MEMBERS_FILE:
            parsed.rows[0] = dataclasses.replace(parsed.rows[0], consent=None)
        return parsed

    monkeypatch.setattr(states.mtdsg_xml, "parse", without_first_date)
    with pytest.raises(SourceLayoutError, match="an admission date at row 1"):
        states.build_states(shared_sources)


def test_the_mirror_url_never_shows_a_bytes_host() -> None:
    mirror = DepositaryMirror({})
    try:
        port = mirror.server.server_address[1]
        mirror.server.server_address = (b"127.0.0.1", port)
        assert mirror.url == f"http://127.0.0.1:{port}"
    finally:
        mirror.server.server_close()
