"""Gap tables: where a recommended set of instruments is not yet law, and who is closest.

Every function takes tidy status rows (``rt2gaps.api.status``) and returns one tidy DataFrame.
Coverage counts only what is known: ``unknown`` and ``not_eligible`` are out of both numerator and
denominator, so missing data never looks like a missing ratification. ``pending`` (consent given,
not yet in force) is in the denominator but not the numerator of ``coverage``, and is not a gap:
``commitment`` counts it as joined.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, PENDING, SIGNATORY, STATUSES, UNKNOWN, WITHDRAWN

GAP_STATUSES = (SIGNATORY, NONE, WITHDRAWN)  # eligible, known, and not joined
ASSESSED_STATUSES = (PARTY, PENDING, SIGNATORY, NONE, WITHDRAWN)  # eligible and known
STALE_AFTER_DAYS = 365
STATE_COLUMNS = ["iso3", "name_en", "region", "subregion"]


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
    table["coverage"] = (weighted_party / weighted_assessed).reindex(table.index)
    table["commitment"] = (weighted_joined.reindex(table.index).fillna(0) / weighted_assessed).reindex(table.index)
    table.loc[table["assessed"] == 0, ["coverage", "commitment"]] = float("nan")
    table["coverage"] = table["coverage"].fillna(0).where(table["assessed"] > 0)
    table["missing"] = listed(GAP_STATUSES).reindex(table.index).fillna("")
    table["signed_only"] = listed((SIGNATORY,)).reindex(table.index).fillna("")
    table["unknown_instruments"] = listed((UNKNOWN,)).reindex(table.index).fillna("")
    table["rank"] = table["coverage"].rank(ascending=False, method="min").astype("Int64")
    table = table.reset_index().sort_values(["rank", "iso3"], na_position="last")
    return table.reset_index(drop=True)


def instrument_coverage(
    status: pd.DataFrame,
    instruments: list,  # list[Instrument]
    manifest: dict,
    on: date,
) -> pd.DataFrame:
    """Per instrument: how many eligible States are party, pending, signatory only, none; source and age."""
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
        row["source_as_of"] = as_of
        row["stale"] = bool(as_of and (on - as_of).days > STALE_AFTER_DAYS)
        row["no_data"] = source is None
        row["source_url"] = instrument.source_url
        rows.append(row)
    return pd.DataFrame(rows)


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
    signed = pd.to_datetime(frame["signature_date"], format="mixed")
    frame = frame.assign(
        signature_date=signed.dt.date,
        years_since_signature=((pd.Timestamp(on) - signed).dt.days / 365.25).round(1),
    )
    columns = STATE_COLUMNS + ["instrument", "signature_date", "years_since_signature"]
    return frame[columns].sort_values(["years_since_signature", "iso3"], ascending=[False, True]).reset_index(drop=True)


def changes_since(events: pd.DataFrame, states: pd.DataFrame, instruments: list[str], since: date, on: date):
    """Every signature, consent and denunciation after ``since`` up to ``on``, newest first.

    A year-only date counts as after ``since`` when its year is later, and is listed with a note
    when its year is the year of ``since`` (it may fall either side).
    """
    frame = events[(events["instrument"].isin(instruments)) & (events["participant_kind"] == "state")]
    frame = frame[frame["date"] != ""].copy()
    is_year = frame["date_precision"] == "year"
    year = frame["date"].str.slice(0, 4).astype(int)
    day = pd.to_datetime(frame["date"].where(~is_year, frame["date"] + "-12-31"), format="%Y-%m-%d").dt.date
    after = (~is_year & (day > since) & (day <= on)) | (is_year & (year >= since.year) & (year <= on.year))
    frame = frame[after].assign(sort_day=day[after])
    frame["note"] = frame["note"].where(~(is_year[after] & (year[after] == since.year)),
                                        "year only: may precede the start date")  # fmt: skip
    frame = frame.merge(states[STATE_COLUMNS], on="iso3", how="inner")
    columns = STATE_COLUMNS + ["instrument", "act", "date", "date_precision", "source_as_of", "note"]
    return frame.sort_values(["sort_day", "iso3"], ascending=[False, True])[columns].reset_index(drop=True)
