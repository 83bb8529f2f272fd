"""A local stand-in for the depositaries (127.0.0.1 only), for tests and the fetch benchmark.

It serves bytes under the depositaries' real URL paths, answers conditional requests with 304,
counts requests and the most requests in flight at once per host, can add latency, and can play
one fault per path (slow, 429 once, truncated body, 403, 404, 500, any other body). It stops by
itself after ``lifetime`` seconds even if a test forgets it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rt2gaps.catalogue import Instrument
from rt2gaps.refresh.fetch import NORMLEX_PAGE_PATH, VIEWDETAILS_PATH, XML_PATH, chapter_of

SLOW = "slow"  # sleep ``slow_seconds`` before answering (trips a short read timeout)
TOO_MANY_ONCE = "429-once"  # 429 with Retry-After: 0 the first time, then the page
TRUNCATED = "truncated"  # announce the whole length, send half, close
FIXED_DATE = "Mon, 15 Jan 2018 00:00:00 GMT"


@dataclass
class Fault:
    """What to do instead of serving a path normally."""

    kind: str  # SLOW, TOO_MANY_ONCE, TRUNCATED, or "status" to answer ``status`` with ``body``
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    used: int = 0


@dataclass
class MirrorState:
    """Shared by every handler thread: routes, faults and the counters tests read."""

    routes: dict[str, tuple[bytes, str]]
    faults: dict[str, Fault] = field(default_factory=dict)
    latency: float = 0.0
    slow_seconds: float = 2.0
    requests: Counter = field(default_factory=Counter)  # path -> requests
    full_responses: Counter = field(default_factory=Counter)  # path -> 200 responses with a body
    not_modified: Counter = field(default_factory=Counter)  # path -> 304 responses
    in_flight: Counter = field(default_factory=Counter)  # host -> requests being served now
    max_in_flight: Counter = field(default_factory=Counter)  # host -> most at once
    user_agents: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


class _Handler(BaseHTTPRequestHandler):
    state: MirrorState
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (base class name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        state = self.state
        host = self.headers.get("Host", "")
        with state.lock:
            state.requests[self.path] += 1
            state.in_flight[host] += 1
            state.max_in_flight[host] = max(state.max_in_flight[host], state.in_flight[host])
            state.user_agents.add(self.headers.get("User-Agent", ""))
        try:
            if state.latency:
                time.sleep(state.latency)
            self._answer(state)
        finally:
            with state.lock:
                state.in_flight[host] -= 1

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, state: MirrorState) -> None:
        fault = state.faults.get(self.path)
        if fault is not None:
            fault.used += 1
            if fault.kind == SLOW:
                time.sleep(state.slow_seconds)
            elif fault.kind == TOO_MANY_ONCE and fault.used == 1:
                self._send(429, b"slow down", "text/plain", {"Retry-After": "0"})
                return
            elif fault.kind == "status":
                self._send(fault.status, fault.body, fault.content_type)
                return
        route = state.routes.get(self.path)
        if route is None:
            self._send(404, b"<html><body>Not found</body></html>", "text/html")
            return
        body, content_type = route
        etag = etag_of(body)
        if self.headers.get("If-None-Match") == etag:
            with state.lock:
                state.not_modified[self.path] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault is not None and fault.kind == TRUNCATED:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        with state.lock:
            state.full_responses[self.path] += 1
        self._send(200, body, content_type, {"ETag": etag, "Last-Modified": FIXED_DATE})


class DepositaryMirror:
    """A threaded HTTP server on 127.0.0.1 serving depositary paths; use as a context manager."""

    def __init__(self, routes: dict[str, tuple[bytes, str]], *, latency: float = 0.0, lifetime: float = 120.0):
        self.state = MirrorState(routes=dict(routes), latency=latency)
        handler = type("MirrorHandler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        if not isinstance(host, str):  # typeshed allows bytes; once bound, the socket's own address is a str
            host = bytes(host).decode("ascii")
        return f"http://{host}:{port}"

    def start(self) -> DepositaryMirror:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.cancel()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> DepositaryMirror:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def xml_path(mtdsg: str) -> str:
    roman, _ = chapter_of(mtdsg)
    return XML_PATH.format(roman=roman, mtdsg=mtdsg)


def viewdetails_path(mtdsg: str) -> str:
    _, chapter = chapter_of(mtdsg)
    return VIEWDETAILS_PATH.format(mtdsg=mtdsg, chapter=chapter)


def normlex_page_path(normlex_id: str) -> str:
    return NORMLEX_PAGE_PATH.format(normlex_id=normlex_id)


def shared_source_routes(shared_sources: Path, instruments: Iterable[Instrument]) -> dict[str, tuple[bytes, str]]:
    """The real files under their real URL paths: every MTDSG XML file, and the ViewDetails page of
    each Chapter IV instrument whose XML has no participant table."""
    from rt2gaps.sources import mtdsg_xml

    routes: dict[str, tuple[bytes, str]] = {}
    xml_folder = shared_sources / "untc" / "mtdsg-xml-2018-01"
    html_folder = shared_sources / "untc" / "viewdetails-html-2026-02-03"
    for instrument in instruments:
        if instrument.body != "UN":
            continue
        xml_file = xml_folder / f"{instrument.mtdsg}.en.xml"
        has_rows = False
        if xml_file.is_file():
            data = xml_file.read_bytes()
            routes[xml_path(instrument.mtdsg)] = (data, "application/xml")
            has_rows = bool(mtdsg_xml.parse(data, xml_file.name).rows)
        html_file = html_folder / instrument.source_file if instrument.source_file.endswith(".html") else None
        if not has_rows and html_file is not None and html_file.is_file():
            routes[viewdetails_path(instrument.mtdsg)] = (html_file.read_bytes(), "text/html; charset=utf-8")
    return routes
