"""The recorded vote on UNGA resolution 73/195 (Global Compact for Migration, 19 December 2018).

One row per UN member. ``absent`` means not in the roll call (the unvotes data keep only yes, no and
abstain), so it is a real category here, not a missing value.
"""

from __future__ import annotations

import pandas as pd

from rt2gaps.errors import CountMismatchError, SourceLayoutError
from rt2gaps.sources.text_csv import read_text_table

VOTES = ("yes", "no", "abstain", "absent")
REQUIRED_COLUMNS = ("iso3", "iso2", "m49", "un_name", "vote", "note")
COLUMNS = ("iso3", "iso2", "m49", "un_name", "vote", "name_in_unvotes", "note")
RECORDED_TOTALS = {"yes": 152, "no": 5, "abstain": 12, "absent": 24}  # the UN's record of the meeting
UN_MEMBER_COUNT = 193


def parse(data: bytes, source: str = "<bytes>") -> pd.DataFrame:
    """Columns: ``iso3``, ``iso2`` str (Namibia's ``NA`` kept), ``m49`` int64, ``un_name`` str,
    ``vote`` str (one of VOTES), ``name_in_unvotes`` str ("" if absent or not in the file), ``note`` str."""
    table = read_text_table(data, source, REQUIRED_COLUMNS)
    if "name_in_unvotes" not in table.columns:
        table["name_in_unvotes"] = ""
    table = table[list(COLUMNS)].apply(lambda column: column.str.strip())
    table["vote"] = table["vote"].str.lower()
    unknown = table[~table["vote"].isin(VOTES)]
    if not unknown.empty:
        row = unknown.iloc[0]
        raise SourceLayoutError(
            source, f"votes {'|'.join(VOTES)}", f"{row['vote']!r} for {row['iso3']} (row {int(unknown.index[0]) + 2})"
        )
    codes = pd.to_numeric(table["m49"], errors="coerce")
    if codes.isna().any():
        row = int(codes.isna().idxmax())
        found = f"{table['m49'].iloc[row]!r} in row {row + 2}"
        raise SourceLayoutError(source, "a numeric m49 code on every row", found)
    table["m49"] = codes.astype("int64")
    if not table["iso3"].is_unique:
        repeated = sorted(set(table["iso3"][table["iso3"].duplicated()]))
        raise SourceLayoutError(source, "one row per State", f"repeated iso3 {repeated}")
    return table.reset_index(drop=True)


def vote_totals(frame: pd.DataFrame) -> dict[str, int]:
    """Count of each vote, every category present (0 when none): {"yes": .., "no": .., "abstain": .., "absent": ..}."""
    counts = frame["vote"].value_counts()
    return {vote: int(counts.get(vote, 0)) for vote in VOTES}


def check_vote_totals(frame: pd.DataFrame, source: str) -> None:
    """Raise unless the file gives the UN's recorded totals (152 yes, 5 no, 12 abstain, 24 absent; 193 members)."""
    totals = vote_totals(frame)
    if totals != RECORDED_TOTALS or len(frame) != UN_MEMBER_COUNT:
        raise CountMismatchError(
            f"{source}: vote totals {totals} over {len(frame)} rows; the UN recorded {RECORDED_TOTALS} "
            f"over {UN_MEMBER_COUNT} members"
        )
