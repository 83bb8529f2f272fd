"""The package's layers hold (issue 20): no import cycle, nothing imports a layer above it.

Every ``import`` and ``from ... import`` in every module under ``rt2gaps/`` counts, those inside
functions too, and ``importlib.import_module("rt2gaps....")`` with a constant name; only imports
under ``if TYPE_CHECKING:`` (annotations, never run) are left out. Pure Python (``ast``): no
dependency, no import of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rt2gaps"

# The layers, lowest first. A module belongs to the longest prefix below that names it; a module may
# import its own layer and the layers below, never one above.
LAYER_NAMES = ("sources", "snapshot", "engine", "analyses", "report and refresh", "service and api", "cli")
LAYERS: dict[str, int] = {
    # sources: pure parsers, and what every layer uses (errors, paths, the catalogues, the UI strings)
    "rt2gaps": 0,
    "rt2gaps.sources": 0,
    "rt2gaps.errors": 0,
    "rt2gaps.paths": 0,
    "rt2gaps.atomic": 0,
    "rt2gaps.locking": 0,
    "rt2gaps.names": 0,
    "rt2gaps.i18n": 0,
    "rt2gaps.phrase": 0,
    "rt2gaps.catalogue": 0,
    "rt2gaps.entry_into_force": 0,
    # snapshot: the compiled tables, where they live, and the State groups checked against them
    "rt2gaps.snapshot": 1,
    "rt2gaps.groups": 1,
    # engine: status rules and spells
    "rt2gaps.status": 2,
    "rt2gaps.history": 2,
    "rt2gaps.ilo_membership": 2,  # the ILO membership periods the engine reads not_eligible from
    # analyses
    "rt2gaps.gaps": 3,
    "rt2gaps.migrants": 3,
    "rt2gaps.procedures": 3,
    "rt2gaps.reservations": 3,
    # report and refresh (fetch, import, diff), and the staged writing of a run's files
    "rt2gaps.report": 4,
    "rt2gaps.refresh": 4,
    "rt2gaps.output": 4,
    # the service every surface calls, the typed frames, the Python API
    "rt2gaps.service": 5,
    "rt2gaps.frames": 5,
    "rt2gaps.api": 5,
    # the command line
    "rt2gaps.cli": 6,
    "rt2gaps.__main__": 6,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_import_module(node: ast.AST) -> bool:
    """``import_module("rt2gaps.x")`` (or ``importlib.import_module``) with a constant name."""
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
        return False
    called = getattr(node.func, "id", getattr(node.func, "attr", ""))
    return called == "import_module" and isinstance(node.args[0].value, str)


def _imported_names(tree: ast.AST, package: str) -> set[str]:
    """Dotted names imported anywhere in ``tree`` (functions included), except under ``if TYPE_CHECKING``."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
        elif _is_import_module(node):
            names.add(node.args[0].value)  # type: ignore[attr-defined]
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {n for n in names if n == "rt2gaps" or n.startswith("rt2gaps.")}


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a name imported from a module counts as that module)."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for imported in _imported_names(ast.parse(path.read_text(encoding="utf-8")), package):
            # ``from rt2gaps.report import tables`` imports the module; ``... import write_report`` the package
            while imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def layer_of(module: str) -> int:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(prefixes, key=len)]


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in _modules() if m != "rt2gaps" and layer_of(m) == 0 and m not in LAYERS
                and not m.startswith("rt2gaps.sources")]  # fmt: skip
    assert unplaced == [], "give these modules a layer in LAYERS"


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


def test_nothing_imports_a_layer_above_it() -> None:
    upward = [f"{module} ({LAYER_NAMES[layer_of(module)]}) imports {target} ({LAYER_NAMES[layer_of(target)]})"
              for module, targets in import_graph().items() for target in sorted(targets)
              if layer_of(target) > layer_of(module)]  # fmt: skip
    assert upward == []


def test_the_check_sees_imports_inside_functions() -> None:
    tree = ast.parse("def f():\n    from rt2gaps.cli import main\n    import_module('rt2gaps.gaps')\n")
    assert _imported_names(tree, "rt2gaps") == {"rt2gaps.cli", "rt2gaps.cli.main", "rt2gaps.gaps"}
    guarded = ast.parse("if TYPE_CHECKING:\n    from rt2gaps.api import x\n")
    assert _imported_names(guarded, "rt2gaps") == set()
