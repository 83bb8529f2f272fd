"""The public functions notebooks and scripts use: the same few verbs on every dimension."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.catalogue import Instrument, load_instruments, parse_instrument_ids
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.snapshot.store import Snapshot, load_snapshot

if TYPE_CHECKING:
    import pandas as pd


def current_snapshot() -> Snapshot:
    """The snapshot every command reads: the newest valid user snapshot (fetch, import), else the bundled one.

    The user data folder is ``$RT2GAPS_DATA`` or the platform's; a user snapshot that cannot be read
    whole falls back to the bundled one rather than stopping every command. The folder is chosen on
    every call and each folder loaded once, so a session (a notebook, the tests) that points
    ``RT2GAPS_DATA`` elsewhere reads that folder's snapshot.
    """
    from rt2gaps.refresh.userdata import current_snapshot_dir

    return _snapshot_in(current_snapshot_dir())


def forget_loaded_snapshots() -> None:
    """Drop the loaded snapshots: after a refresh swapped a new one into a folder already read."""
    _snapshot_in.cache_clear()


@lru_cache(maxsize=4)
def _snapshot_in(folder: Path) -> Snapshot:
    from rt2gaps.errors import Rt2gapsError

    if folder != BUNDLED_SNAPSHOT_DIR:
        try:
            return load_snapshot(folder)
        except (Rt2gapsError, OSError, TypeError):
            pass
    return load_snapshot(BUNDLED_SNAPSHOT_DIR)


def instruments_for(ids: str | list[str] | None) -> list[Instrument]:
    """Catalogue instruments for ``"ID,ID"`` or a list of ids; every ratifiable one when None."""
    catalogue = load_instruments()
    if ids is None:
        return list(catalogue.values())
    wanted = parse_instrument_ids(ids if isinstance(ids, str) else ",".join(ids))
    return [catalogue[i] for i in wanted]


def status(
    as_of: date | str | None = None,
    instruments: str | list[str] | None = None,
    universe: str = "all",
) -> pd.DataFrame:
    """Status of every State of the universe on every instrument on a date, as a DataFrame."""
    import pandas as pd

    from rt2gaps.status import STATUS_COLUMNS, status_rows

    on = date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or date.today())
    rows = status_rows(current_snapshot(), instruments_for(instruments), on, universe)
    return pd.DataFrame([r.as_row() for r in rows], columns=STATUS_COLUMNS)
