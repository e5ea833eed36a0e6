"""A backfill's progress and coverage: how far the walk is, and what was delivered for each portal and day.

What it is for
    `BackfillCoverage` (an extension; it does nothing unless the crawl is a backfill) counts the
    articles delivered per portal and publication day, logs one progress line every
    ``NEWSCRAWL_BACKFILL_PROGRESS_SECONDS``::

        backfill 2024-01-01..2024-03-31: 53/91 days, 4,120 articles, ~18 min left

    and, when the crawl ends, puts in the stats (``newscrawl/backfill/coverage``) the lines the
    end-of-crawl summary shows (`backfill_lines`): per portal, its articles per day as a text
    sparkline (one line per month) and the days with no article at all. With a backfill journal
    (a JOBDIR, newscrawl/crawl/journal.py) it records each article once it is durable: a local
    feed's line once flushed to the file, an S3 batch's articles once committed. The days walked
    are counted by the spider (``newscrawl/backfill/days_walked``, ``portal_days_walked``).

What it must never do
    Change or drop an item, or record an article in the journal before its feed holds it.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

from newscrawl.compat import flush_feed_files
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.crawl.journal import Journal, article_digest
from newscrawl.delivery.state import article_key
from newscrawl.delivery.state.ledger import versions_delivered
from newscrawl.extract.archive import days

if TYPE_CHECKING:
    from datetime import date

    from scrapy.crawler import Crawler

    from newscrawl.delivery.state import Version

logger = logging.getLogger(__name__)

_STATS = "newscrawl/backfill/"
_BARS = "▁▂▃▄▅▆▇█"
_NONE = "·"
# Days with no article listed in the summary, at most (then "and N more").
_HOLES_SHOWN = 12


def backfill_lines(stats: dict[str, Any]) -> list[str]:
    """The summary's backfill lines (empty for any other crawl)."""
    lines = stats.get(f"{_STATS}coverage")
    return [str(line) for line in lines] if isinstance(lines, list) else []


def sparkline(counts: list[int], top: int) -> str:
    """One character per day: ``·`` for none, else a bar of eight heights scaled to `top`."""
    return "".join(_BARS[max(0, math.ceil(8 * n / top) - 1)] if n else _NONE for n in counts)


def holes(empty: list[date]) -> str:
    """Days with no article, as ranges: ``2024-01-07, 2024-02-11..2024-02-13``."""
    runs: list[list[date]] = []
    for day in empty:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    shown = [f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs[:_HOLES_SHOWN]]
    more = f" and {len(runs) - _HOLES_SHOWN} more" if len(runs) > _HOLES_SHOWN else ""
    return ", ".join(shown) + more


def coverage_lines(counts: Counter[tuple[str, str]], portals: list[str], first: date, last: date) -> list[str]:
    """Per portal: its articles, a sparkline per month of the range, and its days with no article."""
    lines = []
    span = list(days(first, last))
    for portal in portals:
        per_day = [counts[portal, day.isoformat()] for day in span]
        undated = counts[portal, "-"]
        total = sum(per_day) + undated
        top = max(per_day, default=0)
        undated_note = f", {undated:,} without a date" if undated else ""
        lines.append(f"    {portal}: {total:,} articles (at most {top:,} a day{undated_note})")
        month: list[int] = []
        for n, day in enumerate(span):
            month.append(per_day[n])
            if n == len(span) - 1 or span[n + 1].month != day.month:
                start = span[n - len(month) + 1]
                label = start.isoformat()[:7] if start.day == 1 else start.isoformat()
                lines.append(f"      {label:<10} {sparkline(month, max(top, 1))}")
                month = []
        empty = [day for day, n in zip(span, per_day, strict=True) if n == 0]
        if empty:
            lines.append(f"      no article on {len(empty)} days: {holes(empty)}")
    return lines


class BackfillCoverage:
    """Extension: a backfill's progress line, its coverage in the summary, its deliveries in the journal."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = Config.of(crawler)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.earlier = 0  # articles delivered by earlier runs of this backfill (its journal)
        self.started = time.monotonic()
        self.walked_at_start = 0
        self._pending: dict[str, tuple[bytes, str, str]] = {}  # S3: article key -> delivery, until committed
        self._timer: Any = None
        crawler.signals.connect(self._opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the extension for `crawler`."""
        return cls(crawler)

    @property
    def _stats(self) -> Any:
        return self.crawler.stats

    def _opened(self) -> None:
        params = CrawlContext.of(self.crawler).params
        if not params.is_backfill or params.since is None:
            return
        self.first, self.last = params.since, params.last_day
        self.journal = Journal.of(self.crawler)
        if self.journal is not None:
            self.counts.update(self.journal.delivered)
            self.earlier = sum(self.journal.delivered.values())
        self.walked_at_start = self._stats.get_value(f"{_STATS}portal_days_walked", 0)
        self.started = time.monotonic()
        # Connected now, after every component is built: the feed exporter has written the line.
        self.crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        if self.journal is not None and self.config.s3_uri:
            self.crawler.signals.connect(self._committed, signal=versions_delivered)
        self.crawler.signals.connect(self._closed, signal=signals.spider_closed)
        self._timer = create_looping_call(self._progress)
        self._timer.start(self.config.backfill_progress_seconds, now=False)

    def _scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        portal, url = str(adapter.get("portal") or ""), str(adapter.get("url") or "")
        day = str(adapter.get("published_at") or "")[:10] or "-"
        self.counts[portal, day] += 1
        if self.journal is None:
            return
        delivery = (article_digest(url), portal, day)
        if self.config.s3_uri:
            self._pending[article_key(url)] = delivery  # durable once its batch is committed
        else:
            flush_feed_files(self.crawler)
            self.journal.note_delivered([delivery])

    def _committed(self, versions: list[Version]) -> None:
        assert self.journal is not None  # noqa: S101 - connected only with a journal
        done = [self._pending.pop(v.key) for v in versions if v.key in self._pending]
        self.journal.note_delivered(done)

    def progress_line(self, ending: str = "") -> str:
        """``backfill 2024-01-01..2024-03-31: 53/91 days, 4,120 articles, ~18 min left`` (or how it `ending`)."""
        get = self._stats.get_value
        total_days, walked_days = get(f"{_STATS}days", 0), get(f"{_STATS}days_walked", 0)
        portal_days, walked = get(f"{_STATS}portal_days", 0), get(f"{_STATS}portal_days_walked", 0)
        articles = self.earlier + get("item_scraped_count", 0)
        portals = len(CrawlContext.of(self.crawler).portals)
        detail = f" ({walked:,}/{portal_days:,} portal-days)" if portals > 1 else ""
        rate = (walked - self.walked_at_start) / max(time.monotonic() - self.started, 1e-9)
        left = "estimating time left" if rate <= 0 else f"~{_duration((portal_days - walked) / rate)} left"
        left = ending or left
        return (f"backfill {self.first}..{self.last}: {walked_days:,}/{total_days:,} days{detail}, "
                f"{articles:,} articles, {left}")

    def _progress(self) -> None:
        logger.info(self.progress_line())

    def _closed(self, reason: str) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        logger.info(self.progress_line(ending=reason))
        crawled = CrawlContext.of(self.crawler).portals
        portals = sorted({p.id for p in crawled} | {p for p, _ in self.counts})
        get = self._stats.get_value
        notes = [f"{what}: {get(f'{_STATS}{key}'):,}" for key, what in (
            ("archive_not_found", "archive pages not found"), ("sitemap_not_found", "sitemaps not found"),
            ("fell_back_to_sitemaps", "portals sent to their sitemaps")) if get(f"{_STATS}{key}")]
        head = (f"  backfill        : {self.first}..{self.last}, {get(f'{_STATS}days', 0):,} days x "
                f"{len(crawled)} portal{'s' if len(crawled) != 1 else ''}: {get(f'{_STATS}days_walked', 0):,} days "
                f"walked, {sum(self.counts.values()):,} articles" + (f" ({'; '.join(notes)})" if notes else ""))
        self._stats.set_value(f"{_STATS}coverage", [head, *coverage_lines(self.counts, portals, self.first, self.last)])


def _duration(seconds: float) -> str:
    """``45 s``, ``18 min``, ``3.5 h``."""
    if seconds < 90:  # below a minute and a half, seconds say more
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
