"""Shared test fixtures: where the real raw sources are, and a clean skip when they are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SOURCES = Path(os.environ.get("RT2GAPS_SHARED", REPO.parent / "shared" / "sources"))


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    """The real raw files in ../shared/sources; tests that need them skip on a user's fresh clone."""
    if not (SHARED_SOURCES / "README.md").is_file():
        pytest.skip(f"raw sources not present at {SHARED_SOURCES} (set RT2GAPS_SHARED to point at them)")
    return SHARED_SOURCES


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the machine's real user data, cache and mirror settings.

    Without this, a snapshot fetched by the developer (or left by an earlier test) would
    silently replace the bundled one and make results depend on the machine.
    """
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("RT2GAPS_DATA", str(base / "data"))
    monkeypatch.setenv("RT2GAPS_CACHE", str(base / "cache"))
    monkeypatch.delenv("RT2GAPS_MIRROR", raising=False)
