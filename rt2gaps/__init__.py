"""rt2gaps: treaty ratification gap analyser for migrants'-rights accountability.

The Python API (each returns a typed pandas DataFrame; see ``rt2gaps.api``)::

    import rt2gaps
    rt2gaps.status(as_of=None, instruments=None, universe="all", group=None)   # one date
    rt2gaps.panel(dates, instruments=None, universe="all", group=None)         # many dates
    rt2gaps.history(instruments=None, universe="all", group=None)              # spells
    rt2gaps.gaps(recommended_set="rt2-priority", as_of=None, group=None)      # Country gaps
    rt2gaps.states(); rt2gaps.instruments(); rt2gaps.sets()
    rt2gaps.report(recommended_set="rt2-priority", as_of=None)               # tables, charts, briefs
    rt2gaps.procedures(as_of=None, procedures=None, universe="all", group=None)  # complaints procedures
    rt2gaps.reservations(instruments=None, country=None)                       # reservations, declarations
    rt2gaps.run(set="rt2-priority", as_of=None, out=None, charts=True, briefs=False)  # write what `rt2gaps run` writes

The functions are loaded on first use, so ``import rt2gaps`` (and the command line) stays light.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it; add a function here to make it ``rt2gaps.<name>``
PUBLIC = {
    "status": "rt2gaps.api",
    "panel": "rt2gaps.api",
    "history": "rt2gaps.api",
    "gaps": "rt2gaps.api",
    "states": "rt2gaps.api",
    "instruments": "rt2gaps.api",
    "sets": "rt2gaps.api",
    "report": "rt2gaps.api",
    "procedures": "rt2gaps.api",
    "reservations": "rt2gaps.api",
    "run": "rt2gaps.api",
}
__all__ = ["__version__", *PUBLIC]

if TYPE_CHECKING:
    from rt2gaps.api import (  # noqa: F401
        gaps,
        history,
        instruments,
        panel,
        procedures,
        report,
        reservations,
        run,
        sets,
        states,
        status,
    )


class _Package(ModuleType):
    """The package object: ``rt2gaps.status`` stays the function after ``import rt2gaps.status``.

    Importing a submodule normally sets it as an attribute of its package; five submodules share a
    name with a public function (``status``, ``gaps``, ``history``, ``procedures``, ``reservations``),
    so that assignment is skipped here. The submodules stay importable by their full name
    (``from rt2gaps.status import ...``); ``from rt2gaps import status`` gives the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in PUBLIC and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in PUBLIC:
        return getattr(import_module(PUBLIC[name]), name)
    raise AttributeError(f"module 'rt2gaps' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Only the API: the functions and ``__version__`` (not the submodules or this file's helpers)."""
    return sorted(__all__)
