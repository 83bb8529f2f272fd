"""One error type for bad input, so every verb can end with one clear line and exit 2."""

from __future__ import annotations

from datetime import date


class Rt2gapsError(Exception):
    """Bad input or a source that breaks an expectation; the message names what and where."""

    exit_code = 2


class ArgumentError(ValueError):
    """A bad argument of a service function: ``argument`` is its Python name (``as_of``).

    The message says what is wrong with the value and may name other arguments (``mentions``); the
    command line puts each one's option in its place (``--as-of``).
    """

    def __init__(self, argument: str, message: str, mentions: tuple[str, ...] = ()) -> None:
        self.argument = argument
        self.message = message
        self.mentions = mentions
        super().__init__(f"{argument}: {message}")


class ProjectionWarning(UserWarning):
    """A date after today: its answers are projected from the acts known today."""

    def __init__(self, argument: str, day: date, text: str) -> None:
        self.argument = argument
        self.day = day
        self.text = text
        super().__init__(f"{argument} {day.isoformat()}: {text}")


class SourceLayoutError(Rt2gapsError):
    """A source file no longer has the layout its parser expects (a changed page, a lost column)."""

    def __init__(self, source: str, expected: str, found: str) -> None:
        self.source = source
        self.expected = expected
        self.found = found
        super().__init__(f"{source}: expected {expected}, found {found}")


class CountMismatchError(Rt2gapsError):
    """Parsed counts differ from the source's own header counts."""


def one_line(text: str, limit: int = 300) -> str:
    """A message cut to ``limit`` characters, so a huge argument is never echoed back whole."""
    return text if len(text) <= limit else text[: limit - 30] + f"… ({len(text)} characters)"
