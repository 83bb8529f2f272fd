"""Gap tables: where a recommended set of instruments is not yet law, and who is closest.

Every function takes tidy status rows (``rt2gaps.api.status``) and returns one tidy DataFrame.
Coverage counts only what is known: ``unknown`` and ``not_eligible`` are out of both numerator and
denominator, so missing data never looks like a missing ratification. ``pending`` (consent given,
not yet in force) is in the denominator but not the numerator of ``coverage``, and is not a gap:
``commitment`` counts it as joined.

    coverage   = sum of weights of instruments the State is party to
                 / sum of weights of instruments that are eligible and known
                   (party, pending, signatory, none, withdrawn)
    commitment = the same with pending added to the numerator
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, PENDING, SIGNATORY, STATUSES, UNKNOWN, WITHDRAWN

GAP_STATUSES = (SIGNATORY, NONE, WITHDRAWN)  # eligible, known, and not joined
ASSESSED_STATUSES = (PARTY, PENDING, SIGNATORY, NONE, WITHDRAWN)  # eligible and known
STALE_AFTER_DAYS = 365
STATE_COLUMNS = ["iso3", "name_en", "region", "subregion"]
GCM_ADOPTION = date(2018, 12, 19)  # default start of "changes since"

if TYPE_CHECKING:
    from rt2gaps.catalogue import Instrument


def _weights(instruments: list[str], weights: dict[str, float] | None) -> pd.Series:
    return pd.Series({i: float((weights or {}).get(i, 1.0)) for i in instruments}, name="weight")


def country_gaps(
    status: pd.DataFrame,
    states: pd.DataFrame,
    instruments: list[str],
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Per State: counts by status, the instruments missing, coverage and rank (1 = best)."""
    frame = status[status["instrument"].isin(instruments)].copy()
    frame["weight"] = frame["instrument"].map(_weights(instruments, weights))
    counts = pd.crosstab(frame["iso3"], frame["status"]).reindex(columns=list(STATUSES), fill_value=0)
    assessed = frame[frame["status"].isin(ASSESSED_STATUSES)]
    weighted_assessed = assessed.groupby("iso3")["weight"].sum()
    weighted_party = assessed[assessed["status"] == PARTY].groupby("iso3")["weight"].sum()
    weighted_joined = assessed[assessed["status"].isin((PARTY, PENDING))].groupby("iso3")["weight"].sum()
    order = {i: n for n, i in enumerate(instruments)}

    def listed(wanted: tuple[str, ...]) -> pd.Series:
        chosen = frame[frame["status"].isin(wanted)].sort_values("instrument", key=lambda s: s.map(order))
        return chosen.groupby("iso3")["instrument"].agg(", ".join)

    table = states[STATE_COLUMNS].set_index("iso3").join(counts, how="inner")
    table["assessed"] = table[list(ASSESSED_STATUSES)].sum(axis=1)
    denominator = weighted_assessed.reindex(table.index).fillna(0)
    scored = denominator > 0  # no known, eligible, weighted instrument: no coverage rather than 0
    table["coverage"] = (weighted_party.reindex(table.index).fillna(0) / denominator).where(scored)
    table["commitment"] = (weighted_joined.reindex(table.index).fillna(0) / denominator).where(scored)
    table["party_instruments"] = listed((PARTY,)).reindex(table.index).fillna("")
    table["pending_instruments"] = listed((PENDING,)).reindex(table.index).fillna("")
    table["missing"] = listed(GAP_STATUSES).reindex(table.index).fillna("")
    table["signed_only"] = listed((SIGNATORY,)).reindex(table.index).fillna("")
    table["withdrawn_instruments"] = listed((WITHDRAWN,)).reindex(table.index).fillna("")
    table["unknown_instruments"] = listed((UNKNOWN,)).reindex(table.index).fillna("")
    table["rank"] = table["coverage"].rank(ascending=False, method="min").astype("Int64")
    table = table.reset_index().sort_values(["rank", "iso3"], na_position="last")
    return table.reset_index(drop=True)


def instrument_coverage(
    status: pd.DataFrame,
    instruments: list[Instrument],
    manifest: dict,
    on: date,
) -> pd.DataFrame:
    """Per instrument: how many eligible States are party, pending, signatory only, none; source and age.

    Shares are of the States that are eligible and known, so an instrument with no source has no
    shares rather than zero; ``stale`` marks a source more than a year older than ``on``.
    """
    rows = []
    for instrument in instruments:
        of = status[status["instrument"] == instrument.id]["status"].value_counts()
        eligible = int(of.drop(labels=[NOT_ELIGIBLE], errors="ignore").sum())
        known = int(sum(of.get(s, 0) for s in ASSESSED_STATUSES))
        source = manifest.get("instruments", {}).get(instrument.id)
        in_force = instrument.entry_into_force_date
        as_of = date.fromisoformat(source["source_as_of"]) if source else None
        row = {
            "instrument": instrument.id,
            "short_name": instrument.short_name,
            "title": instrument.title_en,
            "body": instrument.body,
            "entry_into_force": in_force,
            "entry_into_force_year": in_force.year if in_force else None,
            "eligible": eligible,
            "assessed": known,
        }
        for name in (PARTY, PENDING, SIGNATORY, NONE, WITHDRAWN, UNKNOWN, NOT_ELIGIBLE):
            row[name] = int(of.get(name, 0))
        for name in (PARTY, PENDING, SIGNATORY, NONE):
            row[f"share_{name}"] = row[name] / known if known else float("nan")
        row["source"] = source["source_file"] if source else ""
        row["source_key"] = source["source_key"] if source else ""
        row["source_as_of"] = as_of
        row["source_age_days"] = (on - as_of).days if as_of else None
        row["stale"] = bool(as_of and (on - as_of).days > STALE_AFTER_DAYS)
        row["no_data"] = source is None
        row["source_url"] = instrument.source_url
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["source_age_days"] = frame["source_age_days"].astype("Int64")
    return frame


def regions(country: pd.DataFrame, status: pd.DataFrame, states: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    """Per M49 region and sub-region: States, mean coverage, and per instrument the share party."""
    merged = status[status["instrument"].isin(instruments)].merge(states[STATE_COLUMNS], on="iso3")
    assessed = merged[merged["status"].isin(ASSESSED_STATUSES)]
    frames = []
    for level, keys in (("region", ["region"]), ("subregion", ["region", "subregion"])):
        summary = country.groupby(keys).agg(states=("iso3", "count"), mean_coverage=("coverage", "mean"))
        share = (
            assessed.assign(is_party=assessed["status"] == PARTY)
            .pivot_table(index=keys, columns="instrument", values="is_party", aggfunc="mean")
            .reindex(columns=instruments)
        )
        block = summary.join(share).reset_index()
        block.insert(0, "level", level)
        if level == "region":
            block.insert(2, "subregion", "")
        frames.append(block)
    return pd.concat(frames, ignore_index=True)


def signed_not_ratified(status: pd.DataFrame, states: pd.DataFrame, instruments: list[str], on: date) -> pd.DataFrame:
    """Every State and instrument with a signature and no consent: the campaign targets."""
    frame = status[(status["instrument"].isin(instruments)) & (status["status"] == SIGNATORY)]
    frame = frame.merge(states[STATE_COLUMNS], on="iso3")
    signed = pd.to_datetime(frame["signature_date"], format="mixed", errors="coerce")
    frame = frame.assign(
        signature_date=signed.dt.date,
        source_as_of=pd.to_datetime(frame["source_as_of"], format="%Y-%m-%d", errors="coerce").dt.date,
        years_since_signature=((pd.Timestamp(on) - signed).dt.days / 365.25).round(1),
    )
    columns = STATE_COLUMNS + ["instrument", "signature_date", "years_since_signature", "source_as_of"]
    return frame[columns].sort_values(["years_since_signature", "iso3"], ascending=[False, True]).reset_index(drop=True)


def changes_since(
    events: pd.DataFrame, states: pd.DataFrame, instruments: list[str], since: date, on: date
) -> pd.DataFrame:
    """Every signature, consent and denunciation after ``since`` up to ``on``, newest first.

    ``date`` is a real day only where the source gives one; a year-only act has ``date`` empty and its
    ``year``. It counts as after ``since`` when its year is later, and is listed with a note when its
    year is the year of ``since`` or of ``on`` (it may fall outside the window).
    """
    frame = events[(events["instrument"].isin(instruments)) & (events["participant_kind"] == "state")]
    frame = frame[frame["date"] != ""].copy()
    is_year = frame["date_precision"] == "year"
    year = frame["date"].str.slice(0, 4).astype(int)
    day = pd.to_datetime(frame["date"].where(~is_year, frame["date"] + "-12-31"), format="%Y-%m-%d").dt.date
    after = (~is_year & (day > since) & (day <= on)) | (is_year & (year >= since.year) & (year <= on.year))
    frame, is_year, year, day = frame[after], is_year[after], year[after], day[after]
    frame = frame.assign(
        sort_day=day,
        year=year,
        date=day.where(~is_year, None),
        source_as_of=pd.to_datetime(frame["source_as_of"], format="%Y-%m-%d", errors="coerce").dt.date,
    )
    frame.loc[is_year & (year == since.year), "note"] = "year only: may precede the start date"
    frame.loc[is_year & (year == on.year), "note"] = "year only: may follow the as-of date"
    frame = frame.merge(states[STATE_COLUMNS], on="iso3", how="inner")
    columns = STATE_COLUMNS + ["instrument", "act", "date", "year", "date_precision", "source_as_of", "note"]
    return frame.sort_values(["sort_day", "iso3", "instrument"], ascending=[False, True, True])[columns].reset_index(
        drop=True
    )


def country_detail(status: pd.DataFrame, states: pd.DataFrame, instruments: list[str], iso3: str) -> pd.DataFrame:
    """One State's row per instrument of the set, in set order, with whether it is a gap (unknown never is)."""
    frame = status[(status["iso3"] == iso3) & (status["instrument"].isin(instruments))]
    frame = frame.merge(states[["iso3", "name_en"]], on="iso3")
    frame = frame.assign(gap=frame["status"].isin(GAP_STATUSES))
    frame = frame.sort_values("instrument", key=lambda s: s.map({i: n for n, i in enumerate(instruments)}))
    columns = ["iso3", "name_en", "instrument", "status", "gap", "signature_date", "consent_date", "consent_type",
               "in_force_date", "withdrawal_date", "date_precision", "source_as_of", "note"]  # fmt: skip
    return frame[columns].reset_index(drop=True)
