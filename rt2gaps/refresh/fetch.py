"""Plan the depositary URLs of each catalogue instrument, download them concurrently, build the result.

UNTC: the MTDSG XML first, the ViewDetails HTML page when the XML is missing (404/410) or holds no
participant table. NORMLEX: the per-convention ratification page (English), plus the comparative
table of fundamental instruments as a cross-check. Every downloaded body is checked for what it
should be (XML, not an HTML error page) and parsed before anything is built, so a bad page fails
its own instrument with a plain reason; the snapshot is only swapped in when nothing needed failed.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.refresh.http import CachedResponse, Downloader, FetchError, HttpSettings, unreachable_host
from rt2gaps.snapshot.build import PlannedSource
from rt2gaps.sources import mtdsg_xml, normlex_convention, normlex_table, untc_html
from rt2gaps.sources.dates import parse_day_month_year, today_utc
from rt2gaps.sources.records import DAY, ParsedSource

log = logging.getLogger("rt2gaps.fetch")

UNTC = "untc"
NORMLEX = "normlex"
SOURCES = (UNTC, NORMLEX)
MIRROR_ENV = "RT2GAPS_MIRROR"
UNTC_BASE = "https://treaties.un.org"
NORMLEX_BASE = "https://normlex.ilo.org"
XML_PATH = "/doc/Publication/MTDSG/Volume%20I/Chapter%20{roman}/{mtdsg}.en.xml"
VIEWDETAILS_PATH = "/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg}&chapter={chapter}&clang=_en"
NORMLEX_PAGE_PATH = "/dyn/nrmlx_en/f?p=NORMLEXPUB:11300:0::NO::P11300_INSTRUMENT_ID:{normlex_id}"
NORMLEX_TABLE_PATH = "/dyn/nrmlx_en/f?p=1000:10011::::10011:P10011_DISPLAY_BY,P10011_CONVENTION_TYPE_CODE:1,F"
CROSS_CHECK = "fundamentals-table"  # the instrument column of the cross-check row in the outcome table

# Outcomes shown in the table.
UPDATED = "updated"
UNCHANGED = "unchanged"  # every file answered 304: nothing downloaded
FAILED = "failed"
CROSS_CHECKED = "cross-check"
NOT_APPLIED = "not applied"  # fetched fine but not written because something else failed

ROMAN = {1: "I", 4: "IV", 5: "V", 18: "XVIII"}
ARABIC = {value: key for key, value in ROMAN.items()}


@dataclass(frozen=True)
class Download:
    """One instrument's URLs in the order to try them, and the format each should hold."""

    source: str
    instrument: str
    urls: tuple[tuple[str, str], ...]  # (format, url)


@dataclass
class Outcome:
    """One row of the outcome table: what happened to one instrument of one source, and why."""

    source: str
    instrument: str
    outcome: str
    reason: str = ""
    url: str = ""
    format: str = ""
    as_of: str = ""
    downloaded: bool = False
    planned: PlannedSource | None = field(default=None, repr=False)
    parsed: ParsedSource | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.outcome != FAILED


def with_base(base: str, path: str) -> str:
    """``path`` (with its query) on another host: the mirror keeps the depositary's paths."""
    parts = urlsplit(base.rstrip("/"))
    path_part, _, query = path.partition("?")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + path_part, query, ""))


def chapter_of(mtdsg: str) -> tuple[str, int]:
    """Roman and arabic chapter of an MTDSG number: ``IV-13`` -> ("IV", 4)."""
    roman = mtdsg.split("-", 1)[0]
    if roman not in ARABIC:
        raise Rt2gapsError(f"MTDSG number {mtdsg!r}: chapter {roman!r} is not one the catalogue uses")
    return roman, ARABIC[roman]


def checked_mirror(url: str) -> str:
    """``--mirror``: an http(s) URL with a host and a valid port, else one clear error naming it."""
    from rt2gaps.errors import one_line

    shown = one_line(repr(url), 120)
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port outside 0-65535
    except ValueError as exc:
        raise Rt2gapsError(f"--mirror {shown}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Rt2gapsError(f"--mirror {shown}: expected an http:// or https:// URL with a host")
    if port == 0:
        raise Rt2gapsError(f"--mirror {shown}: port 0 is not a port a server listens on")
    return url


def plan_downloads(instruments: Iterable[Instrument], source: str = "all", mirror: str | None = None) -> list[Download]:
    """The URLs to fetch for each instrument of the chosen source(s), on the depositary or the mirror."""
    downloads: list[Download] = []
    untc_base = mirror or UNTC_BASE
    normlex_base = mirror or NORMLEX_BASE
    for instrument in instruments:
        if instrument.body == "UN" and source in ("all", UNTC):
            roman, chapter = chapter_of(instrument.mtdsg)
            xml = with_base(untc_base, XML_PATH.format(roman=roman, mtdsg=instrument.mtdsg))
            html = with_base(untc_base, VIEWDETAILS_PATH.format(mtdsg=instrument.mtdsg, chapter=chapter))
            downloads.append(Download(UNTC, instrument.id, (("mtdsg-xml", xml), ("untc-html", html))))
        elif instrument.body == "ILO" and source in ("all", NORMLEX) and instrument.normlex_id:
            page = with_base(normlex_base, NORMLEX_PAGE_PATH.format(normlex_id=instrument.normlex_id))
            downloads.append(Download(NORMLEX, instrument.id, (("normlex-convention", page),)))
    if source in ("all", NORMLEX) and any(d.source == NORMLEX for d in downloads):
        table = with_base(normlex_base, NORMLEX_TABLE_PATH)
        downloads.append(Download(NORMLEX, CROSS_CHECK, (("normlex-table-html", table),)))
    return downloads


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512] or b"<body" in head


def describe_bytes(data: bytes, expected: str = "XML") -> str:
    """What a body that is neither the XML nor HTML asked for looks like, in a few words."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 50:
        return "UTF-16 text (MTDSG XML is published in ISO-8859-1; rt2gaps does not read UTF-16)"
    if data.startswith(b"\x1f\x8b"):
        return "gzip-compressed bytes"
    if data.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    sample = data[:4096]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample)
    if printable < 0.9 * len(sample):
        return "binary data (not text)"
    return f"text that is not {expected}"


def check_payload(fmt: str, data: bytes, url: str) -> None:
    """Refuse a body that is not the kind of document asked for (an error page, an empty body)."""
    if not data.strip():
        raise FetchError(url, "empty body")
    if fmt == "mtdsg-xml":
        head = data[:4096].lstrip()
        if looks_like_html(data):
            raise FetchError(url, "an HTML page (an error or bot-check page?) where MTDSG XML was expected")
        if not head.startswith(b"<"):
            raise FetchError(url, f"{describe_bytes(data)} where MTDSG XML was expected")
        if b"<Document" not in data[:65536]:
            raise FetchError(url, "XML without the MTDSG <Document> root")
    elif not looks_like_html(data) and b"<table" not in data.lower():
        raise FetchError(url, f"{describe_bytes(data, 'HTML')} where an HTML page was expected")


PARSE = {
    "mtdsg-xml": mtdsg_xml.parse,
    "untc-html": untc_html.parse,
    "normlex-convention": normlex_convention.parse,
    "normlex-table-html": normlex_table.parse_html,
}


def _http_date(text: str) -> date | None:
    try:
        return parsedate_to_datetime(text).astimezone(UTC).date() if text else None
    except (TypeError, ValueError):
        return None


def _fetched_day(response: CachedResponse) -> date:
    try:
        return datetime.fromisoformat(response.fetched_at).date()
    except ValueError:
        return datetime.now(UTC).date()


_DAY_MONTH_YEAR = re.compile(rb"\b\d{1,2}\s+[A-Za-z\xe9\xfb]{3,9}\.?\s+\d{4}\b")


def latest_date(parsed: ParsedSource, data: bytes = b"") -> date | None:
    """The latest day the document itself shows (an act, a notification, a footnote), not after today.

    The data is at least that recent. A date after today (an entry into force announced for later)
    is no evidence of when the document was written and is skipped.
    """
    days = [act.date for row in parsed.rows for act in (row.signature, row.consent)
            if act is not None and act.precision == DAY]  # fmt: skip
    for match in _DAY_MONTH_YEAR.finditer(data):
        try:
            day = parse_day_month_year(match.group(0).decode("iso-8859-1"))
        except ValueError:
            continue
        if day is not None:
            days.append(day)
    tomorrow = today_utc() + timedelta(days=1)
    return max((day for day in days if day <= tomorrow), default=None)


def source_date(parsed: ParsedSource, response: CachedResponse, data: bytes = b"") -> tuple[date, str] | None:
    """When a fetched source speaks for, and on what basis: its own stamp, else the latest date in it, else
    the server's Last-Modified; None when none of these is known. Never the day of download."""
    if parsed.as_of:
        return parsed.as_of, "page stamp"
    latest = latest_date(parsed, data)
    if latest is not None:
        return latest, "latest date in the file (the source is at least this recent)"
    modified = _http_date(response.last_modified)
    if modified is not None:
        return modified, "the server's Last-Modified date"
    return None


def fetch_one(download: Download, downloader: Downloader, today: date) -> Outcome:
    """Try the download's URLs in order; parse and identify the body; never raise."""
    outcome = Outcome(download.source, download.instrument, FAILED)
    reasons: list[str] = []
    for position, (fmt, url) in enumerate(download.urls):
        last = position == len(download.urls) - 1
        outcome.url, outcome.format = url, fmt
        try:
            response = downloader.get(url)
            data = response.read_bytes()
            check_payload(fmt, data, url)
            parsed = PARSE[fmt](data, url)
        except FetchError as exc:
            reasons.append(f"{fmt}: {exc.reason}")
            if exc.status in (404, 410) and not last:
                continue
            outcome.reason = "; ".join(reasons)
            return outcome
        except Rt2gapsError as exc:  # the parsers: a changed layout, unsafe XML
            outcome.reason = "; ".join([*reasons, f"{fmt}: {exc}"])
            return outcome
        if fmt == "mtdsg-xml" and not parsed.rows and not last:
            reasons.append("MTDSG XML has no participant table: used the ViewDetails page")
            continue
        identity = _identity_problem(download, parsed)
        if identity:
            outcome.reason = "; ".join([*reasons, f"{fmt}: {identity}"])
            return outcome
        fetched_on = _fetched_day(response)
        dated = source_date(parsed, response, data)
        if dated is None:
            unknown = (
                f"{fmt}: the date of the data is unknown (no stamp, no dated act, no Last-Modified): "
                "save the page and run `rt2gaps import FILE --as-of DATE`"
            )
            outcome.reason = "; ".join([*reasons, unknown])
            return outcome
        as_of, basis = dated
        if as_of > fetched_on + timedelta(days=1):
            outcome.reason = "; ".join([*reasons, f"{fmt}: dated {as_of} ({basis}), after today: refused"])
            return outcome
        outcome.outcome = UPDATED if response.downloaded else UNCHANGED
        outcome.reason = "; ".join(reasons) if reasons else ("" if response.downloaded else "304 not modified")
        outcome.as_of, outcome.downloaded, outcome.parsed = as_of.isoformat(), response.downloaded, parsed
        outcome.planned = PlannedSource(
            format=fmt, path=response.path, as_of=as_of, source_key=f"{fmt}-fetch-{as_of}",
            label=url, retrieved_by=max(as_of, fetched_on), as_of_basis=basis,
            origin=f"fetched by rt2gaps on {response.fetched_at}", url=url,
        )  # fmt: skip
        return outcome
    outcome.reason = "; ".join(reasons)
    return outcome


def _identity_problem(download: Download, parsed: ParsedSource) -> str:
    """A page for another instrument than the one asked for (a redirect, a wrong id) is refused."""
    if download.instrument == CROSS_CHECK or not parsed.source_key:
        return ""
    catalogue = load_instruments()
    instrument = catalogue[download.instrument]
    expected = instrument.mtdsg if instrument.body == "UN" else instrument.id
    if parsed.source_key.upper() != expected.upper():
        return f"the page is for {parsed.source_key}, not {expected}"
    return ""


def run_downloads(
    downloads: list[Download],
    downloader: Downloader,
    *,
    workers: int = 8,
    progress: bool | None = None,
    today: date | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run every download on a thread pool (the downloader limits each host to 4 at once)."""
    today = today or datetime.now(UTC).date()
    show_bars = sys.stderr.isatty() if progress is None else progress
    bars = {}
    if show_bars:
        from tqdm import tqdm

        for position, source in enumerate(sorted({d.source for d in downloads})):
            total = sum(d.source == source for d in downloads)
            bars[source] = tqdm(total=total, desc=source, unit="page", position=position, leave=True)
    outcomes: list[Outcome] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(fetch_one, d, downloader, today): d for d in downloads}
            try:
                for future in _completed_by_deadline(futures, downloader):
                    outcome = future.result()
                    outcomes.append(outcome)
                    if outcome.source in bars:
                        bars[outcome.source].update(1)
                    elif not unreachable_host(outcome.reason):  # an unreachable host: the final table says it once
                        log.info("%s %s: %s %s", outcome.source, outcome.instrument, outcome.outcome, outcome.reason)
                    if on_done:
                        on_done(outcome)
            except BaseException:  # SIGINT/SIGTERM: cut the downloads in flight so the threads end at once
                downloader.stop("stopped by a signal")
                for future in futures:
                    future.cancel()
                raise
    finally:
        for bar in bars.values():
            bar.close()
    order = {(d.source, d.instrument): i for i, d in enumerate(downloads)}
    return sorted(outcomes, key=lambda o: order[(o.source, o.instrument)])


def _completed_by_deadline(futures: Iterable, downloader: Downloader) -> Iterable:
    """``as_completed``, but when the command's deadline passes the downloader stops: the rest fail at once."""
    deadline = downloader.settings.deadline
    pending = list(futures)
    try:
        for future in as_completed(pending, timeout=deadline):
            pending.remove(future)
            yield future
    except TimeoutError:
        downloader.stop(f"stopped: the --deadline of {deadline:g} s for the whole fetch passed")
        yield from as_completed(pending)


def cross_check_years(table: ParsedSource, pages: dict[str, ParsedSource]) -> dict[str, list[dict[str, str]]]:
    """Per instrument, the participants whose year differs between the comparative table and its page."""
    differences: dict[str, list[dict[str, str]]] = {}
    for instrument, page in pages.items():
        in_table = {r.participant: r.consent.date.year for r in table.rows if r.instrument == instrument and r.consent}
        if not in_table:
            continue
        on_page = {r.participant: r.consent.date.year for r in page.rows if r.consent}
        for name in sorted(set(in_table) | set(on_page)):
            if in_table.get(name) != on_page.get(name):
                differences.setdefault(instrument, []).append(
                    {"participant": name, "table": str(in_table.get(name, "")), "page": str(on_page.get(name, ""))}
                )
    return differences


@dataclass
class FetchReport:
    """What a fetch did: one outcome per instrument, and where the new snapshot went (if anywhere)."""

    outcomes: list[Outcome]
    written_to: Path | None = None
    error: str = ""
    notices: list[str] = field(default_factory=list)  # said on stderr whatever the outcome

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok and o.instrument != CROSS_CHECK]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.error else 0


def refresh(
    *,
    data: Path,
    cache: Path,
    source: str = "all",
    instrument_ids: list[str] | None = None,
    mirror: str | None = None,
    settings: HttpSettings | None = None,
    partial: bool = False,
    progress: bool | None = None,
    workers: int = 8,
) -> FetchReport:
    """Fetch, parse, check and (only if everything needed succeeded) swap in a new user snapshot."""
    catalogue = load_instruments()
    chosen = [catalogue[i] for i in instrument_ids] if instrument_ids else list(catalogue.values())
    downloads = plan_downloads(chosen, source, checked_mirror(mirror) if mirror else None)
    if not downloads:
        raise Rt2gapsError(f"nothing to fetch for --source {source} and the instruments given")
    with Downloader(cache, settings) as downloader:
        outcomes = run_downloads(downloads, downloader, progress=progress, workers=workers)
    report = FetchReport(outcomes)
    cross = next((o for o in outcomes if o.instrument == CROSS_CHECK), None)
    if cross is not None and cross.ok:
        cross.outcome = CROSS_CHECKED
    good = [o for o in outcomes if o.ok and o.planned is not None and o.instrument != CROSS_CHECK]
    if report.failed and not partial:
        for outcome in good:
            outcome.outcome, outcome.reason = NOT_APPLIED, "another instrument failed: nothing written"
        report.error = "nothing written: some downloads failed (use --partial to apply the rest)"
        return report
    if not good:
        report.error = "nothing written: no instrument was fetched"
        return report
    details: dict[str, dict] = {}
    for outcome in good:
        details[outcome.instrument] = {"url": outcome.url, "downloaded": outcome.downloaded}
    if cross is not None and cross.parsed is not None:
        pages = {o.instrument: o.parsed for o in good if o.format == "normlex-convention" and o.parsed}
        for instrument, differences in cross_check_years(cross.parsed, pages).items():
            details[instrument]["cross_check"] = {"file": cross.url, "differences": differences}
    plan = {o.instrument: o.planned for o in good if o.planned is not None}  # every good one has its plan
    date_known_files(plan, good, data)
    return swap_in(report, good, plan, data, "fetch", details, others="another instrument")


def date_known_files(plan: dict[str, PlannedSource], outcomes: list[Outcome], data: Path) -> None:
    """A fetched file byte-identical to the one the current snapshot holds keeps that file's date and basis.

    The same bytes say the same thing: a re-fetch of an unchanged file is neither newer nor older.
    """
    import dataclasses
    import hashlib

    from rt2gaps.snapshot.store import load_snapshot
    from rt2gaps.snapshot.userdata import current_snapshot_dir

    base = load_snapshot(current_snapshot_dir(data))
    for outcome in outcomes:
        entry = base.instrument_source(outcome.instrument)
        planned = plan.get(outcome.instrument)
        if not entry or planned is None or not entry.get("source_as_of"):
            continue
        if hashlib.sha256(Path(planned.path).read_bytes()).hexdigest() != entry.get("sha256"):
            continue
        as_of = date.fromisoformat(entry["source_as_of"])
        basis = entry.get("as_of_basis") or planned.as_of_basis  # the same file, dated as before
        plan[outcome.instrument] = dataclasses.replace(
            planned, as_of=as_of, source_key=f"{planned.format}-fetch-{as_of}", as_of_basis=basis,
            retrieved_by=max(as_of, planned.retrieved_by or as_of),
        )  # fmt: skip
        outcome.as_of, outcome.planned = as_of.isoformat(), plan[outcome.instrument]


def swap_in(
    report: FetchReport,
    applied: list[Outcome],
    plan: dict[str, PlannedSource],
    data: Path,
    kind: str,
    details: dict[str, dict] | None = None,
    *,
    others: str,
) -> FetchReport:
    """Build ``plan`` over the current snapshot and swap it in (``merge.build_and_swap``), for fetch and import.

    A refusal leaves the snapshot untouched and is written onto the report: each outcome of ``applied``
    becomes failed (with the checks or build lines that name its instrument) or not applied (because of
    ``others``: "another instrument", "another file").
    """
    from rt2gaps.refresh.merge import RefreshCheckError, build_and_swap
    from rt2gaps.snapshot.write import FolderRefusedError

    try:
        result = build_and_swap(plan, data, kind, details)
    except FolderRefusedError:
        raise  # a symbolic link or a user's folder where the snapshot goes: one line, exit 2
    except RefreshCheckError as exc:
        for outcome in applied:
            reasons = exc.problems.get(outcome.instrument)
            outcome.outcome = FAILED if reasons else NOT_APPLIED
            outcome.reason = "; ".join(reasons) if reasons else f"{others} failed its checks"
        report.error = "nothing written: the refresh checks failed"
        return report
    except Rt2gapsError as exc:  # count mismatch, unresolved names, layout, a busy folder: the message names it
        lines = [line.strip() for line in str(exc).splitlines()]
        for outcome in applied:
            mine = [line for line in lines if re.search(rf"(^|[\s/]){re.escape(outcome.instrument)}\s", line)]
            outcome.outcome = FAILED if mine else NOT_APPLIED
            outcome.reason = "; ".join(mine) if mine else f"the build failed: {lines[0]}"
        report.error = f"nothing written: {exc}"
        return report
    report.written_to = result.written_to
    return report


def outcome_table(outcomes: list[Outcome]) -> str:
    """The per-source table the fetch and import commands end with.

    A source whose every instrument failed for one and the same reason (no network, a host that does
    not resolve) is one row, not one per instrument.
    """
    header = ("source", "instrument", "outcome", "reason")
    rows = []
    for source in dict.fromkeys(o.source for o in outcomes):
        mine = [o for o in outcomes if o.source == source]
        reasons = {_without_format(o.reason) for o in mine}
        if len(mine) > 1 and all(o.outcome == FAILED for o in mine) and len(reasons) == 1:
            rows.append((source, f"all {len(mine)}", FAILED, reasons.pop()))
            continue
        rows.extend((o.source, o.instrument, o.outcome, o.reason or (f"as of {o.as_of}" if o.as_of else ""))
                    for o in mine)  # fmt: skip
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header[:3], widths, strict=True)) + "  " + header[3]]
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return "\n".join(lines)


def _without_format(reason: str) -> str:
    """``mtdsg-xml: DNS lookup ...`` -> ``DNS lookup ...``: the same fault whichever page met it."""
    head, _, rest = reason.partition(": ")
    return rest if head in PARSE else reason
