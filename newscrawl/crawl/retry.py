"""Retry-After honoured: a host that answers 429 or 503 with Retry-After is left alone that long.

What it is for
    Scrapy's RetryMiddleware retries a 429 or 503 at once, however long the server asked us to
    stay away. `RetryAfterMiddleware` extends it (it takes its place in DOWNLOADER_MIDDLEWARES,
    at the same order number, 550):

    - the host's download slot is held for the stated time (seconds or an HTTP date) from the
      moment the answer arrives (``response_downloaded``, before the slot sends its next request);
      requests already sent finish, and the other hosts of the crawl go on;
    - the page is retried after the wait. Such a retry does not use up RETRY_TIMES (the server
      said when to come back; that is not a failure): a page waits at most
      ``NEWSCRAWL_RETRY_AFTER_MAX`` seconds (600) in all, beyond which it is given up;
    - a host asking for more than that is not contacted again before the time it gave: the
      requests waiting for it and any new ones are given up, without being sent.

    Counted: ``newscrawl/warnings/retry_after`` per page that waited,
    ``newscrawl/retry_after/held_seconds`` the time hosts were held, ``errors/retry_after_too_long``
    per page given up, ``warnings/retry_after_unreadable`` per header that could not be read (that
    answer is then retried the way Scrapy retries it).

What it must never do
    Touch the downloader's internals itself (newscrawl/compat.py does), make a host wait longer than
    it asked, or retry an answer that came without Retry-After differently from Scrapy.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING, Self

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.utils.response import response_status_message

from newscrawl import compat
from newscrawl.config import Config
from newscrawl.crawl.middlewares import Counted

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

# The answers whose Retry-After is honoured (RFC 9110 10.2.3: 503; RFC 6585 4: 429).
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Request meta: the seconds this page has been told to wait so far.
WAITED = "newscrawl_retry_after_waited"
TOO_LONG = "errors/retry_after_too_long"
HELD_SECONDS = "newscrawl/retry_after/held_seconds"
_DELAY_SECONDS = re.compile(r"[0-9]+")


def retry_after_seconds(value: bytes | str | None, now: datetime) -> float | None:
    """The seconds a Retry-After value asks to wait from `now` (aware), or None when it cannot be read.

    Two forms (RFC 9110 10.2.3): delay-seconds (digits only; an absurdly long one is infinity) and
    an HTTP date (GMT; one in the past means no wait). Anything else, a negative number included,
    is unreadable.
    """
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if _DELAY_SECONDS.fullmatch(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting as long as a 429's or 503's Retry-After asks, per host."""

    def __init__(self, settings: BaseSettings, crawler: Crawler) -> None:
        super().__init__(settings)
        self.crawler = crawler
        assert crawler.stats is not None  # noqa: S101 - a running crawler always has stats
        self.stats: StatsCollector = crawler.stats
        self.longest = Config.from_settings(settings).retry_after_max
        # Download slot (host) -> the monotonic time before which it must not be contacted.
        self.held_until: dict[str, float] = {}
        crawler.signals.connect(self._downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware for `crawler`."""
        return cls(crawler.settings, crawler)

    def _slot_key(self, request: Request) -> str:
        assert self.crawler.engine is not None  # noqa: S101 - middlewares run inside a running engine
        return self.crawler.engine.downloader.get_slot_key(request)

    def _stated_wait(self, response: Response) -> float | None:
        if response.status not in RETRY_AFTER_STATUSES:
            return None
        return retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))

    def _too_long(self, request: Request) -> Counted:
        self.stats.inc_value(f"newscrawl/{TOO_LONG}")
        return Counted(TOO_LONG, request.url)

    def _downloaded(self, response: Response, request: Request, spider: Spider) -> None:  # noqa: ARG002
        """Hold the host the moment its answer arrives, before its slot sends the next request."""
        wait = self._stated_wait(response)
        if wait is None:
            if response.status in RETRY_AFTER_STATUSES and response.headers.get("Retry-After") is not None:
                self.stats.inc_value("newscrawl/warnings/retry_after_unreadable")
            return
        key, now = self._slot_key(request), monotonic()
        held = max(self.held_until.get(key, now), now)
        if now + wait <= held:
            return
        self.held_until[key] = now + wait
        if wait > self.longest:
            compat.fail_queued_downloads(self.crawler, request, self._too_long)
            return
        total = self.stats.get_value(HELD_SECONDS, 0.0) + now + wait - held
        self.stats.set_value(HELD_SECONDS, round(total, 3))
        compat.hold_download_slot(self.crawler, request, wait)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:  # noqa: ARG002
        """Keep a held host's new requests waiting; give them up when its wait is beyond the longest."""
        if not self.held_until:
            return
        key = self._slot_key(request)
        until = self.held_until.get(key)
        if until is None:
            return
        left = until - monotonic()
        if left <= 0:
            del self.held_until[key]
        elif left > self.longest:
            raise self._too_long(request)
        else:
            # Again for each request: an idle slot may have been dropped and made anew since.
            compat.hold_download_slot(self.crawler, request, left)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None,  # noqa: ARG002
    ) -> Request | Response:
        """Retry a 429/503 with Retry-After once its wait is over (the host is already held); else as Scrapy."""
        wait = self._stated_wait(response)
        if wait is None or request.meta.get("dont_retry", False):
            return super().process_response(request, response)
        waited = request.meta.get(WAITED, 0.0) + wait
        if waited > self.longest:
            raise self._too_long(request)
        # One more retry for this page: a wait the server asked for does not use up RETRY_TIMES.
        budget = request.meta.get("max_retry_times", self.max_retry_times) + 1
        assert self.crawler.spider is not None  # noqa: S101 - responses arrive only while a spider runs
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            max_retry_times=budget,
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )
        if retry is None:
            return response
        self.stats.inc_value("newscrawl/warnings/retry_after")
        retry.meta["max_retry_times"] = budget
        retry.meta[WAITED] = waited
        return retry

