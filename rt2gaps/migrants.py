"""Who is affected: ratification gaps weighted by the migrants, refugees and emigrants they concern.

Every function takes tidy status rows (``rt2gaps.api.status`` or a report's status frame), the State
table of the universe and the committed reference tables (``rt2gaps.snapshot.reference``), and
returns one tidy DataFrame. Migrant figures are UN DESA mid-year estimates for ``year`` (mid-2020 by
default); the ratification side is evaluated on the as-of date ``on``. Both dates are columns of
every table, because the two sides are years apart and a reader must see it.

A State with no figure in the source keeps NaN (shown as empty, never as 0) and is counted and
named separately, so that sums never pretend to cover it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from rt2gaps.gaps import ASSESSED_STATUSES, GAP_STATUSES
from rt2gaps.snapshot.reference import GCM_VOTE_DATE, STOCK_YEAR, ReferenceData, bundled_reference
from rt2gaps.status import CONSENT_GIVEN, NOT_ELIGIBLE, PARTY, STATUSES, UNKNOWN

AFFECTED_MEASURES = ("migrant_stock", "refugees")
ORIGIN = "origin"
DESTINATION = "destination"
NO_FIGURE = "no_figure"
ROLES = (ORIGIN, DESTINATION, NO_FIGURE)
NO_VOTE = "no_vote"  # not in the recorded vote: not a UN member (Holy See, Palestine, Cook Islands, Niue)
VOTED_YES_NOT_PARTY = "voted_yes_not_party"
PARTY_NOT_VOTED_YES = "party_not_voted_yes"
STATE_COLUMNS = ["iso3", "name_en", "region", "subregion"]
TOP_DESTINATIONS_SHOWN = 20
MIGRANT_SPECIFIC_SET = "migrants"  # the bundled set whose instruments the GCM commitment gap compares
REPORT_TABLES = ("migrants_affected", "top_destinations", "origin_destination", "gcm_commitment_gap",
                 "gcm_commitment_summary")  # fmt: skip
FIGURE_COLUMNS = ["migrant_stock", "migrant_share_pct", "population_thousands", "refugees", "emigrants"]


def figures_label(year: int = STOCK_YEAR) -> str:
    """How a table dates its migrant figures: UN DESA's estimates are for the middle of the year."""
    return f"mid-{year}"


def _dated(frame: pd.DataFrame, on: date, year: int) -> pd.DataFrame:
    """Add the two dates every table carries: of the migrant figures and of the ratification status."""
    return frame.assign(figures_as_of=figures_label(year), status_as_of=on)


def state_figures(states: pd.DataFrame, reference: ReferenceData, year: int = STOCK_YEAR) -> pd.DataFrame:
    """Per State of the universe: migrants, share of population, population, refugees, emigrants, role, GCM vote.

    ``role`` is ``origin`` where more of its people live abroad than migrants live in it, ``destination``
    where fewer, ``no_figure`` where either number is missing. ``gcm_vote`` is the State's recorded vote
    on resolution 73/195, or ``no_vote`` for a State not in it (not a UN member).
    """
    frame = states[STATE_COLUMNS + ["m49"]].copy()
    for measure in ("migrant_stock", "migrant_share_pct", "population_thousands", "refugees"):
        frame[measure] = frame["m49"].map(reference.measure(measure, year)).astype("float64")
    frame["emigrants"] = frame["m49"].map(reference.emigrants_in(year)).astype("float64")
    frame["role"] = [_role(emigrants, immigrants) for emigrants, immigrants in zip(
        frame["emigrants"], frame["migrant_stock"], strict=True)]  # fmt: skip
    votes = dict(zip(reference.gcm_vote["iso3"], reference.gcm_vote["vote"], strict=True))
    frame["gcm_vote"] = frame["iso3"].map(votes).fillna(NO_VOTE)
    return frame.drop(columns="m49").reset_index(drop=True)


def _columns(frame: pd.DataFrame, *names: str) -> list[list[Any]]:
    """Columns as lists: a loop over lists is several times quicker than over pandas string columns."""
    return [frame[name].tolist() for name in names]


def _figures_of(
    states: pd.DataFrame, reference: ReferenceData, year: int, figures: pd.DataFrame | None
) -> pd.DataFrame:
    """``state_figures`` of the universe, or the ones the caller already computed (a report computes them once)."""
    return state_figures(states, reference, year) if figures is None else figures.copy()


def _role(emigrants: float, immigrants: float) -> str:
    if math.isnan(emigrants) or math.isnan(immigrants):
        return NO_FIGURE
    return ORIGIN if emigrants > immigrants else DESTINATION


def migrants_affected(
    status: pd.DataFrame,
    states: pd.DataFrame,
    reference: ReferenceData,
    instruments: Sequence[str],
    on: date,
    year: int = STOCK_YEAR,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per instrument and measure (migrants, refugees): persons living in States of each status.

    The status columns add up to ``universe_total`` (the persons living in the universe's States that
    have a figure); ``outside_universe`` is the rest of the world total (territories and areas, and any
    State left out of the run by the universe or a ``--group``), so status columns plus it give
    ``world_total``. ``world_share_<status>`` is of the world total. States with no figure are counted
    and named, never taken as 0.
    """
    figures = _figures_of(states, reference, year, figures)
    chosen = status[status["iso3"].isin(figures["iso3"])]
    rows = []
    for measure in AFFECTED_MEASURES:
        by_state = figures.set_index("iso3")[measure]
        universe_total = float(by_state.sum(min_count=1))
        world_total = reference.world_total(measure, year)
        missing = sorted(by_state.index[by_state.isna()])
        # one grouped sum for every (instrument, status): NaN where all its States lack a figure, absent where
        # no State has that status (0). Figures are whole persons, so the sum is exact in any order.
        sums = chosen["iso3"].map(by_state).groupby([chosen["instrument"], chosen["status"]]).sum(min_count=1)
        found = dict(zip(sums.index, sums.tolist(), strict=True))
        for instrument in instruments:
            row: dict[str, Any] = {"instrument": instrument, "measure": measure}
            for name in STATUSES:
                row[name] = float(found.get((instrument, name), 0.0))
            for name in STATUSES:
                row[f"world_share_{name}"] = row[name] / world_total if world_total else math.nan
            row["without_figure"] = ", ".join(missing)
            row["universe_total"] = universe_total
            row["outside_universe"] = world_total - universe_total
            row["world_total"] = world_total
            rows.append(row)
    return _dated(pd.DataFrame(rows), on, year)


def _instruments_in(
    status: pd.DataFrame, iso3s: Sequence[str], wanted: tuple[str, ...], order: dict[str, int]
) -> list[str]:
    """For each State, its instruments with a status in ``wanted``, in set order ("ICRMW, C097")."""
    chosen = status[status["iso3"].isin(iso3s) & status["status"].isin(wanted)]
    by_state: dict[str, list[str]] = {}
    for iso3, instrument in zip(chosen["iso3"].tolist(), chosen["instrument"].tolist(), strict=True):
        by_state.setdefault(iso3, []).append(instrument)
    return [", ".join(sorted(by_state.get(iso3, []), key=order.__getitem__)) for iso3 in iso3s]


def top_destinations(
    status: pd.DataFrame,
    states: pd.DataFrame,
    reference: ReferenceData,
    instruments: Sequence[str],
    on: date,
    n: int = 20,
    year: int = STOCK_YEAR,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``n`` States hosting the most migrants and the ``n`` with the highest migrant share, with their gaps.

    ``open_gaps`` counts the set's instruments the State is signatory only, none or withdrawn on;
    ``migrants_in_gap_states`` is its migrant stock where it has at least one open gap (0 where it has
    none, NaN where the stock is unknown). Sorted by that, then by migrant stock.
    """
    order = {instrument: place for place, instrument in enumerate(instruments)}
    chosen_status = status[status["instrument"].isin(order)]
    figures = _figures_of(states, reference, year, figures)
    figures["rank_by_stock"] = figures["migrant_stock"].rank(ascending=False, method="min").astype("Int64")
    figures["rank_by_share"] = figures["migrant_share_pct"].rank(ascending=False, method="min").astype("Int64")
    top = figures[(figures["rank_by_stock"] <= n) | (figures["rank_by_share"] <= n)].copy()
    gap_counts = chosen_status[chosen_status["status"].isin(GAP_STATUSES)].groupby("iso3").size()
    top["open_gaps"] = top["iso3"].map(gap_counts).fillna(0).astype("int64")
    top_iso3 = top["iso3"].tolist()
    top["gap_instruments"] = _instruments_in(chosen_status, top_iso3, GAP_STATUSES, order)
    top["party_instruments"] = _instruments_in(chosen_status, top_iso3, (PARTY,), order)
    top["unknown_instruments"] = _instruments_in(chosen_status, top_iso3, (UNKNOWN,), order)
    top["migrants_in_gap_states"] = top["migrant_stock"].where(top["open_gaps"] > 0, 0.0)
    top["migrant_share"] = top["migrant_share_pct"] / 100  # a fraction, as every share of the report
    top.loc[top["migrant_stock"].isna(), "migrants_in_gap_states"] = math.nan
    columns = STATE_COLUMNS + ["migrant_stock", "migrant_share", "refugees", "rank_by_stock", "rank_by_share",
                               "open_gaps", "migrants_in_gap_states", "gap_instruments", "party_instruments",
                               "unknown_instruments"]  # fmt: skip
    top = top.sort_values(["migrants_in_gap_states", "migrant_stock", "iso3"], ascending=[False, False, True],
                          na_position="last")  # fmt: skip
    return _dated(top[columns].reset_index(drop=True), on, year)


def origin_destination(
    status: pd.DataFrame,
    states: pd.DataFrame,
    reference: ReferenceData,
    instruments: Sequence[str],
    on: date,
    year: int = STOCK_YEAR,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per instrument: of the mainly-origin and of the mainly-destination States, how many are party.

    ``<role>_share_party`` and ``<role>_share_joined`` are of the States whose status is known and
    eligible (``ASSESSED_STATUSES``); ``_joined`` counts pending as joined. ``<role>_share_party_low`` and
    ``_high`` are of the eligible States, every unknown counted as not party, then as party: the range
    the share of those known cannot leave, as for a State's coverage. States with no emigrant or
    immigrant figure have no role and are counted in ``states_without_role``.
    """
    figures = _figures_of(states, reference, year, figures)
    roles = dict(zip(figures["iso3"], figures["role"], strict=True))
    # one pass over the status rows, counting per (instrument, role): a filter per instrument and role is slow
    counts: Counter[tuple[str, str, str]] = Counter()
    wanted = set(instruments)
    for instrument, iso3, status_word in zip(*_columns(status, "instrument", "iso3", "status"), strict=True):
        role = roles.get(iso3)
        if role is None or instrument not in wanted:
            continue
        counts[instrument, role, "states"] += 1
        counts[instrument, role, "eligible"] += status_word != NOT_ELIGIBLE
        counts[instrument, role, "unknown"] += status_word == UNKNOWN
        if status_word in ASSESSED_STATUSES:
            counts[instrument, role, "assessed"] += 1
            counts[instrument, role, "party"] += status_word == PARTY
            counts[instrument, role, "joined"] += status_word in CONSENT_GIVEN
    rows = []
    for instrument in instruments:
        row: dict[str, object] = {"instrument": instrument}
        for role in (ORIGIN, DESTINATION):
            assessed, party = counts[instrument, role, "assessed"], counts[instrument, role, "party"]
            joined = counts[instrument, role, "joined"]
            row[f"{role}_states"] = counts[instrument, role, "states"]
            row[f"{role}_assessed"] = assessed
            row[f"{role}_party"] = party
            row[f"{role}_share_party"] = party / assessed if assessed else math.nan
            row[f"{role}_share_joined"] = joined / assessed if assessed else math.nan
            eligible, unknown = counts[instrument, role, "eligible"], counts[instrument, role, "unknown"]
            row[f"{role}_share_party_low"] = party / eligible if eligible else math.nan
            row[f"{role}_share_party_high"] = (party + unknown) / eligible if eligible else math.nan
        row["states_without_role"] = counts[instrument, NO_FIGURE, "states"]
        rows.append(row)
    return _dated(pd.DataFrame(rows), on, year)


def gcm_commitment_gap(
    status: pd.DataFrame,
    states: pd.DataFrame,
    reference: ReferenceData,
    instruments: Sequence[str],
    on: date,
    year: int = STOCK_YEAR,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """States whose GCM vote and treaty record point different ways, one row per State and instrument.

    ``voted_yes_not_party``: voted yes to the Global Compact (73/195) and is signatory only, none or
    withdrawn on the instrument. ``party_not_voted_yes``: party or pending, and voted no, abstained or
    was absent. Unknown and not-eligible statuses are neither. Migrant stock is given for weight.
    """
    figures = _figures_of(states, reference, year, figures).set_index("iso3")
    chosen = status[status["instrument"].isin(instruments) & status["iso3"].isin(figures.index)]
    chosen = chosen.assign(gcm_vote=chosen["iso3"].map(figures["gcm_vote"]))
    voted_yes = chosen["gcm_vote"] == "yes"
    had_vote = chosen["gcm_vote"] != NO_VOTE
    yes_not_party = voted_yes & chosen["status"].isin(GAP_STATUSES)
    party_not_yes = had_vote & ~voted_yes & chosen["status"].isin(CONSENT_GIVEN)
    frame = chosen[yes_not_party | party_not_yes].copy()
    frame["direction"] = [VOTED_YES_NOT_PARTY if flag else PARTY_NOT_VOTED_YES for flag in yes_not_party[
        yes_not_party | party_not_yes]]  # fmt: skip
    frame = frame.join(figures[["name_en", "region", "subregion", "migrant_stock"]], on="iso3")
    order = {instrument: place for place, instrument in enumerate(instruments)}
    frame = frame.assign(instrument_order=frame["instrument"].map(order)).sort_values(
        ["instrument_order", "direction", "migrant_stock", "iso3"], ascending=[True, False, False, True],
        na_position="last")  # fmt: skip
    columns = STATE_COLUMNS + ["instrument", "direction", "gcm_vote", "status", "migrant_stock"]
    return _dated(frame[columns].reset_index(drop=True), on, year)


def gcm_commitment_summary(
    status: pd.DataFrame,
    states: pd.DataFrame,
    reference: ReferenceData,
    instruments: Sequence[str],
    on: date,
    year: int = STOCK_YEAR,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per instrument: States by GCM vote (yes / other vote) crossed with joined / not joined / unknown."""
    figures = _figures_of(states, reference, year, figures)
    votes = dict(zip(figures["iso3"], figures["gcm_vote"], strict=True))
    # one pass over the status rows, counting per (instrument, vote, answer)
    counts: Counter[tuple[str, str, str]] = Counter()
    wanted = set(instruments)
    for instrument, iso3, status_word in zip(*_columns(status, "instrument", "iso3", "status"), strict=True):
        vote = votes.get(iso3)
        if vote is None or instrument not in wanted:
            continue
        side = "yes" if vote == "yes" else NO_VOTE if vote == NO_VOTE else "other_vote"
        # joined, not joined, or unknown / not eligible: no claim either way
        answer = "joined" if status_word in CONSENT_GIVEN else "not_joined" if status_word in GAP_STATUSES else "open"
        counts[instrument, side, answer] += 1
    rows = []
    for instrument in instruments:
        row: dict[str, object] = {"instrument": instrument}
        for side in ("yes", "other_vote"):
            row[f"{side}_joined"] = counts[instrument, side, "joined"]
            row[f"{side}_not_joined"] = counts[instrument, side, "not_joined"]
            row[f"{side}_unknown_or_not_eligible"] = counts[instrument, side, "open"]
        row["no_vote"] = sum(counts[instrument, NO_VOTE, answer] for answer in ("joined", "not_joined", "open"))
        rows.append(row)
    return pd.DataFrame(rows).assign(gcm_vote_date=GCM_VOTE_DATE, status_as_of=on)


def migrant_specific(instruments: Sequence[str]) -> list[str]:
    """The instruments, in the given order, that belong to the bundled ``migrants`` set (ICRMW, C097, ...)."""
    from rt2gaps.catalogue import load_set

    specific = set(load_set(MIGRANT_SPECIFIC_SET).instruments)
    return [instrument for instrument in instruments if instrument in specific]


def report_tables(
    status: pd.DataFrame,
    states: pd.DataFrame,
    instruments: Sequence[str],
    on: date,
    reference: ReferenceData | None = None,
) -> dict[str, pd.DataFrame]:
    """The migrant tables of a report run, by table name (``REPORT_TABLES``), from the committed reference.

    The GCM commitment gap compares the set's migrant-specific instruments only (those of the bundled
    ``migrants`` set); the other tables cover every instrument of the set.
    """
    reference = reference or bundled_reference()
    specific = migrant_specific(instruments)
    figures = state_figures(states, reference)  # once for the five tables
    return {
        "migrants_affected": migrants_affected(status, states, reference, instruments, on, figures=figures),
        "top_destinations": top_destinations(
            status, states, reference, instruments, on, TOP_DESTINATIONS_SHOWN, figures=figures
        ),  # fmt: skip
        "origin_destination": origin_destination(status, states, reference, instruments, on, figures=figures),
        "gcm_commitment_gap": gcm_commitment_gap(status, states, reference, specific, on, figures=figures),
        "gcm_commitment_summary": gcm_commitment_summary(status, states, reference, specific, on, figures=figures),
    }


def state_migration_facts(
    iso3: str, states: pd.DataFrame, reference: ReferenceData | None = None, year: int = STOCK_YEAR
) -> dict[str, object]:
    """One State's migration facts for a country brief: stock, share, emigrants, refugees, role and GCM vote.

    Figures are float, NaN where the source has none (a brief shows "no figure", never 0), dated by
    ``figures_as_of``; the vote is dated by ``gcm_vote_date``.
    """
    figures = state_figures(states[states["iso3"] == iso3], reference or bundled_reference(), year)
    if figures.empty:
        raise KeyError(f"{iso3} is not a State of the table given")
    facts = figures.iloc[0].to_dict()
    return {**facts, "figures_as_of": figures_label(year), "gcm_vote_date": GCM_VOTE_DATE}
