"""Switching cluster mode on: its settings checked at start-up, its components installed, its group named.

What it is for
    `ClusterAddon` (in ``ADDONS``) does nothing unless ``NEWSCRAWL_CLUSTER`` is set; then it
    refuses, in one line each, what cannot work (not a Redis URL, a password in the URL, a crawl
    state or an S3 feed that the nodes would not share), and installs the shared scheduler, its
    duplicate filter, the seeding middleware and the claim pipeline. `group_name` names the
    frontier a process joins, so that processes started alike meet.

What it must never do
    Connect to Redis (the worker does, when the crawl opens), log or echo a password, or change a
    group's name for the same inputs: the frontiers of running nodes are found by that name.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES

from newscrawl.config import Config

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from newscrawl.context import CrawlContext

CLUSTER = "NEWSCRAWL_CLUSTER"


class ClusterConfigError(ValueError):
    """Cluster mode is misconfigured; the message says what to set, in one line."""


def group_name(config: Config, context: CrawlContext) -> str:
    """The frontier a process joins: the cluster group, else the feed group, else one per spider arguments."""
    name = config.cluster_group or config.feed_group
    if not name:
        what: list[Any] = sorted([portal.id, list(portal.start_urls)] for portal in context.portals)
        what = what or [context.spider_name]
        if context.params.is_backfill:  # a backfill of the same portals is another crawl
            what.append(["backfill", str(context.params.since), str(context.params.until or "today")])
        name = "args-" + hashlib.blake2b(json.dumps(what).encode(), digest_size=6).hexdigest()
    # Braces delimit the Redis Cluster hash tag that keeps a group's keys together.
    return name.replace("{", "(").replace("}", ")")


class ClusterAddon:
    """Add-on: when ``NEWSCRAWL_CLUSTER`` is set, wire the shared scheduler, seeding and claims."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Check the cluster's settings and install its components (refusing a state that is not shared)."""
        config = Config.from_settings(settings)
        url = config.cluster
        if not url:
            return
        if urlsplit(url).scheme not in ("redis", "rediss"):
            raise ClusterConfigError(f"NEWSCRAWL_CLUSTER must be redis://host:port/db or rediss://..., not {url!r}")
        if urlsplit(url).password:
            raise ClusterConfigError("NEWSCRAWL_CLUSTER: put no password in the URL; set REDISCLI_AUTH on the nodes")
        if config.state and urlsplit(config.state).scheme not in ("redis", "rediss"):
            raise ClusterConfigError(
                "cluster mode shares one crawl state: NEWSCRAWL_STATE must be redis://... "
                f"(it is {config.state!r}, a file only this node sees)",
            )
        if config.s3_uri and not config.state:
            raise ClusterConfigError(
                "cluster mode with the S3 feed commits batches to the shared crawl state: set NEWSCRAWL_STATE=redis://...",
            )
        addon = SETTINGS_PRIORITIES["addon"]
        # The URL as a setting too (it may have come from the environment): the feeds look for it.
        settings.set(CLUSTER, url, priority=max(settings.getpriority(CLUSTER) or 0, addon))
        settings.set("SCHEDULER", "newscrawl.ops.cluster.scheduler.ClusterScheduler", priority=addon)
        settings.set("DUPEFILTER_CLASS", "newscrawl.ops.cluster.scheduler.ClusterDupeFilter", priority=addon)
        for name, component, order in (
            ("SPIDER_MIDDLEWARES", "newscrawl.ops.cluster.components.SeedMiddleware", 10),
            # After the incremental pipeline (600): unchanged articles never claim; before the cap (900).
            ("ITEM_PIPELINES", "newscrawl.ops.cluster.components.ClusterClaimPipeline", 800),
        ):
            components = dict(settings.getdict(name))
            components[component] = order
            settings.set(name, components, priority=max(settings.getpriority(name) or 0, addon))
