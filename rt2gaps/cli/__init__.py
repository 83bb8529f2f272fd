"""The command line: a thin shell of verbs, one module each; the work happens in the library."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rt2gaps import __version__
from rt2gaps.errors import Rt2gapsError

# verb -> module; each module has add_arguments(parser) and run(args) -> int.
# Verb modules keep heavy imports inside run() so that light verbs stay fast.
VERBS = {
    "run": "rt2gaps.cli.run",
    "status": "rt2gaps.cli.status",
    "history": "rt2gaps.cli.history",
    "gaps": "rt2gaps.cli.gaps",
    "brief": "rt2gaps.cli.brief",
    "snapshot": "rt2gaps.cli.snapshot",
    "fetch": "rt2gaps.cli.fetch",
    "import": "rt2gaps.cli.import_",
    "diff": "rt2gaps.cli.diff",
    "procedures": "rt2gaps.cli.procedures",
    "reservations": "rt2gaps.cli.reservations",
}


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="rt2gaps", description="Treaty ratification gaps for migrants' rights.")
    parser.add_argument("--version", action="version", version=f"rt2gaps {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=OneLineParser)
    for verb, module_name in VERBS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # verb not built yet
                continue
            raise
        sub = verbs.add_parser(verb, help=(module.__doc__ or "").strip().splitlines()[0])
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except Rt2gapsError as exc:
        sys.stderr.write(f"rt2gaps: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 0
