"""Date reading shared by all parsers: English and French month names as the sources write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MONTHS = {
    # English, abbreviated and full, plus the "Sept" UNTC sometimes uses
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # French, as NORMLEX writes them (accents folded before lookup)
    "janv": 1, "janvier": 1, "fevr": 2, "fevrier": 2, "mars": 3, "avr": 4,
    "avril": 4, "mai": 5, "juin": 6, "juil": 7, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip

# [0-9], not \d: int() reads fullwidth or Arabic-Indic digits, which no source writes in a date; \s stays
# Unicode (a page's no-break space)
_DAY_MONTH_YEAR = re.compile(r"^\s*([0-9]{1,2})(?:er)?\s+([^\d\s]+?)\.?\s+([0-9]{4})\s*$")
_NUMERIC_DMY = re.compile(r"^\s*([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})\s*$")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().rstrip(".")


def month_number(word: str) -> int | None:
    """Month number for an English or French month name or abbreviation, else None."""
    return _MONTHS.get(_fold(word))


def parse_day_month_year(text: str) -> date | None:
    """Read ``5 Jun 2007``, ``19 July 2006``, ``5 Sept 2000``, ``19 oct. 1962``, ``28 févr. 1983``.

    Returns None when the text is not such a date (the caller decides whether that is an error).
    """
    match = _DAY_MONTH_YEAR.match(text)
    if not match:
        return None
    month = month_number(match.group(2))
    if month is None:
        return None
    try:
        return date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def parse_numeric_dmy(text: str) -> date | None:
    """Read ``03-02-2026`` (day-month-year, as UNTC and NORMLEX stamps write it)."""
    match = _NUMERIC_DMY.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def parse_iso_date(text: str) -> date:
    """Strict ISO 8601 ``YYYY-MM-DD``; raises ValueError naming the text otherwise."""
    if not ISO_DAY.fullmatch(text.strip()):
        raise ValueError(f"not a date in the form YYYY-MM-DD: {text!r}")
    return date.fromisoformat(text.strip())


def today_utc() -> date:
    """Today in UTC: the day a source date may not be after."""
    from datetime import UTC, datetime

    return datetime.now(UTC).date()


def refuse_future_source_date(day: date, where: str) -> date:
    """A source's as-of date, refused when after today (a page stamped 2099 would date every status row).

    One day of grace for time zones ahead of UTC. ``where`` names the file, option or key.
    """
    from datetime import timedelta

    from rt2gaps.errors import Rt2gapsError

    today = today_utc()
    if day > today + timedelta(days=1):
        raise Rt2gapsError(f"{where}: source date {day.isoformat()} is after today ({today.isoformat()}); "
                           "a source cannot describe the future: nothing was written")  # fmt: skip
    return day


def period_end(day: date, precision: str) -> date:
    """The last day a date of this precision (``day``, ``month``, ``year``) can stand for."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return day
