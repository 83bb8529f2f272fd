"""ILO membership over time: who could be bound by an ILO instrument on a date.

Only a member of the ILO can ratify its Conventions, so before a State's admission (and between a
withdrawal and a readmission) an ILO instrument it has not ratified is ``not_eligible`` for it, not
``none``. The periods come from ``data/ilo_membership.csv``: one row per period of membership, each
date with the citation of where it was read (``data/ilo_membership_sources.csv`` names the sources).

A date is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (some day in that month or year), or two of these
joined by ``/`` where the sources disagree or only bound it (some day between them). An empty
``admitted`` cell is an admission no source dates: the State is then a member by the ILO table's
as-of date, and whether it was one before is unsettled. Unsettled dates never answer ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from rt2gaps.catalogue import _read_csv  # the catalogues' one CSV reader (header checked)
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR
from rt2gaps.sources.dates import period_end

MEMBERSHIP_FILE = DATA_DIR / "ilo_membership.csv"
MEMBERSHIP_SOURCES_FILE = DATA_DIR / "ilo_membership_sources.csv"
MEMBERSHIP_COLUMNS = ("iso3", "admitted", "admitted_citation", "left", "left_citation", "note")

MEMBER = "member"
NOT_MEMBER = "not_member"
UNSETTLED = "unsettled"  # the sources do not say whether the State was a member on the date


@dataclass(frozen=True)
class MembershipPeriod:
    """One period of a State's ILO membership: the earliest and latest day it can have begun and ended."""

    iso3: str
    admitted: tuple[date, date] | None  # None: no source dates the admission
    left: tuple[date, date] | None  # None: still a member
    admitted_citation: str = ""
    left_citation: str = ""
    note: str = ""


def parse_window(text: str) -> tuple[date, date]:
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``A/B``: the first and last day the text can stand for."""
    parts = text.strip().split("/")
    if len(parts) > 2:
        raise ValueError(f"not a date or date range: {text!r}")
    windows = [_one_window(part) for part in parts]
    earliest, latest = windows[0][0], windows[-1][1]
    if latest < earliest:
        raise ValueError(f"range ends before it begins: {text!r}")
    return earliest, latest


def _one_window(text: str) -> tuple[date, date]:
    part = text.strip()
    if not (part.isascii() and part.replace("-", "").isdigit()) or len(part) not in (4, 7, 10):
        raise ValueError(f"not a date YYYY-MM-DD, YYYY-MM or YYYY: {text!r}")
    precision = {4: "year", 7: "month", 10: "day"}[len(part)]
    first = date.fromisoformat({4: f"{part}-01-01", 7: f"{part}-01", 10: part}[len(part)])
    return first, period_end(first, precision)


def read_membership(path: Path | None = None) -> dict[str, tuple[MembershipPeriod, ...]]:
    """The periods by ISO3, oldest first; the bundled table when no path is given."""
    if path is None:
        return _bundled_membership()
    return _read(Path(path))


@lru_cache(maxsize=1)
def _bundled_membership() -> dict[str, tuple[MembershipPeriod, ...]]:
    return _read(MEMBERSHIP_FILE)


def _read(path: Path) -> dict[str, tuple[MembershipPeriod, ...]]:
    rows = _read_csv(path, MEMBERSHIP_COLUMNS)
    periods: dict[str, list[MembershipPeriod]] = {}
    for line, row in rows:
        values = {name: (row.get(name) or "").strip() for name in MEMBERSHIP_COLUMNS}
        try:
            admitted = parse_window(values["admitted"]) if values["admitted"] else None
            left = parse_window(values["left"]) if values["left"] else None
        except ValueError as exc:
            raise Rt2gapsError(f"{path}: row {line}: {exc}") from None
        for field, window in (("admitted", admitted), ("left", left)):
            if window is not None and not values[f"{field}_citation"]:
                raise Rt2gapsError(f"{path}: row {line}: the {field} date has no citation")
        periods.setdefault(values["iso3"], []).append(
            MembershipPeriod(
                values["iso3"], admitted, left, values["admitted_citation"], values["left_citation"], values["note"]
            )  # fmt: skip
        )
    return {iso3: tuple(sorted(found, key=lambda p: p.admitted or (date.min, date.min))) for iso3, found in
            periods.items()}  # fmt: skip


def membership_on(periods: tuple[MembershipPeriod, ...], on: date, member_by: date | None) -> str:
    """``member``, ``not_member`` or ``unsettled`` on a date.

    ``member_by`` is the as-of date of the source listing the State as a member today: an admission
    no source dates happened by then at the latest.
    """
    possible = False
    for period in periods:
        began_early, began_late = period.admitted or (date.min, member_by or date.max)
        ended_early, ended_late = period.left or (date.max, date.max)
        if began_late <= on < ended_early:
            return MEMBER
        if began_early <= on < ended_late:
            possible = True
    return UNSETTLED if possible else NOT_MEMBER


def membership_changes(periods: tuple[MembershipPeriod, ...], member_by: date | None) -> dict[date, str]:
    """The days on which ``membership_on`` can change, with the precision of the date that causes them."""
    found: dict[date, str] = {}
    for period in periods:
        for window in (period.admitted or (None, member_by), period.left):
            if window is None:
                continue
            first, last = window
            exact = first == last or first is None
            one_month = (not exact and first is not None and last is not None
                         and (first.year, first.month) == (last.year, last.month))  # fmt: skip
            precision = "day" if exact else ("month" if one_month else "year")
            for day in (first, last):
                if day is not None and found.get(day) != "day":
                    found[day] = precision
    return found
