"""When a consent or a denunciation takes effect, from the final-clause rule in the catalogue.

A rule is a short string read from ``data/instruments.csv``:

``days:N``
    the Nth day after the deposit: deposit + N days. "The thirtieth day after the date of deposit"
    counts the deposit day as day 0, so a deposit on 1 March takes effect on 31 March. UN depositary
    practice agrees: CRPD's twentieth instrument was deposited on 3 April 2008 and the Convention
    entered into force on 3 May 2008; CPED's on 23 November 2010, in force 23 December 2010.
``months:N``
    N months after the deposit: the same day number N months later, clamped to the last day of a
    shorter month (30 November + 3 months = 28 or 29 February; 31 January + 1 month = 28 or 29
    February). UN practice counts the same calendar day: ICCPR's thirty-fifth instrument was
    deposited on 23 December 1975 and the Covenant entered into force on 23 March 1976.
``first_of_month_after_months:N``
    the first day of the month following a period of N months after the deposit (ICRMW art. 87(2),
    and its denunciation clause, art. 89(2)). The period ends on ``months:N`` of the deposit; the
    result is the first day of the next calendar month, even when the period ends on a 1st:
    deposit 15 January 2020 -> period ends 15 April -> 1 May 2020; deposit 1 February -> period
    ends 1 May -> 1 June (the month *following* the period, never the day the period ends). The
    convention's own entry into force checks the reading: twentieth deposit (Guatemala) 14 March
    2003 -> 14 June -> 1 July 2003.
``on_deposit``
    the day of deposit (1967 Refugee Protocol, art. VIII(2)).
``none``, ``unknown`` (denunciation rules only)
    the treaty has no denunciation clause, or the catalogue does not know the clause; no
    effective date can be computed, so callers keep the notification date only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from rt2gaps.errors import Rt2gapsError

DATED_RULE_KINDS = ("days", "months", "first_of_month_after_months")
UNDATED_RULE_KINDS = ("none", "unknown")
RULE_GRAMMAR = "days:N, months:N, first_of_month_after_months:N or on_deposit"
_RULE_PATTERN = re.compile(r"^(days|months|first_of_month_after_months):([0-9]{1,4})$")


class Rule(NamedTuple):
    """A parsed rule: its kind and how many days or months (0 for ``on_deposit``, ``none``, ``unknown``)."""

    kind: str
    amount: int


@lru_cache(maxsize=64)  # a catalogue has a handful of rules; the status engine parses one per act and date
def parse_rule(text: str, *, allow_undated: bool = False) -> Rule:
    """Read a rule string; ``none``/``unknown`` only where ``allow_undated`` (denunciation rules)."""
    cleaned = text.strip() if isinstance(text, str) else text
    if cleaned == "on_deposit":
        return Rule("on_deposit", 0)
    if allow_undated and cleaned in UNDATED_RULE_KINDS:
        return Rule(cleaned, 0)
    match = _RULE_PATTERN.match(cleaned) if isinstance(cleaned, str) else None
    if match is None:
        expected = RULE_GRAMMAR + (", none or unknown" if allow_undated else "")
        raise Rt2gapsError(f"bad rule {text!r}: expected {expected}")
    return Rule(match.group(1), int(match.group(2)))


def add_months(day: date, months: int) -> date:
    """The same day number ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def apply_rule(start: date, rule: str | Rule) -> date | None:
    """The day a rule gives for an act on ``start``; None for ``none``/``unknown``."""
    parsed = rule if isinstance(rule, Rule) else parse_rule(rule, allow_undated=True)
    if parsed.kind == "on_deposit":
        return start
    if parsed.kind == "days":
        return start + timedelta(days=parsed.amount)
    if parsed.kind == "months":
        return add_months(start, parsed.amount)
    if parsed.kind == "first_of_month_after_months":
        return _first_of_next_month(add_months(start, parsed.amount))
    return None


def entry_into_force(consent_date: date, rule: str, instrument_eif: date | None) -> date:
    """When a consent (ratification, accession, ...) makes the State a party.

    Never earlier than the instrument's own entry into force: a State that ratified before the
    treaty was in force becomes a party on the treaty's entry into force date.
    """
    result = apply_rule(consent_date, parse_rule(rule))
    assert result is not None  # a rule parsed without allow_undated always gives a date
    return max(result, instrument_eif) if instrument_eif else result


def entry_into_force_window(year: int, rule: str, instrument_eif: date | None) -> tuple[date, date]:
    """Earliest and latest in-force dates for a consent known only by its year (ILO tables).

    The rules are monotone in the consent date, so the window is that of 1 January and 31 December.
    """
    return (
        entry_into_force(date(year, 1, 1), rule, instrument_eif),
        entry_into_force(date(year, 12, 31), rule, instrument_eif),
    )


def denunciation_effective(notified: date, rule: str) -> date | None:
    """When a denunciation notified on ``notified`` takes effect; None when the rule gives no date."""
    return apply_rule(notified, parse_rule(rule, allow_undated=True))
