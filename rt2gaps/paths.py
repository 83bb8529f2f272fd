"""Where things live: the bundled data folder, the raw sources, the reports folder."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
BUNDLED_SNAPSHOT_DIR = DATA_DIR / "snapshot"
SETS_DIR = DATA_DIR / "sets"
REPORTS_DIR = REPO_ROOT / "reports"


def shared_sources_dir() -> Path:
    """The raw source files: $RT2GAPS_SHARED, else ../shared/sources beside the checkout."""
    return Path(os.environ.get("RT2GAPS_SHARED", REPO_ROOT.parent / "shared" / "sources"))
