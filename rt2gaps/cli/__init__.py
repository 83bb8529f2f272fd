"""The command line: a thin shell of verbs, one module each; the work happens in the library."""

from __future__ import annotations

import argparse
import importlib
import sys
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from rt2gaps import __version__
from rt2gaps.cli.options import add_verbosity, set_verbosity
from rt2gaps.errors import ArgumentError, ProjectionWarning, Rt2gapsError, one_line

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
    "instruments": "rt2gaps.cli.instruments",
    "sets": "rt2gaps.cli.sets",
}


# The last lines of each verb's --help: two or three commands a reader can copy.
EXAMPLES = {
    "run": ["rt2gaps run", "rt2gaps run --set migrants --lang fr --briefs --brief-format docx",
            "rt2gaps run --group sids --since-snapshot --no-charts --out reports/sids"],
    "status": ["rt2gaps status --instruments ICRMW,C189 --as-of 2026-02-03",
               "rt2gaps status --group ldc --format text",
               "rt2gaps status --from 1990-12-31 --every year --instruments ICRMW > panel.csv"],
    "history": ["rt2gaps history --instruments ICRMW > spells.csv",
                "rt2gaps history --group sids --format parquet > spells.parquet"],
    "gaps": ["rt2gaps gaps --format text", "rt2gaps gaps --country PHL --format text",
             "rt2gaps gaps --set migrants --group lldc > gaps.csv"],
    "brief": ["rt2gaps brief PHL", "rt2gaps brief --country Senegal --lang fr --format docx",
              "rt2gaps brief FJI --group sids --format html --out reports/sids"],
    "snapshot": ["rt2gaps snapshot info", "rt2gaps snapshot build --sources ../shared/sources"],
    "fetch": ["rt2gaps fetch", "rt2gaps fetch --source normlex --instruments C097,C143,C181,C189,C190",
              "rt2gaps fetch --mirror http://127.0.0.1:8000 --timeout 10 --retries 1"],
    "import": ["rt2gaps import ~/Downloads/cmw.html", "rt2gaps import C189_en.html C190_fr.html --as-of 2026-03-01",
               'rt2gaps import c189.txt --instrument C189 --source "NORMLEX C189 page" --as-of 2026-03-01'],
    "diff": ["rt2gaps diff", "rt2gaps diff 2018-12-19 2026-02-03 --format csv > changes.csv",
             "rt2gaps diff bundled current --on 2026-02-03"],
    "procedures": ["rt2gaps procedures --as-of 2026-02-03", "rt2gaps procedures --procedures ICRMW-77 --group ldc",
                   "rt2gaps procedures --list"],
    "reservations": ["rt2gaps reservations --instruments ICRMW", "rt2gaps reservations --country PHL > phl.csv"],
    "instruments": ["rt2gaps instruments --format text", "rt2gaps instruments > instruments.csv"],
    "sets": ["rt2gaps sets --format text", "rt2gaps sets > sets.csv"],
}  # fmt: skip


def examples_epilog(verb: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES.get(verb, []))


def leaf_parsers(parser: OneLineParser) -> list[OneLineParser]:
    """The parser itself, or the parsers of its actions (``snapshot build``, ``snapshot info``)."""
    if parser.subparsers is None:
        return [parser]
    return [leaf for child in parser.subparsers.choices.values() for leaf in leaf_parsers(child)]


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2, and keeps what was added to it.

    ``added`` holds every argument (those of its groups too) and ``subparsers`` its verbs or actions,
    so the command line walks its own parsers through public methods only.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.added: list[argparse.Action] = []
        self.subparsers: Any = None
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        self.added.append(action)
        return action

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        group = super().add_mutually_exclusive_group(**kwargs)
        add_to_group = group.add_argument

        def add_argument(*args: Any, **more: Any) -> argparse.Action:
            action = add_to_group(*args, **more)
            self.added.append(action)
            return action

        group.add_argument = add_argument  # type: ignore[method-assign]  # on purpose: records what is added
        return group

    def add_subparsers(self, **kwargs: Any) -> Any:
        self.subparsers = super().add_subparsers(**kwargs)
        return self.subparsers

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {one_line(message)}\n")
        raise SystemExit(2)


MAX_ARGUMENT = 4096  # the longest path a system accepts; a longer argument is refused without echoing it


def checked_value(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type`` that first refuses an empty value, a control character or an overlong argument."""

    def check(text: str) -> Any:
        if not text.strip():
            raise argparse.ArgumentTypeError("an empty value is not accepted")
        if len(text) > MAX_ARGUMENT:
            raise argparse.ArgumentTypeError(f"{len(text)} characters; at most {MAX_ARGUMENT} are accepted")
        bad = next((c for c in text if unicodedata.category(c) == "Cc"), None)
        if bad is not None:
            raise argparse.ArgumentTypeError(f"control character {bad!r} at position {text.index(bad) + 1}")
        return convert(text)

    check.__name__ = getattr(convert, "__name__", "value")
    return check


def check_every_value(parser: OneLineParser) -> None:
    """Put ``checked_value`` on every option and positional that takes a value, in sub-parsers too."""
    for action in parser.added:
        convert = action.type or str
        # not a flag, not --help or --version; a type name registered with parser.register (none here) stays
        if action.nargs != 0 and callable(convert):
            action.type = checked_value(convert)
    if parser.subparsers is not None:
        for child in parser.subparsers.choices.values():
            check_every_value(child)


def build_parser() -> OneLineParser:
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
        sub = verbs.add_parser(verb, help=(module.__doc__ or "").strip().splitlines()[0], epilog=examples_epilog(verb),
                               formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
        module.add_arguments(sub)
        for leaf in leaf_parsers(sub):  # -q/-v on every verb (and on each of snapshot's actions)
            add_verbosity(leaf)
        sub.set_defaults(handler=module.run)
    check_every_value(parser)
    return parser


# a service argument's option where it is not ``--`` and the argument's name with hyphens
OPTION_OF = {"recommended_set": "--set", "start": "--from", "end": "--to", "step": "--every", "dates": "--from"}


def option_of(argument: str) -> str:
    """The command line's option for a service argument (``as_of`` -> ``--as-of``); an option or OLD as it is."""
    if argument.startswith("-") or argument.isupper():
        return argument
    return OPTION_OF.get(argument, "--" + argument.replace("_", "-"))


def argument_message(error: ArgumentError) -> str:
    """The service's message with options in place of argument names: ``--as-of: '2026-13-01' is not a date``."""
    import re

    message = error.message
    for name in error.mentions:
        message = re.sub(rf"\b{re.escape(name)}\b(?!_)", option_of(name), message)
    return f"{option_of(error.argument)}: {message}"


def _show_warning(message: Warning | str, category: type[Warning], *rest: object, **more: object) -> None:
    """A warning as one line on stderr; a projected date names its option (``--as-of 2030-01-01: ...``)."""
    if isinstance(message, ProjectionWarning):
        text = f"{option_of(message.argument)} {message.day.isoformat()}: {message.text}"
    else:
        text = str(message)
    sys.stderr.write(f"rt2gaps: warning: {text}\n")


class Stopped(SystemExit):
    """SIGTERM: unwinds like an error (workers stopped, temporary files removed), then exit code 143."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise Stopped(128 + signum)


# A command allocates millions of small objects (pandas, openpyxl, matplotlib) and frees them at exit: the
# cyclic garbage collector, run every 700 allocations by default, costs 10-15 % of a run's CPU for little.
GC_THRESHOLDS = (50_000, 20, 100)


def main(argv: Sequence[str] | None = None) -> int:
    import gc
    import signal
    import threading

    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)  # the chart workers, forked from this process, inherit it
    try:
        if threading.current_thread() is not threading.main_thread():
            return _main(argv)
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            return _main(argv)
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        gc.set_threshold(*thresholds)  # main() called from Python (tests, notebooks) leaves the caller's as they were


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    set_verbosity(args)
    try:
        with warnings.catch_warnings():  # the service's warnings (a projected date) as one line each
            warnings.simplefilter("always", ProjectionWarning)
            warnings.showwarning = _show_warning
            return int(args.handler(args) or 0)
    except ArgumentError as exc:
        sys.stderr.write(f"rt2gaps: error: {one_line(argument_message(exc), 4000)}\n")
        return 2
    except Rt2gapsError as exc:
        sys.stderr.write(f"rt2gaps: error: {one_line(str(exc), 4000)}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("rt2gaps: stopped by SIGINT\n")
        return 130
    except Stopped as exc:
        sys.stderr.write("rt2gaps: stopped by SIGTERM\n")
        return int(exc.code or 143)
    except OSError as exc:  # a folder or file the system refused (read-only, full, a name too long): one line
        where = one_line(str(exc.filename), 200) if exc.filename else "a file"
        sys.stderr.write(f"rt2gaps: error: {where}: {exc.strerror or exc}; nothing more was written\n")
        return 2
