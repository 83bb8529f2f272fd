"""The command line: -q/-v on every verb, examples at the end of each --help, every option in the README,
text tables that fit a 100-column terminal."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from rt2gaps.cli import VERBS, build_parser, leaf_parsers, main

README = Path(__file__).resolve().parents[1] / "README.md"
ON = "2026-02-03"


def verb_parsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return dict(parser.subparsers.choices)


def test_every_verb_is_built() -> None:
    assert set(verb_parsers()) == set(VERBS)


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_takes_quiet_and_verbose(verb: str) -> None:
    for leaf in leaf_parsers(verb_parsers()[verb]):
        options = {o for action in leaf.added for o in action.option_strings}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, leaf.prog


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_help_ends_with_two_or_three_examples(verb: str) -> None:
    text = verb_parsers()[verb].format_help().rstrip("\n").splitlines()
    start = text.index("examples:")
    examples = text[start + 1 :]
    assert 2 <= len(examples) <= 3, examples
    assert all(line.startswith(f"  rt2gaps {verb}") for line in examples), examples


def readme_rows(verb: str) -> str:
    """The README command-table rows of a verb (a verb may have more than one row)."""
    rows = [line for line in README.read_text(encoding="utf-8").splitlines()
            if re.match(rf"\| `rt2gaps {verb}\b", line)]  # fmt: skip
    assert rows, f"no README row for {verb}"
    return "\n".join(rows)


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_option_of_every_verb_is_in_the_readme(verb: str) -> None:
    rows = readme_rows(verb)
    for leaf in leaf_parsers(verb_parsers()[verb]):
        for action in leaf.added:
            for option in action.option_strings:
                if option in ("-h", "--help", "-q", "--quiet", "-v", "--verbose"):
                    continue  # said once for every verb under the table
                assert re.search(rf"{re.escape(option)}\b", rows), f"{leaf.prog} {option} missing from the README"
    assert "`-q/--quiet`" in README.read_text(encoding="utf-8")


def test_quiet_run_prints_nothing_and_verbose_says_the_steps(tmp_path: Path, capsys) -> None:
    assert main(["run", "--no-charts", "--as-of", ON, "--set", "migrants", "--out", str(tmp_path / "q"), "-q"]) == 0
    quiet = capsys.readouterr()  # warnings about unknown data stay: a score must say how much is known
    assert quiet.out == "" and "wrote" not in quiet.err and "rt2gaps: snapshot" not in quiet.err
    assert main(["run", "--no-charts", "--as-of", ON, "--set", "migrants", "--out", str(tmp_path / "v"), "-v"]) == 0
    verbose = capsys.readouterr()
    assert "wrote" in verbose.out and "rt2gaps: snapshot " in verbose.err and "States x" in verbose.err
    assert main(["run", "--no-charts", "--as-of", ON, "--set", "migrants", "--out", str(tmp_path / "n")]) == 0
    normal = capsys.readouterr()
    assert "wrote" in normal.out and "rt2gaps: snapshot" not in normal.err


@pytest.mark.parametrize(
    "argv",
    [["gaps", "--format", "text"], ["gaps", "--format", "text", "--country", "PHL"],
     ["gaps", "--format", "text", "--set", "annex-b"], ["status", "--format", "text", "--instruments", "ICRMW,C029"]],
)  # fmt: skip
def test_text_tables_fit_100_columns(argv: list[str], capsys) -> None:
    assert main([*argv, "--as-of", ON]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 1 and max(len(line) for line in lines) <= 100
    if "status" in argv or "--country" in argv:  # labels for people, not codes
        assert "No action" in "\n".join(lines) and not [line for line in lines if " none " in line]


def test_gaps_text_says_how_much_is_known(capsys) -> None:
    """A coverage on a terminal is a range with its known share, and an unranked State shows no rank."""
    assert main(["gaps", "--format", "text", "--set", "migrants", "--as-of", ON]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[header.index("Coverage") + 1] == "Known"
    chile = next(line for line in lines if line.startswith("CHL "))
    assert chile.split()[-2:] == ["42–100%", "42%"]  # party to 5 of 12, 7 unknown: 5 of 12 known, no rank


def test_status_text_is_one_date(capsys) -> None:
    assert main(["status", "--format", "text", "--from", "2000-12-31"]) == 2
    assert "--format text" in capsys.readouterr().err


def test_a_command_runs_with_a_rarer_garbage_collector_and_restores_the_callers(monkeypatch) -> None:
    """The cyclic collector runs less often during a command (10-15 % of a run's CPU), and main() called
    from Python leaves the caller's thresholds as they were."""
    import gc

    import rt2gaps.cli as cli

    during: list[tuple[int, ...]] = []
    monkeypatch.setattr(cli, "_main", lambda argv: during.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    assert cli.main(["gaps"]) == 0
    assert during == [cli.GC_THRESHOLDS] != [before]
    assert gc.get_threshold() == before
