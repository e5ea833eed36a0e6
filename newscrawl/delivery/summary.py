"""The one-screen summary a crawl prints when it ends: what was delivered, dropped and why.

Reads only the crawl's stats and the feed slots Scrapy reports; it never changes an item.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

from newscrawl.config import Config
from newscrawl.delivery.coverage import backfill_lines
from newscrawl.delivery.health.report import summary_lines

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_PREFIX = "newscrawl/"


def _group(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix) and isinstance(v, int)}


def render_summary(stats: dict[str, Any], feeds: list[str]) -> str:
    """Format the end-of-crawl summary from a stats dict and the feed URIs written."""
    portals = _group(stats, f"{_PREFIX}portals/")
    reached = {k for k, v in stats.items() if k.startswith(f"{_PREFIX}portals/") and v == "reached"}
    lines = [
        "newscrawl summary",
        f"  portals reached : {len(reached) or len(portals)}",
        f"  articles        : {stats.get('item_scraped_count', 0)} delivered",
        (
            f"  pages merged    : {stats.get(f'{_PREFIX}pages_merged', 0)}"
            f" (missing pages: {stats.get(f'{_PREFIX}pages_missing', 0)})"
        ),
        (
            f"  dates unparsed  : {stats.get(f'{_PREFIX}date_unparsed', 0)}"
            f" (missing: {stats.get(f'{_PREFIX}date_missing', 0)},"
            f" future: {stats.get(f'{_PREFIX}date_future', 0)},"
            f" zone fixed: {stats.get(f'{_PREFIX}date_zone_fixed', 0)},"
            f" zone from the site's clocks: {stats.get(f'{_PREFIX}date_zone_from_site', 0)},"
            f" from its place: {stats.get(f'{_PREFIX}date_zone_from_place', 0)})"
        ),
    ]
    lines.extend(_story_lines(stats))
    for title, prefix in (
        ("dropped", f"{_PREFIX}dropped/"),
        ("skipped", f"{_PREFIX}skipped/"),
        ("errors", f"{_PREFIX}errors/"),
        ("warnings", f"{_PREFIX}warnings/"),
        ("delivery", f"{_PREFIX}delivery/"),
    ):
        group = _group(stats, prefix)
        total = sum(group.values())
        detail = ", ".join(f"{k}={v}" for k, v in group.items()) or "none"
        lines.append(f"  {title:<16}: {total} ({detail})")
    lines.extend(_retry_after_lines(stats))
    lines.extend(_s3_lines(stats))
    lines.extend(_warc_lines(stats))
    lines.extend(summary_lines(stats))
    lines.extend(backfill_lines(stats))
    lines.append(f"  responses       : {stats.get('response_received_count', 0)}"
                 f" (retries: {stats.get('retry/count', 0)})")
    lines.extend(f"  feed            : {uri}" for uri in feeds)
    lines.append(f"  finished        : {stats.get('finish_reason', '?')}")
    return "\n".join(lines)


def _story_lines(stats: dict[str, Any]) -> list[str]:
    """How many delivered articles were copies, and the largest stories (newscrawl/delivery/stories/)."""
    kinds = _group(stats, f"{_PREFIX}stories/")
    if not kinds:
        return []
    named = kinds.pop("with_copy_of", 0)
    detail = ", ".join(f"{k}={v}" for k, v in kinds.items() if k != "copy")
    delivered = stats.get("item_scraped_count", 0)
    copies = f"{kinds.get('copy', 0)} of {delivered} delivered joined a known story ({named} with copy_of; {detail})"
    lines = [f"  copies          : {copies}"]
    largest = stats.get(f"{_PREFIX}stories/largest")
    if largest:
        lines.append(f"  largest stories : {largest}")
    return lines


def _retry_after_lines(stats: dict[str, Any]) -> list[str]:
    """How long hosts were left alone because they asked (Retry-After; newscrawl/crawl/retry.py)."""
    waits = stats.get(f"{_PREFIX}warnings/retry_after", 0)
    given_up = stats.get(f"{_PREFIX}errors/retry_after_too_long", 0)
    if not waits and not given_up:
        return []
    held = stats.get(f"{_PREFIX}retry_after/held_seconds", 0)
    return [f"  retry-after     : {waits} pages waited, hosts held {held:.1f} s, {given_up} pages given up (too long)"]


def _s3_lines(stats: dict[str, Any]) -> list[str]:
    """Where the S3 feed delivered, and what waits in the spool (newscrawl/delivery/feeds/)."""
    spool = stats.get(f"{_PREFIX}s3/spool")
    if not spool:
        return []
    uploaded = stats.get(f"{_PREFIX}delivery/uploaded", 0)
    recovered = stats.get(f"{_PREFIX}delivery/recovered", 0)
    objects = stats.get(f"{_PREFIX}s3/batches_uploaded", 0) + stats.get(f"{_PREFIX}s3/batches_recovered", 0)
    targets = stats.get(f"{_PREFIX}s3/targets") or "nothing new"
    spooled = stats.get(f"{_PREFIX}delivery/spooled", 0)
    batches = stats.get(f"{_PREFIX}s3/batches_spooled", 0)
    earlier = f", {recovered} from earlier crawls" if recovered else ""
    fate = ("the cluster asks S3 whether they arrived and redoes them if not" if stats.get(f"{_PREFIX}s3/leased")
            else "the next crawl uploads them")
    waiting = f"{spooled} articles in {batches} batches at {spool} ({fate})"
    return [
        f"  delivered to    : {targets} ({uploaded} articles{earlier} in {objects} objects)",
        f"  spooled         : {waiting if batches else f'nothing (spool: {spool})'}",
    ]


def _warc_lines(stats: dict[str, Any]) -> list[str]:
    """What the WARC archive kept, and what waits in its spool (newscrawl/delivery/warc/)."""
    destination = stats.get(f"{_PREFIX}warc/destination")
    if not destination:
        return []
    records = stats.get(f"{_PREFIX}warc/records", 0)
    size = stats.get(f"{_PREFIX}warc/bytes", 0) / 2**20
    line = f"  archive         : {records} responses, {size:.1f} MiB in {stats.get(f'{_PREFIX}warc/files', 0)}"
    line += f" WARC files at {destination}"
    spool = stats.get(f"{_PREFIX}warc/spool")
    if not spool:
        return [line]
    spooled = stats.get(f"{_PREFIX}warc/spooled", 0)
    recovered = stats.get(f"{_PREFIX}warc/recovered", 0)
    earlier = f", {recovered} from earlier crawls" if recovered else ""
    waiting = f"{spooled} spooled at {spool} (the next crawl uploads them)" if spooled else "none spooled"
    return [f"{line} ({stats.get(f'{_PREFIX}warc/uploaded', 0)} uploaded{earlier}, {waiting})"]


class CrawlSummary:
    """Extension: log the summary at the end of every crawl (and write the stats, if asked)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.feeds: list[str] = []
        crawler.signals.connect(self._feed_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self._engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the extension for `crawler`."""
        return cls(crawler)

    def _feed_closed(self, slot: Any) -> None:
        uri = getattr(slot, "uri", None)
        if uri:
            self.feeds.append(str(uri))

    def _engine_stopped(self) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        values = stats.get_stats()
        text = render_summary(values, self.feeds)
        logger.info("\n%s", text)
        # Machine-readable copy for schedulers and tests: NEWSCRAWL_STATS_FILE=path.json
        path = Config.of(self.crawler).stats_file
        if path:
            payload = {"stats": values, "feeds": self.feeds}
            Path(path).write_text(json.dumps(payload, default=str, indent=1), encoding="utf-8")
