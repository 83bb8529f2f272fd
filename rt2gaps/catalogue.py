"""The instrument catalogue, the non-ratifiable texts and the recommended sets, read from ``data/``.

Standard library only (csv, tomllib): the query path imports this module and must stay light.
Every problem in a data file is one Rt2gapsError naming the file, the row or key, and what was expected.
"""

from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rt2gaps.entry_into_force import parse_rule
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR, SETS_DIR

INSTRUMENTS_FILE = DATA_DIR / "instruments.csv"
NON_RATIFIABLE_FILE = DATA_DIR / "non_ratifiable.csv"

BODIES = ("UN", "ILO")
GROUPS = (
    "un_core_treaty",
    "un_optional_protocol",
    "refugees_statelessness",
    "transnational_crime",
    "ilo_fundamental",
    "ilo_governance",
    "ilo_technical",
)
NON_RATIFIABLE_KINDS = ("declaration", "compact", "recommendation", "guidelines")


@dataclass(frozen=True)
class Instrument:
    """One ratifiable instrument: identity, titles, dates, final-clause rules and where its data lives."""

    id: str
    body: str
    mtdsg: str
    normlex_id: str
    normlex_id_inferred: bool
    short_name: str
    title_en: str
    title_fr: str
    adoption_date: date
    entry_into_force_date: date
    eif_date_source: str
    group: str
    seed_reference: str
    source_url: str
    eif_rule: str
    denunciation_rule: str
    data_source_key: str
    source_file: str
    notes: str
    short_name_fr: str = ""  # the UN's French acronym (PIDCP for ICCPR); the English one where it has none

    def short(self, lang: str = "en") -> str:
        """The short name a reader of ``lang`` knows (French acronyms in French outputs)."""
        return (self.short_name_fr or self.short_name) if lang == "fr" else self.short_name

    def title(self, lang: str = "en") -> str:
        """The instrument's official title in ``lang``."""
        return self.title_fr if lang == "fr" else self.title_en

    @property
    def seed_references(self) -> tuple[str, ...]:
        """The seed passages naming the instrument, split on ';'."""
        return tuple(part.strip() for part in self.seed_reference.split(";") if part.strip())

    @property
    def has_data(self) -> bool:
        """False where no source covers the instrument: its status is 'unknown', never 'not ratified'."""
        return bool(self.data_source_key)


@dataclass(frozen=True)
class NonRatifiable:
    """A text the seed lists that States cannot ratify: reports list it, scores never count it."""

    id: str
    body: str
    kind: str
    title_en: str
    title_fr: str
    adoption_date: date | None
    source_url: str
    seed_reference: str
    notes: str
    ratifiable: bool = False


@dataclass(frozen=True)
class RecommendedSet:
    """A named list of catalogue instruments to compare States against, with optional weights."""

    name: str
    description: str
    seed_reference: str
    instruments: tuple[str, ...]
    weights: dict[str, float] = field(default_factory=dict)
    path: Path | None = None
    description_fr: str = ""

    def describe(self, lang: str = "en") -> str:
        """The set's description in ``lang`` (a user's set without ``description_fr`` keeps its own words)."""
        return (self.description_fr or self.description) if lang == "fr" else self.description

    def title(self, lang: str = "en") -> str:
        """The set's title for readers ("RT2 priority instruments"): its description up to the colon, else its id.

        Bundled sets describe themselves as "Title: what they hold"; a user's set without such a
        description is named by its id.
        """
        head, colon, _ = self.describe(lang).partition(":")
        head = head.strip().rstrip("\u00a0\u202f ")
        return head if colon and head and len(head) <= 80 else self.name

    def weight(self, instrument_id: str) -> float:
        """The instrument's weight: 1.0 unless the set's [weights] table says otherwise."""
        return self.weights.get(instrument_id, 1.0)


INSTRUMENT_COLUMNS = tuple(f.name for f in fields(Instrument))
NON_RATIFIABLE_COLUMNS = tuple(f.name for f in fields(NonRatifiable))


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers, after checking the header has every expected column."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in columns if name not in (reader.fieldnames or [])]
            if missing:
                raise Rt2gapsError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
            return [(line, row) for line, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise Rt2gapsError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _date(value: str, path: Path, line: int, column: str, *, optional: bool = False) -> date | None:
    if optional and not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        expected = "an ISO date YYYY-MM-DD"
        raise Rt2gapsError(f"{path}: row {line}, field {column}: expected {expected}, found {value!r}") from None


def _choice(value: str, allowed: tuple[str, ...], path: Path, line: int, column: str) -> str:
    if value not in allowed:
        raise Rt2gapsError(f"{path}: row {line}, field {column}: expected one of {', '.join(allowed)}, found {value!r}")
    return value


def _boolean(value: str, path: Path, line: int, column: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "false", ""):
        return lowered == "true"
    raise Rt2gapsError(f"{path}: row {line}, field {column}: expected true or false, found {value!r}")


def _rule(value: str, path: Path, line: int, column: str, *, allow_undated: bool) -> str:
    try:
        parse_rule(value, allow_undated=allow_undated)
    except Rt2gapsError as exc:
        raise Rt2gapsError(f"{path}: row {line}, field {column}: {exc}") from None
    return value


def _instrument_from_row(row: dict[str, str], path: Path, line: int) -> Instrument:
    # Any: the typed cells replace text ones below, a mix of value types mypy cannot match to the fields
    values: dict[str, Any] = {name: (row.get(name) or "").strip() for name in INSTRUMENT_COLUMNS}
    if not values["id"]:
        raise Rt2gapsError(f"{path}: row {line}, field id: expected an instrument id, found an empty cell")
    _choice(values["body"], BODIES, path, line, "body")
    _choice(values["group"], GROUPS, path, line, "group")
    reference_column = "mtdsg" if values["body"] == "UN" else "normlex_id"
    if not values[reference_column]:
        raise Rt2gapsError(f"{path}: row {line}, field {reference_column}: expected a value for a {values['body']} row")
    return Instrument(
        **{
            **values,
            "normlex_id_inferred": _boolean(values["normlex_id_inferred"], path, line, "normlex_id_inferred"),
            "adoption_date": _date(values["adoption_date"], path, line, "adoption_date"),
            "entry_into_force_date": _date(values["entry_into_force_date"], path, line, "entry_into_force_date"),
            "eif_rule": _rule(values["eif_rule"], path, line, "eif_rule", allow_undated=False),
            "denunciation_rule": _rule(
                values["denunciation_rule"], path, line, "denunciation_rule", allow_undated=True
            ),
        }
    )


def load_instruments(path: Path | None = None) -> dict[str, Instrument]:
    """Every ratifiable instrument by id, in file order; the bundled catalogue when no path is given."""
    if path is None:
        return dict(_bundled_instruments())
    return _read_instruments(Path(path))


@lru_cache(maxsize=1)
def _bundled_instruments() -> tuple[tuple[str, Instrument], ...]:
    return tuple(_read_instruments(INSTRUMENTS_FILE).items())


def _read_instruments(path: Path) -> dict[str, Instrument]:
    catalogue: dict[str, Instrument] = {}
    for line, row in _read_csv(path, INSTRUMENT_COLUMNS):
        item = _instrument_from_row(row, path, line)
        if item.id in catalogue:
            raise Rt2gapsError(f"{path}: row {line}, field id: duplicate instrument id {item.id!r}")
        catalogue[item.id] = item
    if not catalogue:
        raise Rt2gapsError(f"{path}: expected at least one instrument row, found none")
    return catalogue


def _unknown_id_error(instrument_id: str, known: dict[str, Instrument]) -> Rt2gapsError:
    return Rt2gapsError(f"unknown instrument id {instrument_id!r}; known: {', '.join(known)}")


def instrument(instrument_id: str) -> Instrument:
    """One catalogue instrument by its id (exact, e.g. 'ICRMW', 'C189')."""
    catalogue = load_instruments()
    if instrument_id not in catalogue:
        raise _unknown_id_error(instrument_id, catalogue)
    return catalogue[instrument_id]


def parse_instrument_ids(text: str) -> list[str]:
    """Validated ids from a comma-separated list such as ``"ICRMW,C189"``; duplicates dropped, order kept.

    Ids are matched exactly first, then without regard to case ("c189" -> "C189").
    """
    catalogue = load_instruments()
    by_upper = {key.upper(): key for key in catalogue}
    wanted: list[str] = []
    for part in text.split(","):
        token = part.strip()
        if not token:
            continue
        resolved = token if token in catalogue else by_upper.get(token.upper())
        if resolved is None:
            raise _unknown_id_error(token, catalogue)
        if resolved not in wanted:
            wanted.append(resolved)
    if not wanted:
        raise Rt2gapsError(f"no instrument ids given in {text!r}; known: {', '.join(catalogue)}")
    return wanted


def load_non_ratifiable(path: Path | None = None) -> dict[str, NonRatifiable]:
    """The seed's non-ratifiable texts (declarations, compacts, recommendations, guidelines) by id."""
    source = Path(path) if path is not None else NON_RATIFIABLE_FILE
    items: dict[str, NonRatifiable] = {}
    for line, row in _read_csv(source, NON_RATIFIABLE_COLUMNS):
        # Any: the typed cells replace text ones below, a mix of value types mypy cannot match to the fields
        values: dict[str, Any] = {name: (row.get(name) or "").strip() for name in NON_RATIFIABLE_COLUMNS}
        if not values["id"]:
            raise Rt2gapsError(f"{source}: row {line}, field id: expected an id, found an empty cell")
        if values["id"] in items:
            raise Rt2gapsError(f"{source}: row {line}, field id: duplicate id {values['id']!r}")
        _choice(values["body"], BODIES, source, line, "body")
        _choice(values["kind"], NON_RATIFIABLE_KINDS, source, line, "kind")
        if _boolean(values["ratifiable"], source, line, "ratifiable") or values["ratifiable"] == "":
            found = values["ratifiable"]
            raise Rt2gapsError(f"{source}: row {line}, field ratifiable: expected false, found {found!r}")
        adopted = _date(values["adoption_date"], source, line, "adoption_date", optional=True)
        items[values["id"]] = NonRatifiable(**{**values, "adoption_date": adopted, "ratifiable": False})
    return items


def list_sets(directory: Path | None = None) -> list[str]:
    """Names of the bundled recommended sets (file stems in ``data/sets``), sorted."""
    folder = Path(directory) if directory is not None else SETS_DIR
    return sorted(path.stem for path in folder.glob("*.toml"))


def load_set(name_or_path: str | Path) -> RecommendedSet:
    """A recommended set by bundled name (``rt2-priority``) or by the path of a user's TOML file."""
    candidate = Path(name_or_path)
    is_path = isinstance(name_or_path, Path) or candidate.suffix == ".toml" or len(candidate.parts) > 1
    if is_path:
        path = candidate
    else:
        path = SETS_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise Rt2gapsError(f"unknown recommended set {str(name_or_path)!r}; known: {', '.join(list_sets())}")
    return _set_from_document(read_toml(path, "recommended set"), path)


MAX_TOML_DEPTH = 10  # levels of tables and lists: a set or a group uses 3


def read_toml(path: Path, what: str) -> dict:
    """A user's TOML file (a set, a group) as a dict; unreadable, non-UTF-8 or invalid TOML is one clear error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Rt2gapsError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    too_deep = f"{path}: {what} nested more than {MAX_TOML_DEPTH} levels deep (a set or group needs 3)"
    try:
        document = tomllib.loads(raw.decode("utf-8-sig"))  # a byte-order mark (Windows editors) is read as UTF-8
    except UnicodeDecodeError as exc:
        raise Rt2gapsError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise Rt2gapsError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise Rt2gapsError(too_deep) from None
    if _depth(document) > MAX_TOML_DEPTH:  # what reads the document later recurses too
        raise Rt2gapsError(too_deep)
    return document


def _depth(value: object) -> int:
    """How deeply lists and tables nest in a parsed TOML value (counted without recursion)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_TOML_DEPTH:
            pending.extend((child, level + 1) for child in children)
    return deepest


def _text_key(document: dict, key: str, path: Path, *, required: bool) -> str:
    if key not in document:
        if required:
            raise Rt2gapsError(f"{path}: missing key {key!r}: expected a string")
        return ""
    value = document[key]
    if not isinstance(value, str) or (required and not value.strip()):
        raise Rt2gapsError(f"{path}: key {key!r}: expected a non-empty string, found {value!r}")
    check_plain_text(value, f"{path}: key {key!r}", MAX_NAME if key == "name" else MAX_TEXT, lines=key != "name")
    return value


MAX_WEIGHT = 1000  # finite, positive and bounded: a weighted coverage can neither overflow nor vanish
MAX_NAME = 100  # a name goes into file names (at most 255 bytes with the date and extension)
MAX_TEXT = 2000


def check_plain_text(value: str, where: str, limit: int, *, lines: bool = True) -> None:
    """Refuse a control character (a spreadsheet cannot hold it) or a text longer than ``limit``, naming ``where``.

    Tabs and line breaks pass only where ``lines`` (descriptions, not names).
    """
    if len(value) > limit:
        raise Rt2gapsError(f"{where}: {len(value)} characters; at most {limit} are accepted")
    allowed = "\t\n\r" if lines else ""
    bad = next((c for c in value if (ord(c) < 32 and c not in allowed) or 127 <= ord(c) < 160), None)
    if bad is not None:
        raise Rt2gapsError(f"{where}: control character {bad!r} at position {value.index(bad) + 1}")


def _set_from_document(document: dict, path: Path) -> RecommendedSet:
    known_keys = {"name", "description", "description_fr", "seed_reference", "instruments", "weights"}
    unknown_keys = sorted(set(document) - known_keys)
    if unknown_keys:
        raise Rt2gapsError(
            f"{path}: unknown key(s) {', '.join(unknown_keys)}; expected only {', '.join(sorted(known_keys))}"
        )
    name = _text_key(document, "name", path, required=True)
    description = _text_key(document, "description", path, required=False)
    description_fr = _text_key(document, "description_fr", path, required=False)
    seed_reference = _text_key(document, "seed_reference", path, required=False)
    if "instruments" not in document:
        raise Rt2gapsError(f"{path}: missing key 'instruments': expected a list of instrument ids")
    listed = document["instruments"]
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise Rt2gapsError(
            f'{path}: key \'instruments\': expected a list of instrument id strings such as ["ICRMW", "C189"], '
            f"found {listed!r}"
        )
    if not listed:
        raise Rt2gapsError(f"{path}: key 'instruments': expected at least one instrument id, found an empty list")
    catalogue = load_instruments()
    seen: list[str] = []
    for item in listed:
        if item not in catalogue:
            raise Rt2gapsError(
                f"{path}: key 'instruments': unknown instrument id {item!r}; known: {', '.join(catalogue)}"
            )
        if item in seen:
            raise Rt2gapsError(f"{path}: key 'instruments': duplicate instrument id {item!r}")
        seen.append(item)
    weights = _weights(document.get("weights", {}), seen, path)
    return RecommendedSet(name, description, seed_reference, tuple(seen), weights, path, description_fr)


def _short(value: object) -> str:
    """``repr`` of a value, cut so that a 400-digit number is not echoed whole."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}… ({len(text)} characters)"


def _weights(table: object, members: list[str], path: Path) -> dict[str, float]:
    if not isinstance(table, dict):
        raise Rt2gapsError(f"{path}: key 'weights': expected a table of instrument id = number, found {table!r}")
    weights: dict[str, float] = {}
    for key, value in table.items():
        if key not in members:
            raise Rt2gapsError(f"{path}: key 'weights.{key}': expected an instrument listed in 'instruments'")
        finite = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
        if isinstance(value, bool) or not finite:
            raise Rt2gapsError(f"{path}: key 'weights.{key}': expected a number, found {value!r}")
        if not 0 < value <= MAX_WEIGHT:
            raise Rt2gapsError(
                f"{path}: key 'weights.{key}': expected a number above 0 and at most {MAX_WEIGHT}, "
                f"found {_short(value)}"
            )
        weights[key] = float(value)
    return weights
