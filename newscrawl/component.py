"""The wiring every pipeline and middleware of the project shares: its crawler and the crawl's stats.

Nothing here decides anything about a page or an item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class CrawlerComponent:
    """A Scrapy component built from the crawler, with the stats it counts outcomes in."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None  # noqa: S101 - a running crawler always has stats
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the component for `crawler`."""
        return cls(crawler)
