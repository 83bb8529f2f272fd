"""Benchmark (not a test): fetch every catalogue instrument from a local mirror with 200 ms latency.

Prints the concurrent time (4 requests per host at most) against the serial time; target <= 0.35x.
Needs ../shared/sources (or $RT2GAPS_SHARED). Run: python benchmarks/bench_fetch.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rt2gaps.catalogue import load_instruments
from rt2gaps.paths import shared_sources_dir
from rt2gaps.refresh.fetch import plan_downloads, run_downloads
from rt2gaps.refresh.http import Downloader, HttpSettings
from rt2gaps.refresh.mirror import DepositaryMirror, normlex_page_path, shared_source_routes

LATENCY = 0.2
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "normlex" / "convention_en.html"


def routes() -> dict[str, tuple[bytes, str]]:
    catalogue = load_instruments()
    served = shared_source_routes(shared_sources_dir(), catalogue.values())
    page = FIXTURE.read_bytes()
    for instrument in catalogue.values():
        if instrument.body == "ILO":
            body = page.replace(b"C098", instrument.id.encode())
            served[normlex_page_path(instrument.normlex_id)] = (body, "text/html; charset=utf-8")
    return served


def timed_fetch(mirror: DepositaryMirror, workers: int) -> tuple[float, int]:
    settings = HttpSettings(connect_timeout=5, read_timeout=10, retries=0)
    downloads = plan_downloads(load_instruments().values(), "all", mirror.url)
    with tempfile.TemporaryDirectory() as cache, Downloader(Path(cache), settings) as downloader:
        start = time.perf_counter()
        outcomes = run_downloads(downloads, downloader, workers=workers, progress=False)
        return time.perf_counter() - start, len(outcomes)


def main() -> int:
    if not (shared_sources_dir() / "README.md").is_file():
        print(f"raw sources not found at {shared_sources_dir()}", file=sys.stderr)
        return 2
    with DepositaryMirror(routes(), latency=LATENCY, lifetime=600) as mirror:
        serial, count = timed_fetch(mirror, workers=1)
        concurrent, _ = timed_fetch(mirror, workers=8)
        most = max(mirror.state.max_in_flight.values())
        requests = sum(mirror.state.requests.values()) // 2
    print(f"{count} sources ({requests} requests each run), {LATENCY * 1000:.0f} ms added latency per request")
    print(f"serial      {serial:6.2f} s")
    print(f"concurrent  {concurrent:6.2f} s  ({most} requests in flight at most per host)")
    print(f"ratio       {concurrent / serial:6.2f}x  (target <= 0.35x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
