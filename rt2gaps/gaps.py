"""Gap tables: where a recommended set of instruments is not yet law, and who is closest.

Every function takes tidy status rows (``rt2gaps.api.status``) and returns one tidy DataFrame.
The country-gap rows also exist as plain dicts (``country_gap_rows``, ``country_detail_rows``): the
``rt2gaps gaps`` query prints them without importing pandas, so it costs less than ``import pandas``.
A State's score on a set is an interval, because ``unknown`` is neither a gap nor a ratification:
every unknown may turn out either way. ``not_eligible`` is out of every figure. ``pending`` (consent
given, not yet in force) is not party, and is not a gap: ``commitment`` counts it as joined.

    coverage_low  = sum of weights of instruments the State is party to
                    / sum of weights of instruments it is eligible for (every unknown counted as not party)
    coverage_high = the same with every unknown counted as party
    coverage      = coverage_low where nothing eligible is unknown (then low == high), else empty:
                    a single figure only where it is exact
    known_share   = sum of weights of instruments that are eligible and known
                    (party, pending, signatory, none, withdrawn)
                    / sum of weights of instruments that are eligible
                  = 1 - (coverage_high - coverage_low)
    commitment    = party and pending / eligible and known (what the State has consented to, of what is known)

Ranks compare intervals. Among the ranked States, ``rank_best`` = 1 + the number whose
``coverage_low`` is above this State's ``coverage_high`` (the best place it could hold once the
unknowns are known), ``rank_worst`` = the number whose ``coverage_high`` is at or above this State's
``coverage_low`` (itself included: a tie counts against it). ``rank`` is given only where the two
are equal. A State whose known share is below ``KNOWN_SHARE_MIN`` (half) — its interval is wider
than half — gets no rank: "too little known" (``unranked`` = ``too_little_known``); its interval is
still given. An instrument unknown for most of its eligible States is named by ``mostly_unknown`` so
that every verb can say, in one line, what the scores cannot settle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rt2gaps.phrase import Phrase
from rt2gaps.sources.dates import period_end
from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, PENDING, SIGNATORY, STATUSES, UNKNOWN, WITHDRAWN

GAP_STATUSES = (SIGNATORY, NONE, WITHDRAWN)  # eligible, known, and not joined
ASSESSED_STATUSES = (PARTY, PENDING, SIGNATORY, NONE, WITHDRAWN)  # eligible and known
STALE_AFTER_DAYS = 365
KNOWN_SHARE_MIN = 0.5  # below this share of the set's eligible weight known, a State is not ranked
TOO_LITTLE_KNOWN = "too_little_known"  # ``unranked`` code: known_share below KNOWN_SHARE_MIN
NOTHING_KNOWN = "nothing_known"  # ``unranked`` code: no eligible instrument, or none known
STATE_COLUMNS = ["iso3", "name_en", "region", "subregion"]
GCM_ADOPTION = date(2018, 12, 19)  # default start of "changes since"

COUNTRY_GAP_COLUMNS = [*STATE_COLUMNS, *STATUSES, "assessed", "known_share", "coverage_low", "coverage_high",
                       "coverage", "commitment", "party_instruments", "pending_instruments", "missing", "signed_only",
                       "withdrawn_instruments", "unknown_instruments", "rank_best", "rank_worst", "rank",
                       "unranked"]  # fmt: skip
RANK_COLUMNS = ("rank_best", "rank_worst", "rank")
COUNTRY_DETAIL_COLUMNS = ["iso3", "name_en", "instrument", "status", "gap", "signature_date", "consent_date",
                          "consent_type", "in_force_date", "withdrawal_date", "date_precision", "source_as_of",
                          "note"]  # fmt: skip

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.catalogue import Instrument


def country_gap_rows(
    pairs: Iterable[tuple[str, str, str]],
    states: Iterable[Mapping[str, str]],
    instruments: list[str],
    weights: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Country gaps as dicts, best first, from (iso3, instrument, status) triples; no pandas.

    Per State: counts by status, the instruments in each status, known share, the coverage interval
    (``coverage_low``, ``coverage_high``; ``coverage`` where exact), commitment, and the best and worst
    rank the interval allows (``rank`` where they agree). States with too little known (``known_share``
    below half) or nothing known come last, unranked, with the reason in ``unranked``.
    """
    weight = {i: float((weights or {}).get(i, 1.0)) for i in instruments}
    order = {i: n for n, i in enumerate(instruments)}
    held: dict[str, dict[str, list[str]]] = {}
    for iso3, instrument, state_status in pairs:
        if instrument in order:
            held.setdefault(iso3, {}).setdefault(state_status, []).append(instrument)
    rows = []
    for state in states:
        by_status = held.get(state["iso3"])
        if by_status is None:
            continue

        def of(*wanted: str, by_status: dict[str, list[str]] = by_status) -> list[str]:
            return sorted((i for s in wanted for i in by_status.get(s, ())), key=order.__getitem__)

        def weight_of(*wanted: str) -> float:
            return sum(weight[i] for i in of(*wanted))

        known = weight_of(*ASSESSED_STATUSES)
        eligible = weight_of(*(s for s in STATUSES if s != NOT_ELIGIBLE))
        unknown = weight_of(UNKNOWN)
        party = weight_of(PARTY)
        row: dict[str, Any] = {c: state[c] for c in STATE_COLUMNS}
        row.update({s: len(by_status.get(s, ())) for s in STATUSES})
        row["assessed"] = len(of(*ASSESSED_STATUSES))
        row["known_share"] = known / eligible if eligible > 0 else float("nan")
        row["coverage_low"] = party / eligible if eligible > 0 else float("nan")
        row["coverage_high"] = (party + unknown) / eligible if eligible > 0 else float("nan")
        row["coverage"] = row["coverage_low"] if unknown == 0 else float("nan")
        row["commitment"] = weight_of(PARTY, PENDING) / known if known > 0 else float("nan")
        row["party_instruments"] = ", ".join(of(PARTY))
        row["pending_instruments"] = ", ".join(of(PENDING))
        row["missing"] = ", ".join(of(*GAP_STATUSES))
        row["signed_only"] = ", ".join(of(SIGNATORY))
        row["withdrawn_instruments"] = ", ".join(of(WITHDRAWN))
        row["unknown_instruments"] = ", ".join(of(UNKNOWN))
        row["unranked"] = unranked_reason(row["known_share"])
        rows.append(row)
    add_interval_ranks(rows)
    return sorted(rows, key=lambda r: (r["rank_best"] is None, r["rank_best"] or 0, r["rank_worst"] or 0, r["iso3"]))


def add_interval_ranks(rows: list[dict[str, Any]]) -> None:
    """Set ``rank_best``, ``rank_worst`` and ``rank`` (None where they differ) on each ranked row.

    best = 1 + #{ranked States with coverage_low > own coverage_high};
    worst = #{ranked States with coverage_high >= own coverage_low}. Two sorted lists and a bisection
    each: 197 States cost nothing, a user's thousand-row group no more.
    """
    from bisect import bisect_left, bisect_right

    ranked = [r for r in rows if not r["unranked"]]
    lows = sorted(r["coverage_low"] for r in ranked)
    highs = sorted(r["coverage_high"] for r in ranked)
    for row in rows:
        if row["unranked"]:
            row["rank_best"] = row["rank_worst"] = row["rank"] = None
            continue
        best = 1 + len(lows) - bisect_right(lows, row["coverage_high"])
        worst = len(highs) - bisect_left(highs, row["coverage_low"])
        row["rank_best"], row["rank_worst"] = best, worst
        row["rank"] = best if best == worst else None


def unranked_reason(known_share: float) -> str:
    """Why a State gets no rank (and no map colour): nothing known, too little known; "" when ranked.

    Too little known is an interval wider than half: ``coverage_high - coverage_low`` = 1 - known share.
    """
    if known_share != known_share or known_share == 0:
        return NOTHING_KNOWN
    if known_share < KNOWN_SHARE_MIN:
        return TOO_LITTLE_KNOWN
    return ""


def mostly_unknown(pairs: Iterable[tuple[str, str, str]], instruments: list[str]) -> list[str]:
    """Instruments, in set order, that are ``unknown`` for more than half of the States eligible for them.

    Scores leave these out for most States; every verb names them in one warning line.
    """
    eligible: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for _, instrument, state_status in pairs:
        if state_status == NOT_ELIGIBLE:
            continue
        eligible[instrument] = eligible.get(instrument, 0) + 1
        unknown[instrument] = unknown.get(instrument, 0) + (state_status == UNKNOWN)
    return [i for i in instruments if eligible.get(i) and unknown[i] * 2 > eligible[i]]


def country_gaps(
    status: pd.DataFrame,
    states: pd.DataFrame,
    instruments: list[str],
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per State: counts by status, the instruments in each status, the coverage interval and ranks (1 = best)."""
    import pandas as pd

    pairs = zip(
        status["iso3"].tolist(), status["instrument"].tolist(), status["status"].tolist(), strict=True
    )  # lists: iterating a string column cell by cell is slow
    rows = country_gap_rows(pairs, states[STATE_COLUMNS].to_dict("records"), instruments, weights)
    table = pd.DataFrame(rows, columns=COUNTRY_GAP_COLUMNS)
    for column in RANK_COLUMNS:
        table[column] = table[column].astype("Int64")
    return table


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
    import pandas as pd

    rows = []
    for instrument in instruments:
        of = status[status["instrument"] == instrument.id]["status"].value_counts()
        eligible = int(of.drop(labels=[NOT_ELIGIBLE], errors="ignore").sum())
        known = int(sum(of.get(s, 0) for s in ASSESSED_STATUSES))
        source = manifest.get("instruments", {}).get(instrument.id)
        in_force = instrument.entry_into_force_date
        as_of = date.fromisoformat(source["source_as_of"]) if source else None
        row: dict[str, Any] = {
            "instrument": instrument.id,
            "title": instrument.title_en,
            "body": instrument.body,
            "entry_into_force": in_force,
            "entry_into_force_year": in_force.year if in_force else None,
            "eligible": eligible,
            "assessed": known,
            "known_share": known / eligible if eligible else float("nan"),
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
    """Per M49 region and sub-region: States, States ranked, mean known share, the mean coverage interval
    of the ranked States (``mean_coverage_low``, ``mean_coverage_high``: too little known counts in no
    score), and per instrument the share party of those known.

    A region's share on an instrument is left empty (drawn as unknown) where the status is known for
    under half of the region's States eligible for it: too little known, as for a State's score.
    """
    import pandas as pd

    merged = status[status["instrument"].isin(instruments)].merge(states[STATE_COLUMNS], on="iso3")
    assessed = merged[merged["status"].isin(ASSESSED_STATUSES)]
    eligible = merged[merged["status"] != NOT_ELIGIBLE]
    ranked = country["unranked"] == ""
    country = country.assign(
        ranked=ranked,
        ranked_low=country["coverage_low"].where(ranked),
        ranked_high=country["coverage_high"].where(ranked),
    )
    frames = []
    for level, keys in (("region", ["region"]), ("subregion", ["region", "subregion"])):
        summary = country.groupby(keys).agg(
            states=("iso3", "count"),
            mean_coverage_low=("ranked_low", "mean"),
            mean_coverage_high=("ranked_high", "mean"),
            states_ranked=("ranked", "sum"),
            mean_known_share=("known_share", "mean"),
        )
        # a grouped mean unstacked: what pivot_table(aggfunc="mean") gives, without its overhead (~10 ms each)
        is_party = (assessed["status"] == PARTY).groupby([assessed[key] for key in [*keys, "instrument"]])
        share = is_party.mean().unstack("instrument").reindex(columns=instruments)
        is_known = eligible["status"].isin(ASSESSED_STATUSES).groupby([eligible[key] for key in [*keys, "instrument"]])
        known = is_known.mean().unstack("instrument").reindex(index=share.index, columns=instruments)
        share = share.where(known >= KNOWN_SHARE_MIN)
        block = summary.join(share).reset_index()
        block.insert(0, "level", level)
        if level == "region":
            block.insert(2, "subregion", "")
        frames.append(block)
    return pd.concat(frames, ignore_index=True)


def signed_not_ratified(status: pd.DataFrame, states: pd.DataFrame, instruments: list[str], on: date) -> pd.DataFrame:
    """Every State and instrument with a signature and no consent: the campaign targets."""
    import pandas as pd

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
    import pandas as pd

    frame = events[(events["instrument"].isin(instruments)) & (events["participant_kind"] == "state")]
    frame = frame[frame["date"] != ""].copy()
    is_year = frame["date_precision"].isin(("year", "month"))  # a year or a month alone: some day within it
    year = frame["date"].str.slice(0, 4).astype(int)
    first = [date.fromisoformat((text + "-01-01")[:10]) for text in frame["date"]]
    start = pd.Series(first, index=frame.index, dtype=object)
    day = pd.Series([period_end(d, p) for d, p in zip(first, frame["date_precision"], strict=True)],
                    index=frame.index, dtype=object)  # fmt: skip
    after = (~is_year & (day > since) & (day <= on)) | (is_year & (day >= since) & (start <= on))
    frame, is_year, year, day, start = frame[after], is_year[after], year[after], day[after], start[after]
    frame = frame.assign(
        sort_day=day,
        year=year,
        date=day.where(~is_year, None),
        source_as_of=pd.to_datetime(frame["source_as_of"], format="%Y-%m-%d", errors="coerce").dt.date,
    )
    frame["note"] = None
    for precision in ("year", "month"):  # a year or a month alone may fall on either side of the window's ends
        alone = is_year & (frame["date_precision"] == precision)
        frame.loc[alone & (start <= since), "note"] = Phrase.of(f"note.{precision}_may_precede_start")
        frame.loc[alone & (day > on), "note"] = Phrase.of(f"note.{precision}_may_follow_as_of")
    frame = frame.merge(states[STATE_COLUMNS], on="iso3", how="inner")
    columns = STATE_COLUMNS + ["instrument", "act", "date", "year", "date_precision", "source_as_of", "note"]
    return frame.sort_values(["sort_day", "iso3", "instrument"], ascending=[False, True, True])[columns].reset_index(
        drop=True
    )


def country_detail_rows(
    status_rows: Iterable[Mapping[str, str]], name_en: str, instruments: list[str], iso3: str
) -> list[dict[str, Any]]:
    """One State's status row per instrument of the set, in set order, with ``gap`` (unknown never is one)."""
    order = {i: n for n, i in enumerate(instruments)}
    chosen = [r for r in status_rows if r["iso3"] == iso3 and r["instrument"] in order]
    rows = []
    for row in sorted(chosen, key=lambda r: order[r["instrument"]]):
        detail: dict[str, Any] = {column: row.get(column, "") for column in COUNTRY_DETAIL_COLUMNS}
        detail.update(name_en=name_en, gap=row["status"] in GAP_STATUSES)
        rows.append(detail)
    return rows


def country_detail(status: pd.DataFrame, states: pd.DataFrame, instruments: list[str], iso3: str) -> pd.DataFrame:
    """One State's row per instrument of the set, in set order, with whether it is a gap (unknown never is)."""
    import pandas as pd

    names = dict(zip(states["iso3"], states["name_en"], strict=True))
    rows = country_detail_rows(status[status["iso3"] == iso3].to_dict("records"), names[iso3], instruments, iso3)
    return pd.DataFrame(rows, columns=COUNTRY_DETAIL_COLUMNS)
