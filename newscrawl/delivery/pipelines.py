"""Item pipelines: small steps that each do one thing, and count what they did.

Order (see settings.ITEM_PIPELINES): boilerplate -> dates -> validate -> since -> dedup ->
health -> incremental -> (cluster claim) -> stories (newscrawl/delivery/stories/pipeline.py) -> limit.
They read the crawl's arguments from its `CrawlContext`, never from the spider.
A pipeline that drops an item says why in ``newscrawl/dropped/<reason>``; none drops silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.component import CrawlerComponent
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.crawl.portal_stats import portal_stat
from newscrawl.delivery.state import article_key, content_hash, key_digest
from newscrawl.delivery.state.ledger import Ledger
from newscrawl.extract.clean import clean_body, missing_content, set_dates
from newscrawl.extract.links import dedup_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class _Step(CrawlerComponent):
    """A pipeline step: dropping an item always counts its reason."""

    def drop(self, reason: str, item: Any) -> DropItem:
        """Count `reason` and return the DropItem to raise."""
        self.stats.inc_value(f"newscrawl/dropped/{reason}")
        adapter = ItemAdapter(item)
        if adapter.get("portal"):
            self.stats.inc_value(portal_stat(f"dropped/{reason}", adapter["portal"]))
        url = adapter.get("url")
        return DropItem(f"{reason}: {url}", log_level="INFO")


class BoilerplatePipeline(_Step):
    """Remove boilerplate from the body; move the dateline and credits into their fields."""

    def process_item(self, item: Any) -> Any:
        """Clean one item."""
        adapter = ItemAdapter(item)
        for rule, count in clean_body(adapter).items():
            self.stats.inc_value(f"newscrawl/boilerplate/{rule}", count)
        missing = adapter.get("_pages_missing") or 0
        if missing:
            self.stats.inc_value("newscrawl/pages_missing", missing)
        return item


# The stat counting a site of unknown zone read in its own zone, by which sign gave it (`DateOutcome`).
_ZONE_FROM_SITE = {"clocks": "newscrawl/date_zone_from_site", "place": "newscrawl/date_zone_from_place"}


class DatesPipeline(_Step):
    """Turn raw dates into ISO 8601 with the portal's offset; never invent one."""

    def process_item(self, item: Any) -> Any:
        """Date one item, unless the spider already did (a crawl with ``since``: `KabarSpider._published`)."""
        adapter = ItemAdapter(item)
        outcome = adapter.get("_dated") or set_dates(adapter)
        if outcome.status == "unparsed":
            self.stats.inc_value("newscrawl/date_unparsed")
        elif outcome.status != "ok":
            self.stats.inc_value(f"newscrawl/date_{outcome.status}")
        if outcome.zone_fixed:
            self.stats.inc_value("newscrawl/date_zone_fixed")
        if outcome.zone_from_site:
            self.stats.inc_value(_ZONE_FROM_SITE[outcome.zone_from_site])
        return item


class ValidatePipeline(_Step):
    """Drop an article that has no title or no body, with the reason counted."""

    def process_item(self, item: Any) -> Any:
        """Check one item."""
        reason = missing_content(ItemAdapter(item))
        if reason is not None:
            raise self.drop(reason, item)
        return item


class SincePipeline(_Step):
    """Drop articles published before the crawl's ``since`` argument."""

    def process_item(self, item: Any) -> Any:
        """Check one item's date against ``since``."""
        since = CrawlContext.of(self.crawler).params.since
        published = ItemAdapter(item).get("published_at")
        if since and published and published[:10] < since.isoformat():
            raise self.drop("older_than_since", item)
        return item


class DedupPipeline(_Step):
    """Deliver each article once per crawl, whatever URL variant it was reached by."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # Fixed-size digests (as in the crawl state), not URLs: memory per article stays small.
        self._seen: set[bytes] = set()

    def process_item(self, item: Any) -> Any:
        """Drop an article already delivered in this crawl."""
        key = key_digest(dedup_key(ItemAdapter(item)["url"]))
        if key in self._seen:
            raise self.drop("duplicate", item)
        self._seen.add(key)
        return item


class LimitPipeline(_Step):
    """Deliver at most ``max_articles`` items.

    CLOSESPIDER_ITEMCOUNT stops the crawl; this makes the cap exact: items already in flight when
    the crawl is told to stop are counted (``skipped/max_articles``), not delivered.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._delivered = 0

    def process_item(self, item: Any) -> Any:
        """Pass items until the cap is reached."""
        limit = CrawlContext.of(self.crawler).params.max_articles
        if limit is not None and self._delivered >= limit:
            self.stats.inc_value("newscrawl/skipped/max_articles")
            raise DropItem(f"max_articles reached: {ItemAdapter(item).get('url')}", log_level="DEBUG")
        self._delivered += 1
        return item


class IncrementalPipeline(_Step):
    """Emit only articles that are new or whose content changed since they were last delivered.

    The crawl state (newscrawl/delivery/state/) holds the content hash of each article's delivered
    version. An unchanged article is a counted skip (``newscrawl/skipped/unchanged``), not an
    error; a changed one is emitted again as it now is (its ``modified_at`` is whatever the page
    says, never invented). ``-a incremental=false`` emits everything and still records it.
    Every emitted item carries its ``content_hash``.

    Incremental is the default where a crawl state is configured (``NEWSCRAWL_STATE``: scheduled
    jobs); a one-off crawl without one keeps no state and delivers everything, so running the same
    crawl twice by hand never gives an empty feed. ``-a incremental=true`` forces it on.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        wanted = CrawlContext.of(crawler).params.incremental
        configured = bool(Config.of(crawler).state)
        self.incremental = configured if wanted is None else wanted
        self.ledger = Ledger.of(crawler) if self.incremental or configured else None

    def process_item(self, item: Any) -> Any:
        """Hash the item's content and compare it with the delivered version."""
        adapter = ItemAdapter(item)
        digest = content_hash(adapter)
        adapter["content_hash"] = digest.hex()
        if self.ledger is None:
            return item
        key = article_key(adapter["url"])
        seen = self.ledger.seen(key)
        if seen is None:
            self.stats.inc_value("newscrawl/incremental/new")
        elif seen.content_hash != digest:
            self.stats.inc_value("newscrawl/incremental/updated")
        elif self.incremental:
            self.ledger.unchanged(key)
            self.stats.inc_value("newscrawl/skipped/unchanged")
            raise DropItem(f"unchanged since last delivered: {adapter['url']}", log_level="DEBUG")
        else:
            self.stats.inc_value("newscrawl/incremental/unchanged_emitted")
        return item
