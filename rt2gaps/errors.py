"""One error type for bad input, so every verb can end with one clear line and exit 2."""


class Rt2gapsError(Exception):
    """Bad input or a source that breaks an expectation; the message names what and where."""

    exit_code = 2


class SourceLayoutError(Rt2gapsError):
    """A source file no longer has the layout its parser expects (a changed page, a lost column)."""

    def __init__(self, source: str, expected: str, found: str) -> None:
        self.source = source
        self.expected = expected
        self.found = found
        super().__init__(f"{source}: expected {expected}, found {found}")


class CountMismatchError(Rt2gapsError):
    """Parsed counts differ from the source's own header counts."""
