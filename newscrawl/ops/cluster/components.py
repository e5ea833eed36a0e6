"""The Scrapy components of cluster mode besides the scheduler: seeding once, and delivering each article once.

What it is for
    `SeedMiddleware` (a spider middleware) lets only the process holding the group's seeding flag
    yield the spider's start requests; the others wait, and one takes over if the seeder dies.
    `ClusterClaimPipeline` claims each article in Redis before it reaches the feeds: a claim held by
    another process is a counted drop (``newscrawl/dropped/duplicate``). A claim stays tentative
    until its article is durably written, and is then committed (see `Worker.written`).

What it must never do
    Drop an article that no other process has claimed, or decide what the crawl fetches.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from newscrawl.component import CrawlerComponent
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.delivery.state import article_key, key_digest
from newscrawl.ops.cluster.addon import ClusterConfigError
from newscrawl.ops.cluster.worker import TICK, Worker

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from scrapy.crawler import Crawler


class SeedMiddleware:
    """Spider middleware: only the process holding the seeding flag yields the spider's start requests."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The middleware for `crawler`."""
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Seed the frontier, or wait until it is seeded (taking over if the seeder dies)."""
        worker = Worker.of(self.crawler)
        while True:
            role = worker.seed_role()
            if role == "mine":
                count = 0
                async for request_or_item in start:
                    count += 1
                    yield request_or_item
                worker.seeded(count)
                return
            if role != "other":
                return
            await asyncio.sleep(5 * TICK)


class ClusterClaimPipeline(CrawlerComponent):
    """Deliver each article once across the cluster: claim it in Redis before it reaches the feeds."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        if CrawlContext.of(crawler).params.incremental and not Config.of(crawler).state:
            raise ClusterConfigError(
                "cluster mode: -a incremental=true needs the shared crawl state; set NEWSCRAWL_STATE=redis://...",
            )
        self.worker = Worker.of(crawler)
        self._claims: dict[int, bytes] = {}  # id(item) -> digest, while the item is in the pipelines
        # Connected after the feed exporter's handler (extensions are built first): the line is written.
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._dropped, signal=signals.item_error)

    def process_item(self, item: Any) -> Any:
        """Claim the article; drop it (counted) if another process has."""
        url = ItemAdapter(item)["url"]
        digest = key_digest(article_key(url))
        verdict = self.worker.claim(digest)
        if verdict > 0:
            self._claims[id(item)] = digest
            return item
        reason = "cluster_evicted" if verdict < 0 else "duplicate"
        self.stats.inc_value(f"newscrawl/dropped/{reason}")
        raise DropItem(f"{reason}: {url}", log_level="INFO")

    def _scraped(self, item: Any) -> None:
        digest = self._claims.pop(id(item), None)
        if digest is not None:
            self.worker.written(digest)

    def _dropped(self, item: Any) -> None:
        digest = self._claims.pop(id(item), None)
        if digest is not None:
            self.worker.release(digest)
