"""Install anywhere: the data folder shipped in the wheel, reports in the working directory, a read-only bundle."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import rt2gaps.paths as paths
from rt2gaps.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_every_code_package_is_shipped() -> None:
    """The wheel's package list names every folder of code under rt2gaps/ (a new one would be left out)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "rt2gaps").rglob("__init__.py")}
    assert on_disk | {"rt2gaps.data"} == set(config["packages"])
    assert config["package-dir"] == {"rt2gaps.data": "data"}
    assert config["package-data"]["rt2gaps.data"] == ["**/*"]


def test_checkout_reads_data_at_the_top_of_the_repository() -> None:
    assert paths.DATA_DIR == REPO / "data"
    assert paths.IN_CHECKOUT
    assert (paths.BUNDLED_SNAPSHOT_DIR / "states.csv").is_file()


def test_reports_default_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.reports_dir() == tmp_path / "reports"
    assert main(["brief", "MEX"]) == 0
    assert (tmp_path / "reports" / "briefs").is_dir()


def test_snapshot_build_in_an_installed_copy_refuses_to_touch_the_bundle(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An installed package's snapshot is read-only: one line saying what to pass, exit 2, nothing written."""
    monkeypatch.setattr(paths, "IN_CHECKOUT", False)
    before = {p: p.stat().st_mtime_ns for p in paths.BUNDLED_SNAPSHOT_DIR.iterdir()}
    assert main(["snapshot", "build", "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rt2gaps: error: snapshot build rewrites a checkout's data/ folder")
    assert "--reference-out DIR" in err and err.count("\n") == 1
    assert {p: p.stat().st_mtime_ns for p in paths.BUNDLED_SNAPSHOT_DIR.iterdir()} == before
    assert not (tmp_path / "s").exists()


def test_snapshot_build_without_sources_names_the_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code = main(
        [
            "snapshot",
            "build",
            "--sources",
            str(missing),
            "--out",
            str(tmp_path / "s"),
            "--reference-out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert f"no raw sources folder at {missing}" in capsys.readouterr().err
    assert not (tmp_path / "s").exists() and not (tmp_path / "r").exists()
