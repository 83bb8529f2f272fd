"""Where things live: the bundled data folder, the raw sources, the reports folder.

The catalogues and the bundled snapshot live in ``data/`` at the top of the repository. A wheel
ships that folder inside the package (``rt2gaps/data``, mapped in pyproject.toml); a checkout (or an
editable install) reads it where it is. Either way it is found through ``importlib.resources``, and
reports default to ``./reports`` in the working directory, never into the installed package.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _bundled_data_dir() -> tuple[Path, bool]:
    """The data folder and whether it is a checkout's (writable by ``snapshot build``)."""
    shipped = files("rt2gaps").joinpath("data")
    if shipped.is_dir():  # a wheel install: data/ was copied into the package
        return Path(str(shipped)), False
    return REPO_ROOT / "data", True


DATA_DIR, IN_CHECKOUT = _bundled_data_dir()
BUNDLED_SNAPSHOT_DIR = DATA_DIR / "snapshot"
SETS_DIR = DATA_DIR / "sets"


def reports_dir() -> Path:
    """The default ``--out``: ``reports`` in the current working directory, for every install."""
    return Path.cwd() / "reports"


def shared_sources_dir() -> Path:
    """The raw source files: $RT2GAPS_SHARED, else ../shared/sources beside the checkout."""
    return Path(os.environ.get("RT2GAPS_SHARED", REPO_ROOT.parent / "shared" / "sources"))
