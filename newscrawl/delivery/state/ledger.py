"""One crawl's use of the crawl state, on the Scrapy side: what the pipelines ask and the feeds commit.

The incremental pipeline asks the `Ledger` whether an article is new, changed or unchanged; the
feeds commit what they durably stored, and `versions_delivered` tells whoever listens (cluster mode
confirms its article claims on it).

This module must never decide what is emitted (the pipeline does) nor when a batch is durable
(the feed storage does).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.component import PerCrawler
from newscrawl.config import Config
from newscrawl.delivery.state import Version, article_key, carried_hash, open_state

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler

    from newscrawl.delivery.state import Seen

logger = logging.getLogger(__name__)

#: Scrapy signal sent by `Ledger.deliver` with ``versions`` (a list of `Version`) once they are
#: committed, i.e. durably delivered (cluster mode confirms its article claims on it).
versions_delivered = object()


class Ledger(PerCrawler):
    """One crawl's use of the crawl state, shared by the incremental pipeline and the feed storages.

    The pipeline asks whether an article is new, changed or unchanged, and notes what it emits.
    A *transactional* feed storage (the S3 storage, newscrawl/delivery/feeds/s3.py) commits each batch
    itself when it is durably stored; without one, what was emitted is committed when the feeds
    close normally (a crawl that is killed then re-emits those articles: at least once).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.state = open_state(Config.of(crawler).state_uri)
        logger.info("crawl state: %s (%d articles known)", self.state.location, self.state.count())
        self.transactional = False
        self.emitted: dict[str, bytes] = {}
        self._closed = False
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._feeds_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(self.close, signal=signals.engine_stopped)


    def seen(self, key: str) -> Seen | None:
        """What the state knows of `key`."""
        return self.state.get(key)

    def unchanged(self, key: str) -> None:
        """Record that `key` was seen again, unchanged."""
        self.state.touch([key], int(time.time()))

    def _scraped(self, item: Any) -> None:
        # Items that passed every pipeline: these are what the feeds receive.
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if url:
            self.emitted[article_key(url)] = carried_hash(adapter)

    def deliver(self, versions: Iterable[Version]) -> None:
        """Commit delivered versions (called by transactional storages); then send `versions_delivered`."""
        committed = list(versions)
        self.state.deliver(committed)
        self.crawler.signals.send_catch_log(signal=versions_delivered, versions=committed)

    def _feeds_closed(self) -> None:
        if self.transactional or not self.emitted:
            return
        stats = self.crawler.stats
        failed = stats is not None and any(
            k.startswith("feedexport/failed_count/") and v for k, v in stats.get_stats().items()
        )
        if failed:
            logger.warning("a feed failed to store: %d emitted articles stay new for the next crawl", len(self.emitted))
            return
        now = int(time.time())
        self.state.deliver(Version(k, h, now) for k, h in self.emitted.items())
        self.emitted.clear()

    def close(self) -> None:
        """Flush and close the state (at engine stop)."""
        if not self._closed:
            self._closed = True
            self.state.close()
