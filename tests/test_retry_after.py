"""Retry-After is honoured per host: that host waits, the rest of the crawl goes on, waits are counted.

One real crawl of three copies of the demo portal, each on its own loopback host (so each has its
own download slot), each server recording when every request arrived and what it answered:

- ``throttled`` (127.0.0.1) answers its first two article requests 429 with ``Retry-After: 3``;
- ``steady`` (localhost) holds its first answers until ``throttled`` has sent its first 429, so
  that it has work left while ``throttled`` waits;
- ``closed`` (127.0.0.2) answers its first article request 429 with ``Retry-After: 3600``, more
  than ``NEWSCRAWL_RETRY_AFTER_MAX`` (600).

One request at a time per host (CONCURRENT_REQUESTS_PER_DOMAIN=1), so that "not hit during the
wait" is exact at the server: no request is in flight when a 429 leaves it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.crawl.middlewares import Counted
from newscrawl.crawl.retry import WAITED, RetryAfterMiddleware, retry_after_seconds
from tests.conftest import SITES, run_kabar
from tests.servers import serving_with

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import CrawlResult

EXPECTED = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
NOW = datetime(2024, 6, 1, 10, 0, 0, tzinfo=UTC)


# --- reading the header ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [
    ("3", 3.0),
    (b" 120 ", 120.0),
    ("0", 0.0),
    ("Sat, 01 Jun 2024 10:00:30 GMT", 30.0),       # an HTTP date (IMF-fixdate)
    ("Saturday, 01-Jun-24 10:01:00 GMT", 60.0),     # the obsolete RFC 850 form
    ("Sat Jun  1 10:02:00 2024", 120.0),            # asctime, no zone: GMT
    ("Fri, 31 May 2024 10:00:00 GMT", 0.0),         # a date in the past: no wait
    ("9" * 400, float("inf")),                      # absurdly long: longer than any cap
])
def test_retry_after_is_read_in_both_forms(value: str | bytes, seconds: float) -> None:
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "3.5", "1e3", "Sat, 32 Jun 2024 10:00:00 GMT", "٣"])
def test_an_unreadable_retry_after_is_none(value: str | None) -> None:
    assert retry_after_seconds(value, NOW) is None


# --- the page's budget, on Scrapy's own crawler and middleware ----------------------------------------


@pytest.fixture
def middleware() -> RetryAfterMiddleware:
    crawler = get_crawler(Spider, {"NEWSCRAWL_RETRY_AFTER_MAX": "10", "RETRY_TIMES": "2"})
    crawler.spider = Spider.from_crawler(crawler, name="t")
    return RetryAfterMiddleware.from_crawler(crawler)


def _answer(request: Request, status: int, retry_after: str | None) -> HtmlResponse:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return HtmlResponse(request.url, status=status, headers=headers, body=b"busy", request=request)


@pytest.mark.parametrize("status", [429, 503])
def test_a_wait_within_the_cap_is_a_retry_that_does_not_use_up_retry_times(
    middleware: RetryAfterMiddleware, status: int,
) -> None:
    request = Request("http://portal.test/a", meta={"retry_times": 2})
    retry = middleware.process_response(request, _answer(request, status, "4"))
    assert isinstance(retry, Request)
    assert retry.meta["retry_times"] == 3
    assert retry.meta["max_retry_times"] == 3
    assert retry.meta[WAITED] == 4.0
    assert middleware.stats.get_value("newscrawl/warnings/retry_after") == 1


@pytest.mark.parametrize(("waited", "header"), [
    (0.0, "11"),                       # one wait beyond the cap
    (0.0, "9" * 400),                  # a huge one
    (7.0, "4"),                        # within the cap, but the page has already waited 7 of its 10 s
    (0.0, format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)),  # an HTTP date an hour away
], ids=["beyond-the-cap", "huge", "already-waited", "http-date"])  # named: a date in an id differs between workers
def test_a_wait_beyond_the_cap_gives_the_page_up(middleware: RetryAfterMiddleware, waited: float, header: str) -> None:
    request = Request("http://portal.test/a", meta={WAITED: waited})
    with pytest.raises(Counted) as refused:
        middleware.process_response(request, _answer(request, 429, header))
    assert refused.value.key == "errors/retry_after_too_long"
    assert middleware.stats.get_value("newscrawl/errors/retry_after_too_long") == 1


@pytest.mark.parametrize(("status", "header", "meta"), [
    (500, "3", {}),              # Retry-After on another status: Scrapy's retry
    (429, None, {}),             # no header: Scrapy's retry
    (429, "soon", {}),           # unreadable: Scrapy's retry
    (429, "3", {"dont_retry": True}),
])
def test_other_answers_are_left_to_scrapys_retry(
    middleware: RetryAfterMiddleware, status: int, header: str | None, meta: dict[str, Any],
) -> None:
    request = Request("http://portal.test/a", meta=meta)
    result = middleware.process_response(request, _answer(request, status, header))
    if meta:
        assert isinstance(result, HtmlResponse)
    else:
        assert isinstance(result, Request)
        assert WAITED not in result.meta
        assert "max_retry_times" not in result.meta
    assert not middleware.stats.get_value("newscrawl/warnings/retry_after")


# --- the real crawl --------------------------------------------------------------------------------


@dataclass
class Portal:
    """One served copy of the demo portal and what it saw: (arrived, answered, path, status)."""

    rule: Callable[[Portal, str], str | None]  # the Retry-After to answer 429 with, or None for the page
    log: list[tuple[float, float, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    throttled: threading.Event = field(default_factory=threading.Event)
    gate: threading.Event | None = None
    base: str = ""

    def articles_asked(self) -> int:
        with self.lock:
            return sum(1 for _, _, path, _ in self.log if "/pr-" in path)

    def refusals(self) -> list[float]:
        """When the server began to send each 429: no client can have read it, and started its wait, earlier.

        (Taken before the write, not after: a server thread descheduled between writing and reading
        its clock would record a time later than the client's own, and the wait would look short.)
        """
        return [answered for _, answered, _, status in self.log if status == HTTPStatus.TOO_MANY_REQUESTS]


def _handler(portal: Portal) -> type[Any]:
    from serve import SiteHandler  # noqa: PLC0415 - tests/sites is put on sys.path by tests/conftest.py

    class RecordingHandler(SiteHandler):
        def _respond(self, *, body: bool) -> None:
            arrived = time.monotonic()
            if portal.gate is not None:
                portal.gate.wait(timeout=60)
            path = self.path
            with portal.lock:
                retry_after = portal.rule(portal, path)
            sending: float | None = None  # when a 429 began to leave
            if retry_after is None:
                super()._respond(body=body)
                status = HTTPStatus.OK
            else:
                payload = b"<html><body>Terlalu banyak permintaan</body></html>"
                sending = time.monotonic()
                self.send_response(HTTPStatus.TOO_MANY_REQUESTS)
                self.send_header("Retry-After", retry_after)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                status = HTTPStatus.TOO_MANY_REQUESTS
            answered = sending if sending is not None else time.monotonic()
            with portal.lock:
                portal.log.append((arrived, answered, path, status))
            if status == HTTPStatus.TOO_MANY_REQUESTS:
                portal.throttled.set()

    return RecordingHandler


def _first_articles(count: int, retry_after: str) -> Callable[[Portal, str], str | None]:
    """Answer the first `count` article requests 429 with `retry_after`, then serve the pages."""
    def rule(portal: Portal, path: str) -> str | None:
        asked = sum(1 for _, _, p, _ in portal.log if "/pr-" in p)
        return retry_after if "/pr-" in path and asked < count else None

    return rule


@dataclass
class ThreeHosts:
    throttled: Portal
    steady: Portal
    closed: Portal
    result: CrawlResult

    def delivered(self, portal: Portal) -> set[str]:
        return {item["url"][len(portal.base):] for item in self.result.items if item["url"].startswith(portal.base)}


@pytest.fixture(scope="module")
def three_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreeHosts]:
    throttled = Portal(_first_articles(2, "3"))
    closed = Portal(_first_articles(1, "3600"))
    steady = Portal(lambda _portal, _path: None, gate=throttled.throttled)
    root = SITES / "klikdemo"
    with (
        serving_with(_handler(throttled), root) as throttled_base,
        serving_with(_handler(steady), root) as steady_base,
        serving_with(_handler(closed), root, host="127.0.0.2") as closed_base,
    ):
        throttled.base = throttled_base
        steady.base = steady_base.replace("127.0.0.1", "localhost")
        closed.base = closed_base
        result = run_kabar(
            tmp_path_factory.mktemp("retry_after"),
            args={"start_urls": ",".join(f"{p.base}/" for p in (throttled, steady, closed)), "network": "prmn"},
            settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
        )
        yield ThreeHosts(throttled, steady, closed, result)


def test_the_crawl_finishes_and_the_throttled_pages_arrive(three_hosts: ThreeHosts) -> None:
    result = three_hosts.result
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    assert three_hosts.delivered(three_hosts.throttled) == set(EXPECTED)
    assert three_hosts.delivered(three_hosts.steady) == set(EXPECTED)
    assert not result.stat("newscrawl/errors/http_429")


def test_the_waits_are_counted_and_summarised(three_hosts: ThreeHosts) -> None:
    result = three_hosts.result
    assert result.stat("newscrawl/warnings/retry_after") == 2
    assert result.stat("newscrawl/retry_after/held_seconds") == 6.0, "two 3 s holds, one after the other"
    assert "retry-after     : 2 pages waited, hosts held 6.0 s" in result.log


def test_the_throttled_host_was_not_hit_during_its_wait(three_hosts: ThreeHosts) -> None:
    portal = three_hosts.throttled
    refusals = portal.refusals()
    assert len(refusals) == 2
    for sent in refusals:
        after = [arrived for arrived, _, _, _ in portal.log if arrived > sent]
        assert after, "the crawl came back after the wait"
        assert min(after) - sent >= 3.0, f"hit {min(after) - sent:.3f} s after a 429 asking for 3 s"


def test_another_host_went_on_during_the_wait(three_hosts: ThreeHosts) -> None:
    throttled, steady = three_hosts.throttled, three_hosts.steady
    first = throttled.refusals()[0]
    back = min(arrived for arrived, _, _, _ in throttled.log if arrived > first)
    during = [path for arrived, _, path, _ in steady.log if first < arrived < back]
    assert len(during) >= 5, f"the other host got {len(during)} requests while the throttled one waited"


def test_a_host_asking_for_more_than_the_cap_is_left_alone_and_its_pages_counted(three_hosts: ThreeHosts) -> None:
    closed, result = three_hosts.closed, three_hosts.result
    [refused] = closed.refusals()
    assert not [path for arrived, _, path, _ in closed.log if arrived > refused], "contacted again within its hour"
    assert not three_hosts.delivered(closed)
    assert closed.articles_asked() == 1
    assert result.stat("newscrawl/errors/retry_after_too_long") >= len(EXPECTED)
    assert "(too long)" in result.log


def test_the_downloader_internals_the_hold_uses_are_checked_at_start_up() -> None:
    from newscrawl.compat import problems  # noqa: PLC0415

    assert problems(cluster=True) == []


def test_a_negative_longest_wait_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_kabar(tmp_path, {"start_urls": "http://127.0.0.1:9/"}, {"NEWSCRAWL_RETRY_AFTER_MAX": "-1"})
    assert result.returncode == 2
    assert result.log.strip() == "error: NEWSCRAWL_RETRY_AFTER_MAX=-1 must be 0 or more (seconds)"

