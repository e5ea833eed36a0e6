"""The one place that decides a crawl's feeds (FEEDS) and its article cap (CLOSESPIDER_ITEMCOUNT).

* Explicit feeds (``-o``/``-O``, ``-s FEEDS=...``, Scrapyd's items_dir) are kept as given.
* ``NEWSCRAWL_S3_URI`` adds the S3 feed (naming.py, storage.py) beside them.
* Neither: the default local feed, ``NEWSCRAWL_DEFAULT_FEED`` (JSON lines, UTF-8). It is decided
  here rather than written in FEEDS in settings.py because Scrapy merges FEEDS across priorities:
  a default there would be written beside every ``-O`` file.
* ``-a max_articles=N`` sets CLOSESPIDER_ITEMCOUNT (the limit pipeline makes the cap exact).

Add-ons run after the spider is created (its arguments are in the crawl's context) and before the
settings are frozen and logged, which is why AWS credentials given as settings are refused here.

This module must never read a credential, nor decide anything about how a batch is delivered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from scrapy.settings import SETTINGS_PRIORITIES

from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.delivery.feeds.naming import DeliveryConfigError, s3_feed_template

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

_SECRET_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
# The feed options of the S3 feed: batching is the storage's own (items and seconds).
_S3_FEED: dict[str, Any] = {
    "format": "jsonlines",
    "encoding": "utf-8",
    "store_empty": False,
    "batch_item_count": 0,
    "uri_params": "newscrawl.delivery.feeds.naming.uri_params",
}
_LOCAL_FEED: dict[str, Any] = {"format": "jsonlines", "encoding": "utf-8"}


class FeedsAddon:
    """Add-on: the crawl's FEEDS (explicit, plus S3 if configured, else the default local feed) and its cap."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the add-on for `crawler` (its spider, hence its context, already exists)."""
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        """Refuse AWS credentials as settings; set FEEDS and CLOSESPIDER_ITEMCOUNT."""
        given = [name for name in _SECRET_SETTINGS if settings.get(name)]
        if given:
            raise DeliveryConfigError(
                f"{given[0]} is set as a Scrapy setting; AWS credentials are taken only from the environment "
                "(settings are written to the log)",
            )
        config = Config.from_settings(settings)
        feeds = dict(settings.getdict("FEEDS"))
        if config.s3_uri:
            feeds[s3_feed_template(config.s3_uri)] = dict(_S3_FEED)
            priority = max(settings.getpriority("FEEDS") or 0, SETTINGS_PRIORITIES["addon"])
            settings.set("FEEDS", feeds, priority=priority)
        elif not feeds:
            settings.set("FEEDS", {config.default_feed: dict(_LOCAL_FEED)}, priority="spider")
        max_articles = CrawlContext.of(self.crawler).params.max_articles
        if max_articles:
            settings.set("CLOSESPIDER_ITEMCOUNT", max_articles, priority="spider")
