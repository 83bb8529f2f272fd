"""Import pages saved from a browser: say what each file is, parse it, and merge it like a fetch.

Recognised: a UNTC ViewDetails status page, an MTDSG XML file, a NORMLEX per-convention ratification
page (English or French) and the NORMLEX comparative table of fundamental instruments. A file that is
none of these is refused by name before anything is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.refresh.fetch import PARSE, UPDATED, FetchReport, Outcome, swap_in
from rt2gaps.snapshot.build import PlannedSource
from rt2gaps.sources.records import ParsedSource

_CONVENTION_TITLE = re.compile(rb"Ratifications?\s+(?:of|de|du|des)\s+(?:<[^>]*>\s*)*[CP]\d{3}\b", re.IGNORECASE)
_FUNDAMENTAL_CODES = (b"C087", b"C098", b"C029", b"C105", b"C100", b"C111", b"C138", b"C182")


@dataclass(frozen=True)
class IdentifiedFile:
    """A saved file, what it is, what it says, and which catalogue instruments it covers."""

    path: Path
    format: str
    parsed: ParsedSource
    instruments: tuple[str, ...]


def identify_format(data: bytes) -> str | None:
    """The format of a saved page from its own content (never its file name); None when unknown."""
    head = data[:65536]
    if b"<Document" in head and b"<Treaty" in data[:200000]:
        return "mtdsg-xml"
    if b"tblgrid" in data and (b"STATUS AS AT" in data or b"rptStatus" in data):
        return "untc-html"
    if _CONVENTION_TITLE.search(data):
        return "normlex-convention"
    if sum(code in data for code in _FUNDAMENTAL_CODES) >= 6 and (b"show_year" in data or b"grid" in data):
        return "normlex-table-html"
    return None


def _instruments_of(parsed: ParsedSource, fmt: str, catalogue: dict[str, Instrument], name: str) -> tuple[str, ...]:
    if fmt in ("mtdsg-xml", "untc-html"):
        by_mtdsg = {i.mtdsg: i.id for i in catalogue.values() if i.mtdsg}
        if parsed.source_key not in by_mtdsg:
            raise Rt2gapsError(f"{name}: the page is for MTDSG {parsed.source_key or '?'}, not a catalogue instrument")
        return (by_mtdsg[parsed.source_key],)
    if fmt == "normlex-convention":
        if parsed.source_key not in catalogue:
            raise Rt2gapsError(f"{name}: the page is for {parsed.source_key}, not a catalogue instrument")
        return (parsed.source_key,)
    return tuple(sorted({row.instrument for row in parsed.rows if row.instrument in catalogue}))


def identify_file(path: Path) -> IdentifiedFile:
    """Read, identify and parse one saved file; a clear error naming the file when it is none of the four."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Rt2gapsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    fmt = identify_format(data)
    if fmt is None:
        raise Rt2gapsError(
            f"{path}: not a page rt2gaps can import (expected a UNTC ViewDetails page, an MTDSG XML file, a NORMLEX "
            "ratification page of one convention, or the NORMLEX table of fundamental conventions)"
        )
    parsed = PARSE[fmt](data, path.name)
    instruments = _instruments_of(parsed, fmt, load_instruments(), str(path))
    if not instruments:
        raise Rt2gapsError(f"{path}: no catalogue instrument in this {fmt} file")
    return IdentifiedFile(path=path, format=fmt, parsed=parsed, instruments=instruments)


def _file_day(path: Path) -> date:
    return date.fromtimestamp(path.stat().st_mtime)


def plan_imports(files: list[IdentifiedFile], as_of: date | None) -> tuple[dict[str, PlannedSource], list[Outcome]]:
    """One PlannedSource per instrument; a per-convention page wins over the comparative table."""
    plan: dict[str, PlannedSource] = {}
    outcomes: list[Outcome] = []
    ranked = sorted(files, key=lambda f: f.format == "normlex-table-html", reverse=True)  # tables first, pages win
    for item in ranked:
        if item.parsed.as_of:
            day, basis = item.parsed.as_of, "page stamp"
        elif as_of:
            day, basis = as_of, "--as-of given at import"
        else:
            day, basis = _file_day(item.path), "modification date of the saved file (no stamp, no --as-of)"
        source = "untc" if item.format in ("mtdsg-xml", "untc-html") else "normlex"
        for instrument in item.instruments:
            plan[instrument] = PlannedSource(
                format=item.format, path=item.path.resolve(), as_of=day, source_key=f"{item.format}-import-{day}",
                label=item.path.name, as_of_basis=basis, origin=f"page saved from a browser, imported from {item.path}",
            )  # fmt: skip
            outcomes = [o for o in outcomes if o.instrument != instrument]
            outcomes.append(Outcome(source, instrument, UPDATED, url=str(item.path), format=item.format,
                                    as_of=day.isoformat(), downloaded=True))  # fmt: skip
    return plan, outcomes


def import_files(paths: list[Path], data: Path, as_of: date | None = None) -> FetchReport:
    """Identify every file (refusing any unknown one), build them over the current snapshot, swap atomically."""
    files = [identify_file(Path(path)) for path in paths]
    plan, outcomes = plan_imports(files, as_of)
    return swap_in(FetchReport(outcomes), outcomes, plan, data, "import", others="another file")
