"""Issue 14 and issue 13: fetch fails fast and quietly without a network, and never runs forever.

DNS failure is simulated by patching ``socket.getaddrinfo`` (no name is ever resolved); every server
here listens on loopback.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from rt2gaps.cli import main
from rt2gaps.refresh.fetch import FAILED, refresh
from rt2gaps.refresh.http import Downloader, FetchError, HttpSettings

XML_PATH = "/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/IV-13.en.xml"


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Every name lookup fails as it does offline; the counter says how often each host was looked up."""
    lookups: Counter = Counter()

    def offline(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 (socket.getaddrinfo signature)
        lookups[host] += 1
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    return lookups


def test_fetch_without_a_network_fails_fast_and_quietly(tmp_path: Path, no_network: Counter, capsys) -> None:
    # issue 13: 2 min 35 s and 184 retry lines; now: one lookup per host, no retry, one line per source
    started = time.monotonic()
    code = main(["fetch", "--data", str(tmp_path / "data"), "--cache", str(tmp_path / "cache")])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 1 and elapsed < 10
    assert dict(no_network) == {"treaties.un.org": 1, "normlex.ilo.org": 1}
    assert "Retrying" not in err and "urllib3" not in err and "NameResolutionError" not in err
    table = out.strip().splitlines()
    assert len(table) == 3, out  # header, untc, normlex
    assert table[1].split()[:3] == ["untc", "all", "27"] or table[1].startswith("untc")
    assert all("DNS lookup of" in line for line in table[1:])
    assert not (tmp_path / "data" / "snapshot").exists()


def test_a_host_that_failed_to_resolve_is_not_tried_again(tmp_path: Path, no_network: Counter) -> None:
    with Downloader(tmp_path, HttpSettings(retries=4, backoff=1.0)) as downloader:
        for page in range(5):
            with pytest.raises(FetchError, match="DNS lookup of example.invalid failed"):
                downloader.get(f"https://example.invalid/page{page}")
    assert no_network["example.invalid"] == 1


class _Trickle(socketserver.BaseRequestHandler):
    """Headers at once, then one byte of body every 0.3 s: never a read timeout, never the end."""

    def handle(self) -> None:
        self.request.recv(65536)
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(200):
                self.request.sendall(b"<")
                time.sleep(0.3)
        except OSError:
            pass


def _closing_trickle(version: str) -> type:
    class _ClosingTrickle(socketserver.BaseRequestHandler):
        """Issue 21 item 15: no Content-Length, Connection: close, then one byte every 0.3 s for 9 s.

        http.client drops the connection's socket once such headers are read: the watcher must hold
        the socket itself.
        """

        def handle(self) -> None:
            self.request.recv(65536)
            try:
                head = f"{version} 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n"
                self.request.sendall(head.encode())
                for _ in range(30):
                    self.request.sendall(b"<")
                    time.sleep(0.3)
            except OSError:
                pass

    return _ClosingTrickle


class _Silent(socketserver.BaseRequestHandler):
    """Accepts, reads the request, and answers nothing for a long time."""

    def handle(self) -> None:
        self.request.recv(65536)
        time.sleep(8)


def _serve(handler: type) -> socketserver.ThreadingTCPServer:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    "handler",
    [_Trickle, _closing_trickle("HTTP/1.0"), _closing_trickle("HTTP/1.1")],
    ids=["content-length", "HTTP/1.0 closing", "HTTP/1.1 closing"],
)
def test_timeout_bounds_a_whole_response_even_a_trickle(tmp_path: Path, handler: type) -> None:
    # issue: a server sending one byte every 2 s held `fetch --timeout 3 --retries 0` forever
    server = _serve(handler)
    url = f"http://127.0.0.1:{server.server_address[1]}{XML_PATH}"
    try:
        started = time.monotonic()
        settings = HttpSettings(retries=0, response_timeout=1.0, read_timeout=5.0)
        with Downloader(tmp_path, settings) as downloader, pytest.raises(FetchError, match="no whole response"):
            downloader.get(url)
        assert time.monotonic() - started < 3
    finally:
        server.shutdown()


def test_deadline_bounds_the_whole_fetch(tmp_path: Path) -> None:
    server = _serve(_Silent)
    mirror = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        settings = HttpSettings(retries=0, read_timeout=30.0, response_timeout=30.0, deadline=1.0)
        started = time.monotonic()
        report = refresh(data=tmp_path / "data", cache=tmp_path / "cache", source="untc", progress=False,
                         instrument_ids=["ICRMW", "ICCPR"], mirror=mirror, settings=settings)  # fmt: skip
        assert time.monotonic() - started < 4
    finally:
        server.shutdown()
    assert {o.outcome for o in report.outcomes} == {FAILED}
    assert all("--deadline of 1 s" in o.reason for o in report.outcomes)
    assert not (tmp_path / "data" / "snapshot").exists()


@pytest.mark.parametrize("option", ["--timeout", "--deadline"])
def test_timeout_and_deadline_must_be_positive(tmp_path: Path, capsys, option: str) -> None:
    assert main(["fetch", option, "0", "--data", str(tmp_path / "d"), "--cache", str(tmp_path / "c")]) == 2
    assert f"{option}: expected a number of seconds above 0" in capsys.readouterr().err


def test_a_killed_fetchs_temporary_cache_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    import os

    host = tmp_path / "treaties.un.org"
    host.mkdir()
    key = "0123456789abcdef0123456789abcdef"
    old = [host / f".{key}.body.k2j3h4g5.tmp", host / f".{key}.json.ab_cd123.tmp"]
    young = host / f".{key}.body.zz99yy88.tmp"  # another fetch may be writing it now
    kept = [young, host / f"{key}.body", host / ".notes.tmp", host / f".{key}.body.short.tmp"]
    for path in old + kept:
        path.write_bytes(b"x")
    for path in [*old, *kept[1:]]:
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    with Downloader(tmp_path, HttpSettings()):
        pass
    assert sorted(p.name for p in host.iterdir()) == sorted(p.name for p in kept)
