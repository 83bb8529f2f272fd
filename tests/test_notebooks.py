"""The notebooks run top to bottom, offline, in a fresh kernel: a broken notebook fails the suite.

Marked ``notebooks`` (select with ``-m notebooks``, skip with ``-m "not notebooks"``); about 30 s.
The committed files must carry no outputs and must be what ``notebooks/make_notebooks.py`` writes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = [
    "01_overview.ipynb",
    "02_country.ipynb",
    "03_over_time.ipynb",
    "04_who_is_affected.ipynb",
    "05_accountability.ipynb",
]
CELL_TIMEOUT_S = 120

pytestmark = pytest.mark.notebooks


def generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", NOTEBOOKS_DIR / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs_and_matches_its_generator(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: commit it without outputs"
    assert notebook == generator().build(name), f"{name}: regenerate with python notebooks/make_notebooks.py"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_uses_only_the_public_api(name: str) -> None:
    """``import rt2gaps`` and its top-level functions: no internal module, so no copied or private logic."""
    import re

    import rt2gaps

    code = "\n".join(c.source for c in generator().build(name).cells if c.cell_type == "code")
    assert not re.search(r"from rt2gaps\b|import rt2gaps\.", code), name
    used = set(re.findall(r"\brt2gaps\.(\w+)", code))
    assert used and used <= set(rt2gaps.PUBLIC), used - set(rt2gaps.PUBLIC)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name: str, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    client.execute()  # raises CellExecutionError, naming the cell, on the first failure
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{name}: no chart was displayed"
