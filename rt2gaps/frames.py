"""Rows of text as frames of real types: the one place the API, ``status --format parquet`` and the reports type them.

Dates -> ``datetime64[ns]``, statuses -> an ordered Categorical in the legend's order, counts ->
``Int64``, flags -> ``bool``, "" -> NA. A date may be a day, a month (``YYYY-MM``, from a user's
table) or a year, or a window of them (``earliest/latest``): the frame gives its earliest day, and
for the windowed columns also the latest (``*_latest``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from rt2gaps.status import STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.i18n import UiStrings

STATUS_ORDER = STATUSES  # the legend's order: party, pending, signatory, withdrawn, none, not_eligible, unknown
PLACE_COLUMNS = ["iso3", "name", "region", "subregion"]
# Text columns holding a day, a year or an "earliest/latest" window: the API gives the earliest day,
# and for the two that can be windows of more than a year also the latest (``*_latest``).
DATE_COLUMNS = ("signature_date", "consent_date", "in_force_date", "withdrawal_date", "source_as_of",
                "start", "end", "known_until", "un_membership_date", "adoption_date", "entry_into_force_date",
                "retrieved_by")  # fmt: skip
WINDOW_COLUMNS = ("in_force_date", "withdrawal_date")
STATUS_LIKE_COLUMNS = ("status", "last_known_status")
# A State's code and an instrument's id: Categoricals in every frame (the panel's millions of rows need
# them), categories in the order the rows first show them (State order, catalogue order), as the panel has.
IDENTITY_COLUMNS = ("iso3", "instrument")
COUNT_COLUMNS = (*STATUSES, "assessed", "rank", "rank_best", "rank_worst", "position")
FLAG_COLUMNS = ("ldc", "lldc", "sids", "un_member", "ilo_member", "default_universe", "has_data", "stale",
                "no_data", "normlex_id_inferred")  # fmt: skip


def _earliest(text: str) -> str | None:
    """The first day of a day, a month (``YYYY-MM``) or a year, or of the first of a window of them."""
    first = text.split("/")[0]
    if len(first) == 4:
        return f"{first}-01-01"
    if len(first) == 7:
        return f"{first}-01"
    return first or None


def _latest(text: str) -> str | None:
    """The last day of a day, a month or a year, or of the last of a window of them."""
    last = text.split("/")[-1]
    if len(last) == 4:
        return f"{last}-12-31"
    if len(last) == 7:
        year, month = int(last[:4]), int(last[5:])
        return f"{last}-{calendar.monthrange(year, month)[1]:02d}"
    return last or None


def _datetimes(values: Iterable[str | None]) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(pd.Series(list(values), dtype="object"), format="%Y-%m-%d").astype("datetime64[ns]")


def status_categorical(values: Iterable[str]) -> pd.Categorical:
    """Status words as the ordered Categorical every frame uses ("" becomes NA)."""
    import pandas as pd

    return pd.Categorical([v or None for v in values], categories=list(STATUS_ORDER), ordered=True)


def identity_categorical(values: Iterable[object]) -> pd.Categorical:
    """ISO3 codes or instrument ids as a Categorical, categories in the order of first appearance ("" is NA)."""
    import pandas as pd

    texts = [None if v is None or v != v or v == "" else str(v) for v in values]
    return pd.Categorical(texts, categories=list(dict.fromkeys(t for t in texts if t is not None)))


def typed_frame(rows: list[dict[str, Any]] | list[list[Any]], columns: list[str],
                places: list[dict[str, str]] | None = None) -> pd.DataFrame:  # fmt: skip
    """Rows of text (as the engine and the CSV outputs write them) as a frame of real types.

    Dates -> ``datetime64[ns]`` (a year or a window gives its earliest day; ``in_force_date`` and
    ``withdrawal_date`` also get ``*_latest``), statuses -> ordered Categorical, counts -> ``Int64``,
    flags ("true"/"false" or bool) -> ``bool``, "" and None -> NA. With ``places`` (State rows),
    ``name``, ``region`` and ``subregion`` are put beside ``iso3``.
    """
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    out: dict[str, Any] = {}
    for column in columns:
        values = frame[column]
        if column in DATE_COLUMNS:
            text = values.fillna("").astype(str)
            out[column] = _datetimes(_earliest(t) for t in text)
            if column in WINDOW_COLUMNS:
                out[column.removesuffix("_date") + "_latest"] = _datetimes(_latest(t) for t in text)
        elif column in STATUS_LIKE_COLUMNS:
            out[column] = status_categorical(values.fillna(""))
        elif column in IDENTITY_COLUMNS:
            out[column] = identity_categorical(values)
        elif column in COUNT_COLUMNS:
            out[column] = pd.array([None if v is None or v != v or v == "" else int(v) for v in values], dtype="Int64")
        elif column in FLAG_COLUMNS:
            out[column] = values.map(lambda v: v is True or v == "true").astype(bool)
        elif values.dtype.kind == "f":
            out[column] = values
        else:
            out[column] = values.astype("string").replace("", pd.NA)
    typed = pd.DataFrame(out)
    if places is not None and "iso3" in typed:
        typed = _with_places(typed, places)
    return typed


def _with_places(frame: pd.DataFrame, places: list[dict[str, str]]) -> pd.DataFrame:
    import pandas as pd

    by_iso3 = {p["iso3"]: p for p in places}
    for position, column in enumerate(("name", "region", "subregion"), start=1):
        source = "name_en" if column == "name" else column
        values = [by_iso3.get(iso3, {}).get(source) or None for iso3 in frame["iso3"].astype(str)]
        frame.insert(frame.columns.get_loc("iso3") + position, column, pd.array(values, dtype="string"))
    return frame


def report_table(frame: pd.DataFrame, strings: UiStrings) -> pd.DataFrame:
    """A table of a run typed like the API's frames (``rt2gaps.report``): no ``date`` or ``Phrase`` objects.

    Columns of dates become ``datetime64[ns]``, sentences (``Phrase``) are said in the report's
    language, text is ``string`` with NA for "", ``name_en`` is ``name`` as in ``status()``, and
    ``iso3``/``instrument`` are Categoricals as everywhere. Columns mixing numbers and text (the
    Summary's values) stay as they are.
    """
    import pandas as pd

    from rt2gaps.phrase import Phrase

    out: dict[str, Any] = {}
    for column in frame.columns:
        values = frame[column]
        name = "name" if column == "name_en" else column
        if column in IDENTITY_COLUMNS:
            out[name] = identity_categorical(values)
            continue
        if values.dtype != object:
            out[name] = values
            continue
        kinds = {type(v) for v in values if v is not None and v == v}
        if kinds and all(issubclass(k, date) for k in kinds):
            out[name] = pd.Series(pd.to_datetime([v if isinstance(v, date) else None for v in values]),
                                  index=values.index).astype("datetime64[ns]")  # fmt: skip
        elif kinds and all(issubclass(k, str | Phrase) for k in kinds):
            said = [v.say(strings) if isinstance(v, Phrase) else v for v in values]
            out[name] = pd.Series(said, index=values.index, dtype="string").replace("", pd.NA)
        else:
            out[name] = values
    return pd.DataFrame(out, index=frame.index)
