"""The one HTTP client of a refresh: timeouts, retries, a per-host limit, a size cap and a raw cache.

Every response body that arrives whole is kept in the cache folder beside a JSON sidecar (URL,
fetched-at time, HTTP status, sha256, ETag, Last-Modified). The next request for the same URL is
conditional (If-None-Match / If-Modified-Since), so a page the server says is unchanged (304) is
read from the cache instead of being downloaded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from rt2gaps import __version__
from rt2gaps.atomic import write_bytes_atomically
from rt2gaps.errors import Rt2gapsError

PRIVATE_FILE = 0o600  # the raw cache is the user's own working data

PROJECT_URL = "https://pypi.org/project/rt2gaps/"
USER_AGENT = f"rt2gaps/{__version__} (treaty ratification gap analyser; +{PROJECT_URL})"
MAX_PER_HOST = 4
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
DEFAULT_RESPONSE_TIMEOUT = 120.0  # one whole response: connect, headers and every byte of the body
DEFAULT_DEADLINE = 600.0  # the whole fetch command
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 1.0  # seconds; doubled at every retry
DEFAULT_MAX_RETRY_AFTER = 120.0  # never sleep longer than this on a server's Retry-After
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the largest status page seen is well under 2 MB
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024


urllib3_errors = (urllib3.exceptions.HTTPError, OSError)  # a cut socket, read directly through response.raw


class FetchError(Rt2gapsError):
    """A download that did not give a whole, usable body; ``reason`` is the short text the table shows."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class HttpSettings:
    """How patient and how large: one place for every limit, so tests can make them short."""

    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    max_bytes: int = DEFAULT_MAX_BYTES
    max_per_host: int = MAX_PER_HOST
    user_agent: str = USER_AGENT
    response_timeout: float = DEFAULT_RESPONSE_TIMEOUT
    deadline: float | None = DEFAULT_DEADLINE


@dataclass(frozen=True)
class CachedResponse:
    """A body in the cache and what its sidecar says about it."""

    url: str
    path: Path  # the body file in the cache
    status: int  # the status of this request: 200 (downloaded) or 304 (unchanged, read from the cache)
    sha256: str
    etag: str
    last_modified: str
    content_type: str
    fetched_at: str  # ISO UTC time of the download that produced the body
    size: int

    @property
    def downloaded(self) -> bool:
        return self.status != 304

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


class CappedRetry(Retry):
    """urllib3 Retry that honours Retry-After but never sleeps longer than a cap."""

    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER

    def get_retry_after(self, response) -> float | None:  # noqa: ANN001 (urllib3 response)
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_retry_after)

    def new(self, **kw) -> CappedRetry:  # noqa: ANN003 (urllib3 signature)
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry

    def increment(  # noqa: ANN201 (urllib3 signature)
        self,
        method=None,
        url=None,
        response=None,
        error=None,
        _pool=None,
        _stacktrace=None,  # noqa: ANN001
    ):
        """A refused connection is final, like a name that does not resolve: no retry, no back-off."""
        if error is not None and connection_refused(error):
            raise urllib3.exceptions.MaxRetryError(_pool, url, error) from error
        return super().increment(method, url, response, error, _pool, _stacktrace)


REFUSED = "refused (no server answers there)"
UNREACHABLE_HOST = ("DNS lookup of", REFUSED)  # reasons met by every page of a host: said once, not per page


def unreachable_host(reason: str) -> bool:
    """Whether a failure's reason is one its host gives every page (no such name, a refused connection)."""
    return any(mark in reason for mark in UNREACHABLE_HOST)


def connection_refused(error: BaseException) -> bool:
    """Whether a ConnectionRefusedError is behind ``error`` (requests and urllib3 wrap it twice)."""
    pending: list[object] = [error]
    seen: set[int] = set()
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ConnectionRefusedError):
            return True
        pending.extend((item.__cause__, item.__context__, getattr(item, "reason", None), *item.args))
    return False


class _Watch:
    """The connection each downloading thread is using and when its response must be whole.

    A server that sends a byte every two seconds never trips a read timeout; a watcher thread shuts
    the socket of any response past its time down, which ends the blocked read at once.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.budget = threading.local()  # seconds per response, set by the downloading thread
        # thread id -> (connection, deadline, its socket): the socket is kept itself, because once the
        # headers of a response that closes the connection are read (HTTP/1.0, Connection: close)
        # http.client drops the connection's ``sock`` while the body still streams from it
        self.active: dict[int, tuple[HTTPConnection, float, socket.socket | None]] = {}
        self.cut: set[int] = set()  # threads whose response was cut

    def started(self, connection: HTTPConnection) -> None:
        budget = getattr(self.budget, "seconds", None)
        if budget is not None:
            with self.lock:
                self.active[threading.get_ident()] = (connection, time.monotonic() + budget, connection.sock)

    def sent(self, connection: HTTPConnection) -> None:
        """The request went out: keep the socket it went through (the connection may forget it)."""
        ident = threading.get_ident()
        with self.lock:
            if ident in self.active and connection.sock is not None:
                self.active[ident] = (connection, self.active[ident][1], connection.sock)

    def finished(self) -> bool:
        """Forget this thread's response; True when it was cut for taking too long."""
        ident = threading.get_ident()
        with self.lock:
            self.active.pop(ident, None)
            was_cut = ident in self.cut
            self.cut.discard(ident)
        return was_cut

    def cut_overdue(self, now: float | None = None) -> None:
        """Shut down every socket whose response is past its time (all of them when ``now`` is infinite)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            overdue = [(ident, held or conn.sock) for ident, (conn, deadline, held) in self.active.items()
                       if deadline <= now]  # fmt: skip
            for ident, _ in overdue:
                self.cut.add(ident)
        for _, sock in overdue:
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)


WATCH = _Watch()


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 (urllib3 signature)
        WATCH.started(self)
        super().request(*args, **kwargs)
        WATCH.sent(self)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 (urllib3 signature)
        WATCH.started(self)
        super().request(*args, **kwargs)
        WATCH.sent(self)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def make_session(settings: HttpSettings) -> requests.Session:
    """One session: retries with exponential back-off on 429/5xx and connection errors, a descriptive agent."""
    retry = CappedRetry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        backoff_factor=settings.backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    retry.max_retry_after = settings.max_retry_after
    adapter = HTTPAdapter(max_retries=retry, pool_connections=8, pool_maxsize=settings.max_per_host, pool_block=True)
    adapter.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session


class HostLimiter:
    """At most ``limit`` requests in flight per host, whatever the number of worker threads."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._by_host: dict[str, threading.BoundedSemaphore] = {}

    def for_url(self, url: str) -> threading.BoundedSemaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            if host not in self._by_host:
                self._by_host[host] = threading.BoundedSemaphore(self._limit)
            return self._by_host[host]


def cache_paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    """Body and sidecar paths for a URL: one folder per host, the file named by the URL's sha256."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").replace(":", "_")
    if parts.port:
        host += f"_{parts.port}"
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    folder = cache_dir / host
    return folder / f"{key}.body", folder / f"{key}.json"


def read_cached(cache_dir: Path, url: str) -> CachedResponse | None:
    """The cached body for a URL if its sidecar is readable and the body still has its recorded sha256."""
    body, sidecar = cache_paths(cache_dir, url)
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        data = body.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("url") != url or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None
    return CachedResponse(
        url=url, path=body, status=int(meta.get("status", 200)), sha256=meta["sha256"], etag=meta.get("etag", ""),
        last_modified=meta.get("last_modified", ""), content_type=meta.get("content_type", ""),
        fetched_at=meta.get("fetched_at", ""), size=len(data),
    )  # fmt: skip


_CACHE_LEFTOVER = re.compile(r"\.[0-9a-f]{32}\.(?:body|json)\.[a-z0-9_]{8}\.tmp")
LEFTOVER_AGE = 3600.0  # seconds: older than any download, so never a temporary file another fetch is writing


def remove_cache_leftovers(cache_dir: Path) -> list[Path]:
    """Temporary files a killed fetch left in the cache (``.<key>.body.XXXXXXXX.tmp``), once an hour old."""
    removed: list[Path] = []
    now = time.time()
    for entry in cache_dir.glob("*/.*.tmp"):
        try:
            if (
                _CACHE_LEFTOVER.fullmatch(entry.name)
                and entry.is_file()
                and not entry.is_symlink()
                and now - entry.stat().st_mtime > LEFTOVER_AGE
            ):
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed


def _store(cache_dir: Path, url: str, data: bytes, response: requests.Response) -> CachedResponse:
    body, sidecar = cache_paths(cache_dir, url)
    cached = CachedResponse(
        url=url, path=body, status=response.status_code, sha256=hashlib.sha256(data).hexdigest(),
        etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", ""),
        content_type=response.headers.get("Content-Type", ""),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"), size=len(data),
    )  # fmt: skip
    write_bytes_atomically(body, data, PRIVATE_FILE)  # body first: a sidecar never points at a missing or older body
    meta = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cached).items() if k != "path"}
    write_bytes_atomically(sidecar, (json.dumps(meta, indent=2) + "\n").encode("utf-8"), PRIVATE_FILE)
    return cached


def _reason_for_exception(
    exc: requests.RequestException | urllib3.exceptions.HTTPError | OSError, settings: HttpSettings
) -> str:
    """A short plain-language reason for a failed request (what the outcome table shows)."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS error ({text[:120]})"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"connect timeout after {settings.connect_timeout:g} s"
    if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in text:
        return f"read timeout after {settings.read_timeout:g} s"
    if isinstance(exc, requests.exceptions.RetryError):
        return f"gave up after {settings.retries} retries ({text[-120:]})"
    if "NameResolutionError" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return "DNS lookup failed (no such host, or no network)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return "truncated body (the connection closed before the whole page arrived)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"connection failed ({text[-120:]})"
    return f"request failed ({type(exc).__name__}: {text[:120]})"


def _read_body(response: requests.Response, url: str, settings: HttpSettings) -> bytes:
    """The whole body, refusing more than ``max_bytes`` and fewer bytes than Content-Length announced."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
        raise FetchError(url, f"response of {int(declared)} bytes exceeds the {settings.max_bytes}-byte cap", 200)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.raw.read1(CHUNK, decode_content=True):  # what has arrived: a trickle is watched
        size += len(chunk)
        if size > settings.max_bytes:
            raise FetchError(url, f"response exceeds the {settings.max_bytes}-byte cap", 200)
        chunks.append(chunk)
    data = b"".join(chunks)
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    if declared and declared.isdigit() and not encoded and len(data) != int(declared):
        raise FetchError(url, f"truncated body ({len(data)} of {declared} bytes)", 200)
    return data


def status_reason(status: int, url: str) -> str:
    """What a refusing status means for the user."""
    if status == 403:
        if "normlex" in url.lower() or "ilo.org" in url.lower():
            return (
                "HTTP 403: NORMLEX refused an automated client (anti-bot wall); open the page in a browser, "
                "save it (Save Page As, HTML) and run `rt2gaps import FILE`"
            )
        return "HTTP 403: the server refused an automated client"
    if status == 404:
        return "HTTP 404: not found"
    if status == 429:
        return "HTTP 429: too many requests (still refused after retries)"
    if status >= 500:
        return f"HTTP {status}: server error (still failing after retries)"
    return f"HTTP {status}: unexpected status"


class Downloader:
    """Fetches URLs through one session into the cache, with conditional requests and a per-host limit."""

    def __init__(self, cache_dir: Path, settings: HttpSettings | None = None) -> None:
        self.cache_dir = cache_dir
        self.settings = settings or HttpSettings()
        self.session = make_session(self.settings)
        self.limiter = HostLimiter(self.settings.max_per_host)
        self.stopped = ""  # why no new request may start (the command's deadline passed)
        self._hosts_lock = threading.Lock()
        self._resolving: dict[str, threading.Lock] = {}
        self._resolved: set[str] = set()
        self._unresolvable: dict[str, str] = {}  # host -> reason: a host that failed to resolve is not tried again
        self._refused: dict[str, str] = {}  # host:port -> reason: a server that refused is not tried again
        self._closed = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="rt2gaps-http-watch", daemon=True)
        self._watcher.start()
        remove_cache_leftovers(cache_dir)

    def _watch(self) -> None:
        while not self._closed.wait(0.1):
            WATCH.cut_overdue()

    def stop(self, reason: str) -> None:
        """Refuse every new request with ``reason`` and cut the responses in flight (the deadline passed)."""
        self.stopped = reason
        WATCH.cut_overdue(float("inf"))

    def close(self) -> None:
        self._closed.set()
        self.session.close()

    def _overdue(self) -> str:
        return self.stopped or f"no whole response within {self.settings.response_timeout:g} s (--timeout)"

    def _check_host(self, url: str) -> None:
        """Resolve each host once: a name that does not resolve fails every page of that host at once, unretried."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        with self._hosts_lock:
            lock = self._resolving.setdefault(host, threading.Lock())
        with lock:  # the other pages of a host wait for its first lookup
            if host in self._unresolvable:
                raise FetchError(url, self._unresolvable[host])
            if host in self._resolved:
                return
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (UnicodeError, OSError) as exc:  # socket.gaierror is an OSError
                reason = f"DNS lookup of {host} failed (no such host, or no network: {exc.__class__.__name__})"
                self._unresolvable[host] = reason
                raise FetchError(url, reason) from None
            self._resolved.add(host)

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(self, url: str) -> CachedResponse:
        """The body of ``url``: downloaded (200) or, when the server says unchanged (304), from the cache."""
        cached = read_cached(self.cache_dir, url)
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        settings = self.settings
        timeout = (settings.connect_timeout, min(settings.read_timeout, settings.response_timeout))
        if self.stopped:
            raise FetchError(url, self.stopped)
        self._check_host(url)
        address = urlsplit(url).netloc.lower()
        if address in self._refused:
            raise FetchError(url, self._refused[address])
        with self.limiter.for_url(url):
            if self.stopped:
                raise FetchError(url, self.stopped)
            WATCH.budget.seconds = settings.response_timeout
            try:
                with self.session.get(url, headers=headers, timeout=timeout, stream=True) as response:
                    if response.status_code == 304 and cached is not None:
                        return CachedResponse(**{**asdict(cached), "status": 304})
                    if response.status_code != 200:
                        raise FetchError(url, status_reason(response.status_code, url), response.status_code)
                    data = _read_body(response, url, settings)
                    if WATCH.finished():
                        raise FetchError(url, self._overdue())
                    return _store(self.cache_dir, url, data, response)
            except (requests.RequestException, *urllib3_errors) as exc:
                if WATCH.finished():
                    raise FetchError(url, self._overdue()) from None
                if connection_refused(exc):  # every page of that server fails at once from now on
                    self._refused[address] = f"connection to {address} {REFUSED}"
                    raise FetchError(url, self._refused[address]) from None
                raise FetchError(url, _reason_for_exception(exc, settings)) from None
            finally:
                WATCH.finished()
                WATCH.budget.seconds = None
