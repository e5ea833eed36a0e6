"""The Scrapy side of the extraction health: count articles per portal, judge and keep them at the end.

What it is for
    `HealthPipeline` (between de-duplication and the incremental skip, settings.ITEM_PIPELINES)
    adds each article to its portal's `Tally`. `HealthMonitor` (an extension) counts what each
    portal delivered and, when the spider closes, builds one `PortalCrawl` per portal the crawl
    worked on (from the tallies and the per-portal counters, `crawl.portal_stats`), judges each
    against the portal's history kept beside the crawl state (`store`), adds them to it, logs a
    WARNING per reason, leaves the outcome in the stats for the summary
    (``newscrawl/health/flagged``, ``newscrawl/health/report``), and runs NEWSCRAWL_HEALTH_COMMAND
    with the flagged portals' JSON on its standard input.

    Without a configured crawl state (a one-off crawl), nothing is kept and a portal is judged as
    a new one (zero articles, unreachable, all-fallback): only the summary shows it.

What it must never do
    Change or drop an item, or stop a crawl: a store or command that fails is logged and counted
    (``newscrawl/health/store_failed``, ``newscrawl/health/command_failed``).
"""

from __future__ import annotations

import json
import logging
import subprocess
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.component import CrawlerComponent
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.crawl.portal_stats import by_portal
from newscrawl.delivery.health.record import PortalCrawl, Tally
from newscrawl.delivery.health.report import portal_json
from newscrawl.delivery.health.rules import Margins, judge, notes
from newscrawl.delivery.health.store import open_health
from newscrawl.delivery.state import StateError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

COMMAND_TIMEOUT = 120


class Tallies:
    """One crawl's tallies, per portal; shared by the pipeline and the extension of a crawler."""

    _by_crawler: ClassVar[weakref.WeakKeyDictionary[Crawler, Tallies]] = weakref.WeakKeyDictionary()

    def __init__(self) -> None:
        self.portals: dict[str, Tally] = {}

    @classmethod
    def of(cls, crawler: Crawler) -> Tallies:
        """The crawler's tallies, made on first use."""
        found = cls._by_crawler.get(crawler)
        if found is None:
            found = cls._by_crawler[crawler] = cls()
        return found


    def tally(self, portal: str) -> Tally:
        """The tally of `portal`, made on first use."""
        found = self.portals.get(portal)
        if found is None:
            found = self.portals[portal] = Tally()
        return found


class HealthPipeline(CrawlerComponent):
    """Count every article read (valid, unique, in ``since``) for its portal's health."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tallies = Tallies.of(crawler)

    def process_item(self, item: Any) -> Any:
        """Add the article to its portal's tally; the item passes unchanged."""
        # An Article is a mapping already; reading it through an adapter costs twice as much.
        fields = item if isinstance(item, Mapping) else ItemAdapter(item)
        portal = fields.get("portal")
        if portal:
            self.tallies.tally(portal).add(fields)
        return item


class HealthMonitor(CrawlerComponent):
    """Extension: judge every portal's health when the spider closes, keep it, tell of flags."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tallies = Tallies.of(crawler)
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the extension for `crawler`."""
        return cls(crawler)

    def _scraped(self, item: Any) -> None:
        portal = ItemAdapter(item).get("portal")
        if portal:
            self.tallies.tally(portal).delivered += 1

    def records(self) -> list[PortalCrawl]:
        """The record, in this crawl, of every portal the crawl worked on."""
        values = self.stats.get_stats()
        counts = by_portal(values)
        started = values.get("start_time")
        at = round(started.timestamp(), 3) if started is not None else 0.0
        group = Config.of(self.crawler).feed_group
        portals = dict.fromkeys(p.id for p in CrawlContext.of(self.crawler).portals)
        portals.update(dict.fromkeys([*self.tallies.portals, *counts]))
        built = (PortalCrawl.build(p, at, self.tallies.portals.get(p), counts.get(p, {}), group) for p in portals)
        return [record for record in built if record.active]

    def _history(self, records: list[PortalCrawl]) -> dict[str, list[PortalCrawl]]:
        """The portals' earlier crawls (none without a crawl state); this crawl's records are then kept."""
        config = Config.of(self.crawler)
        if not config.state or not records:
            return {}
        try:
            store = open_health(config.state)
            try:
                history = store.history(r.portal for r in records)
                store.add(records, config.health_keep)
            finally:
                store.close()
        except StateError as exc:
            logger.error("health: not kept: %s", exc)  # noqa: TRY400 - one line, the message says it all
            self.stats.inc_value("newscrawl/health/store_failed")
            return {}
        return history

    def _closed(self) -> None:
        records = self.records()
        history = self._history(records)
        margins = Margins.of(Config.of(self.crawler))
        flagged: dict[str, list[str]] = {}
        noted: dict[str, list[str]] = {}
        for record in records:
            earlier = [c for c in history.get(record.portal, []) if c.at < record.at]
            reasons = judge(record, earlier, margins)
            if reasons:
                flagged[record.portal] = reasons
                for reason in reasons:
                    logger.warning("health: %s: %s", record.portal, reason)
            if notes(record):
                noted[record.portal] = notes(record)
        self.stats.set_value("newscrawl/health/portals", len(records))
        self.stats.set_value("newscrawl/health/flagged", len(flagged))
        self.stats.set_value("newscrawl/health/report", {"flagged": flagged, "notes": noted})
        if flagged:
            by_id = {r.portal: r for r in records}
            self._tell(
                [portal_json(p, reasons, [*history.get(p, []), by_id[p]]) for p, reasons in flagged.items()],
            )

    def _tell(self, portals: list[dict[str, Any]]) -> None:
        """Run NEWSCRAWL_HEALTH_COMMAND with ``{"portals": [...]}`` (the flagged ones) on its standard input."""
        command = Config.of(self.crawler).health_command
        if not command:
            return
        payload = json.dumps({"portals": portals}, ensure_ascii=False)
        try:
            # A shell command line, as in cron: the operator's own setting, never a crawled value.
            done = subprocess.run(  # noqa: S602
                command, shell=True, input=payload, text=True, capture_output=True,
                timeout=COMMAND_TIMEOUT, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.error("health: NEWSCRAWL_HEALTH_COMMAND failed: %s", exc)  # noqa: TRY400 - one line
            self.stats.inc_value("newscrawl/health/command_failed")
            return
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            logger.error("health: NEWSCRAWL_HEALTH_COMMAND exited with %d %s", done.returncode, tail[0])
            self.stats.inc_value("newscrawl/health/command_failed")
