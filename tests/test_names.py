"""The alias table and the name resolver: every spelling resolves, nothing is dropped silently."""

from __future__ import annotations

import pytest

from rt2gaps.errors import Rt2gapsError
from rt2gaps.names import NON_STATE, PREDECESSOR, STATE, NameResolver, normalise, read_alias_table
from rt2gaps.paths import DATA_DIR


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    names = [("Türkiye", "TUR"), ("Côte d’Ivoire", "CIV"), ("Netherlands (Kingdom of the)", "NLD"), ("Congo", "COG")]
    return NameResolver(names, read_alias_table(DATA_DIR / "aliases.csv"))


def test_normalise_folds_case_accents_and_apostrophes() -> None:
    assert normalise("Côte d’Ivoire") == normalise("COTE D'IVOIRE  ")


@pytest.mark.parametrize(
    ("name", "code", "kind"),
    [
        ("Turkey", "TUR", STATE),
        ("Türkiye", "TUR", STATE),
        ("Cote d'Ivoire", "CIV", STATE),
        ("Swaziland", "SWZ", STATE),
        ("St. Lucia", "LCA", STATE),
        ("Libyan Arab Jamahiriya", "LBY", STATE),
        ("The former Yugoslav Republic of Macedonia", "MKD", STATE),
        ("Bahamas (The)", "BHS", STATE),
        ("Czechoslovakia", "CSK", PREDECESSOR),
        ("German Democratic Republic", "DDR", PREDECESSOR),
        ("European Union", None, NON_STATE),
    ],
)
def test_aliases_resolve(resolver: NameResolver, name: str, code: str | None, kind: str) -> None:
    found = resolver.resolve(name)
    assert found is not None and (found.code, found.kind) == (code, kind)


def test_unresolved_names_are_listed_never_dropped() -> None:
    resolver = NameResolver([("France", "FRA")], [])
    assert resolver.resolve("Atlantis", "made-up.csv row 3") is None
    assert resolver.resolve("Lemuria", "made-up.csv row 9") is None
    with pytest.raises(Rt2gapsError) as raised:
        resolver.raise_if_unresolved()
    message = str(raised.value)
    assert "'Atlantis' in made-up.csv row 3" in message and "'Lemuria'" in message and message.startswith("2 ")


def test_a_name_two_states_share_resolves_to_neither() -> None:
    resolver = NameResolver([("Guinea", "GIN"), ("Guinea", "GNQ")], [])
    assert resolver.resolve("Guinea") is None


def test_alias_table_rejects_unknown_kind(tmp_path) -> None:
    bad = tmp_path / "aliases.csv"
    bad.write_text("alias,code,kind,note\nAtlantis,ATL,island,\n", encoding="utf-8")
    with pytest.raises(Rt2gapsError, match=r"aliases.csv:2: kind must be one of"):
        read_alias_table(bad)
