"""Politeness towards a portal: the crawl never has more requests open on one host than allowed.

The demo portal is served slowly by a server that counts the requests it is answering at once.
AutoThrottle is off (as in the other crawl tests and the benchmark), so only
CONCURRENT_REQUESTS_PER_DOMAIN stands between the crawl and a burst on one host.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING

import pytest

from tests.conftest import SITES, run_kabar
from tests.servers import serving_with

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

EXPECTED = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))


class Gauge:
    """Requests being answered right now, and the most there ever were."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.total = 0

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.total += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1


@pytest.fixture
def gauged_portal() -> Iterator[tuple[str, Gauge]]:
    from serve import SiteHandler  # noqa: PLC0415 - tests/sites is put on sys.path by tests/conftest.py

    gauge = Gauge()

    class GaugedHandler(SiteHandler):
        def _respond(self, *, body: bool) -> None:
            gauge.enter()
            try:
                time.sleep(0.1)  # long enough for every queued request to be sent, were it allowed
                super()._respond(body=body)
            finally:
                gauge.leave()

    with serving_with(GaugedHandler, SITES / "klikdemo") as base:
        yield base, gauge


@pytest.mark.parametrize("limit", [2, 4])
def test_a_portal_never_has_more_requests_open_than_its_limit(
    gauged_portal: tuple[str, Gauge], tmp_path: Path, limit: int,
) -> None:
    base, gauge = gauged_portal
    result = run_kabar(tmp_path, args={"start_urls": f"{base}/", "network": "prmn"},
                       settings={"CONCURRENT_REQUESTS_PER_DOMAIN": str(limit)})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == len(EXPECTED), "the limit slows the crawl, it loses nothing"
    assert gauge.total >= 40
    assert gauge.peak == limit, f"{gauge.peak} requests at once on one host, allowed {limit}"
