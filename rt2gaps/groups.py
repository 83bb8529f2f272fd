"""Groups of States beyond the M49 regions: LDC, LLDC and SIDS, and groups a user defines in TOML.

The three UN groups come from the UNSD M49 flags already in the State table (``ldc``, ``lldc``,
``sids``), so they carry that table's source and date. A user group is a TOML file in the style of a
recommended set, and must say where its membership comes from:

    name = "Colombo Process"
    source = "https://www.colomboprocess.org/ (member States page)"
    as_of = 2024-06-30
    members = ["AFG", "BGD", "CHN"]

Every problem (bad TOML, missing or unknown key, empty list, unknown or repeated ISO3) is one
Rt2gapsError naming the file and the key, so the command line ends with one line and exit code 2.
No group is shipped whose membership cannot be cited: ``data/groups/`` holds only cited files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.catalogue import MAX_NAME, MAX_TEXT, check_plain_text, read_toml
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR
from rt2gaps.sources.dates import refuse_future_source_date

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.i18n import UiStrings

GROUPS_DIR = DATA_DIR / "groups"
FLAG_GROUPS = {
    "ldc": "Least Developed Countries",
    "lldc": "Landlocked Developing Countries",
    "sids": "Small Island Developing States",
}
FLAG_SOURCE = "UNSD M49 table (ref/m49/UNSD-M49-en-2024-09.csv), column flags; via data/snapshot/states.csv"
FLAG_AS_OF = date(2024, 9, 25)
GROUP_KEYS = ("name", "source", "as_of", "members")


@dataclass(frozen=True)
class StateGroup:
    """A named list of States with where the list comes from and how old it is."""

    name: str
    source: str
    as_of: date
    members: tuple[str, ...]
    path: Path | None = None
    key: str = ""  # short name for file stems: ``ldc`` or the TOML file's stem

    def title(self, strings: UiStrings) -> str:
        """The group's name for readers: a built-in group's in the output language (``group.sids``), else its own."""
        return strings(f"group.{self.key}") if self.key in FLAG_GROUPS else self.name

    @property
    def slug(self) -> str:
        """What output file stems carry, so a group's report never overwrites the full one."""
        return self.key or self.name


def flag_group(key: str, states: Iterable[Mapping[str, str]]) -> StateGroup:
    """LDC, LLDC or SIDS as flagged in the State table (``"true"``/``"false"`` cells)."""
    if key not in FLAG_GROUPS:
        raise Rt2gapsError(f"unknown group {key!r}; built in: {', '.join(FLAG_GROUPS)}, or a TOML file")
    members = tuple(sorted(state["iso3"] for state in states if state.get(key) == "true"))
    return StateGroup(name=FLAG_GROUPS[key], source=FLAG_SOURCE, as_of=FLAG_AS_OF, members=members, key=key)


def load_group(name_or_path: str | Path, states: Iterable[Mapping[str, str]]) -> StateGroup:
    """A built-in group (``ldc``, ``lldc``, ``sids``), a file in ``data/groups/`` by stem, or a TOML path.

    ``states`` is the State table the members are checked against (every ISO3 must be in it).
    """
    rows = list(states)
    text = str(name_or_path)
    if not isinstance(name_or_path, Path) and text.lower() in FLAG_GROUPS:
        return flag_group(text.lower(), rows)
    path = Path(name_or_path)
    if path.suffix != ".toml" and len(path.parts) == 1:
        path = GROUPS_DIR / f"{text}.toml"
        if not path.is_file():
            shipped = sorted(p.stem for p in GROUPS_DIR.glob("*.toml")) if GROUPS_DIR.is_dir() else []
            raise Rt2gapsError(
                f"unknown group {text!r}; built in: {', '.join([*FLAG_GROUPS, *shipped])}, or a TOML file"
            )
    return group_from_document(read_toml(path, "group file"), path, {row["iso3"] for row in rows})


def group_from_document(document: Mapping[str, object], path: Path, known_iso3: set[str]) -> StateGroup:
    """Validate a parsed group file; every error names the file and the key."""
    unknown_keys = sorted(set(document) - set(GROUP_KEYS))
    if unknown_keys:
        raise Rt2gapsError(f"{path}: unknown key(s) {', '.join(unknown_keys)}; expected {', '.join(GROUP_KEYS)}")
    for key in GROUP_KEYS:
        if key not in document:
            raise Rt2gapsError(f"{path}: missing key {key!r}")
    texts = {}
    for key in ("name", "source"):
        value = document[key]
        if not isinstance(value, str) or not value.strip():
            raise Rt2gapsError(f"{path}: key {key!r}: expected a non-empty string, found {value!r}")
        check_plain_text(value, f"{path}: key {key!r}", MAX_NAME if key == "name" else MAX_TEXT, lines=key != "name")
        texts[key] = value.strip()
    as_of = document["as_of"]
    if isinstance(as_of, str) and _is_iso_date(as_of):
        as_of = date.fromisoformat(as_of)
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise Rt2gapsError(f"{path}: key 'as_of': expected a date YYYY-MM-DD, found {document['as_of']!r}")
    refuse_future_source_date(as_of, f"{path}: key 'as_of'")
    members = document["members"]
    if not isinstance(members, list) or not all(isinstance(item, str) for item in members):
        raise Rt2gapsError(f'{path}: key \'members\': expected a list of ISO3 codes such as ["MEX", "PHL"], '
                           f"found {members!r}")  # fmt: skip
    if not members:
        raise Rt2gapsError(f"{path}: key 'members': expected at least one ISO3 code, found an empty list")
    seen: list[str] = []
    for item in members:
        code = item.strip().upper()
        if code not in known_iso3:
            raise Rt2gapsError(f"{path}: key 'members': unknown ISO3 code {item!r} (not a State of the State table)")
        if code in seen:
            raise Rt2gapsError(f"{path}: key 'members': duplicate ISO3 code {item!r}")
        seen.append(code)
    # a user's ldc.toml must not write over the built-in LDC group's report: its stem says it is a file
    key = f"{path.stem}-file" if path.stem.lower() in FLAG_GROUPS else path.stem
    return StateGroup(name=texts["name"], source=texts["source"], as_of=as_of, members=tuple(seen), path=path,
                      key=key)  # fmt: skip


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def restrict_to_group(states: list[dict[str, str]], group: StateGroup, universe: str) -> list[dict[str, str]]:
    """The States of the universe that belong to the group, without pandas (for the query verbs).

    A group none of whose States is in the universe is an error: an empty report would look like
    a finding.
    """
    members = set(group.members)
    chosen = [state for state in states if state["iso3"] in members]
    if not chosen:
        raise Rt2gapsError(f"group {group.name!r}: none of its {len(members)} States is in universe {universe}")
    return chosen


def in_group(states: pd.DataFrame, group: StateGroup) -> pd.DataFrame:
    """The rows of a State table that belong to the group: pass it as ``states`` to any analysis."""
    return states[states["iso3"].isin(group.members)].reset_index(drop=True)
