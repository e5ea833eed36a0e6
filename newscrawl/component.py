"""The wiring the project's components share: their crawler, the crawl's stats, one instance per crawler.

Nothing here decides anything about a page or an item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self
from weakref import WeakKeyDictionary

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


class PerCrawler:
    """A component each crawler has exactly one of, made on first use: ``Kind.of(crawler)``.

    Pipelines, extensions and middlewares built by Scrapy find a shared helper (the crawl state's
    ledger, the S3 delivery, a cluster worker) through it instead of through the spider.
    """

    _instances: ClassVar[WeakKeyDictionary[Crawler, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._instances = WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def of(cls, crawler: Crawler) -> Self:
        """The crawler's instance, created on first use."""
        found: Self | None = cls._instances.get(crawler)
        if found is None:
            found = cls._instances[crawler] = cls(crawler)
        return found
