"""Entry-into-force and denunciation rules: month ends, leap years, ICRMW, the floor at the treaty's own EIF."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rt2gaps.entry_into_force import (
    add_months,
    apply_rule,
    denunciation_effective,
    entry_into_force,
    entry_into_force_window,
    parse_rule,
)
from rt2gaps.errors import Rt2gapsError

LONG_AGO = date(1900, 1, 1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2021, 1, 31), 1, date(2021, 2, 28)),  # clamped to the end of a short month
        (date(2020, 1, 31), 1, date(2020, 2, 29)),  # leap year
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(1975, 12, 23), 3, date(1976, 3, 23)),  # across a year end
        (date(2020, 5, 15), 0, date(2020, 5, 15)),
    ],
)
def test_add_months_keeps_the_day_number_and_clamps(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_days_rule_is_deposit_plus_n_days() -> None:
    assert entry_into_force(date(2020, 3, 1), "days:30", LONG_AGO) == date(2020, 3, 31)
    assert entry_into_force(date(2020, 2, 10), "days:30", LONG_AGO) == date(2020, 3, 11)  # through 29 Feb
    assert entry_into_force(date(2021, 12, 15), "days:90", LONG_AGO) == date(2022, 3, 15)


def test_treaty_entry_into_force_dates_agree_with_the_conventions() -> None:
    """Known twentieth/thirty-fifth deposits reproduce the treaties' own EIF dates."""
    assert apply_rule(date(2008, 4, 3), "days:30") == date(2008, 5, 3)  # CRPD
    assert apply_rule(date(2010, 11, 23), "days:30") == date(2010, 12, 23)  # CPED (Iraq)
    assert apply_rule(date(1975, 12, 23), "months:3") == date(1976, 3, 23)  # ICCPR
    assert apply_rule(date(1975, 10, 3), "months:3") == date(1976, 1, 3)  # ICESCR
    assert apply_rule(date(2003, 3, 14), "first_of_month_after_months:3") == date(2003, 7, 1)  # ICRMW (Guatemala)


def test_months_rule() -> None:
    assert entry_into_force(date(2021, 11, 30), "months:3", LONG_AGO) == date(2022, 2, 28)
    assert entry_into_force(date(2021, 1, 31), "months:1", LONG_AGO) == date(2021, 2, 28)
    assert entry_into_force(date(2019, 6, 21), "months:12", LONG_AGO) == date(2020, 6, 21)


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (date(2020, 1, 15), date(2020, 5, 1)),  # 15 Apr + following month
        (date(2020, 2, 1), date(2020, 6, 1)),  # period ends 1 May; the month *following* is June
        (date(2020, 1, 31), date(2020, 5, 1)),  # 30 Apr (clamped) -> 1 May
        (date(2019, 11, 30), date(2020, 3, 1)),  # 29 Feb 2020 -> 1 Mar
        (date(2020, 9, 20), date(2021, 1, 1)),  # 20 Dec -> 1 Jan next year
    ],
)
def test_icrmw_first_of_month_after_three_months(deposit: date, expected: date) -> None:
    assert entry_into_force(deposit, "first_of_month_after_months:3", date(2003, 7, 1)) == expected


def test_on_deposit() -> None:
    assert entry_into_force(date(2018, 12, 10), "on_deposit", date(1967, 10, 4)) == date(2018, 12, 10)


def test_never_before_the_instruments_own_entry_into_force() -> None:
    """A State that ratified early becomes a party on the treaty's own EIF date."""
    icrmw_eif = date(2003, 7, 1)
    assert entry_into_force(date(1993, 3, 5), "first_of_month_after_months:3", icrmw_eif) == icrmw_eif
    assert entry_into_force(date(2003, 3, 14), "first_of_month_after_months:3", icrmw_eif) == icrmw_eif
    c190_eif = date(2021, 6, 25)
    assert entry_into_force(date(2020, 6, 10), "months:12", c190_eif) == c190_eif
    assert entry_into_force(date(2020, 7, 10), "months:12", c190_eif) == date(2021, 7, 10)
    assert entry_into_force(date(2020, 7, 10), "months:12", None) == date(2021, 7, 10)


def test_year_precision_window() -> None:
    assert entry_into_force_window(2019, "months:12", date(1951, 7, 18)) == (date(2020, 1, 1), date(2020, 12, 31))
    # P029 entered into force 9 Nov 2016: a 2015 ratification is in force on that day, whenever in 2015
    assert entry_into_force_window(2015, "months:12", date(2016, 11, 9)) == (date(2016, 11, 9), date(2016, 12, 31))
    assert entry_into_force_window(2014, "months:12", date(2016, 11, 9)) == (date(2016, 11, 9), date(2016, 11, 9))


def test_denunciation_effective() -> None:
    assert denunciation_effective(date(1997, 8, 25), "months:3") == date(1997, 11, 25)
    assert denunciation_effective(date(2020, 2, 29), "months:12") == date(2021, 2, 28)
    assert denunciation_effective(date(2020, 1, 15), "first_of_month_after_months:12") == date(2021, 2, 1)
    assert denunciation_effective(date(2020, 1, 15), "none") is None
    assert denunciation_effective(date(2020, 1, 15), "unknown") is None


@pytest.mark.parametrize("bad", ["", "days", "days:", "days:-1", "weeks:2", "Months:3", "days:1.5", "30 days"])
def test_bad_rule_string_raises(bad: str) -> None:
    with pytest.raises(Rt2gapsError, match="bad rule"):
        entry_into_force(date(2020, 1, 1), bad, None)


def test_rule_whitespace_is_tolerated() -> None:
    assert parse_rule(" months:3 ") == ("months", 3)


def test_undated_rules_are_for_denunciation_only() -> None:
    for rule in ("none", "unknown"):
        with pytest.raises(Rt2gapsError, match=re.escape("days:N, months:N")):
            entry_into_force(date(2020, 1, 1), rule, None)
