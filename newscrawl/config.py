"""Every ``NEWSCRAWL_*`` setting, read once into one typed `Config`, with its default in one place.

What it is for
    Components never call ``settings.get("NEWSCRAWL_...")`` or ``os.environ`` themselves: they
    ask ``Config.of(crawler)`` (or ``Config.from_settings(settings)`` before the crawler is
    running, as add-ons do). A value is taken from the Scrapy setting when it is set (``-s``,
    Scrapyd job settings, ``settings.py``), else from the environment variable of the same name
    (how Scrapyd jobs usually get them), else from the default below. This is the only module
    that reads the environment for newscrawl's own settings.

What it must never do
    Decide anything about a crawl, open a file or a connection, or hold a secret: credentials
    (AWS, Redis passwords) stay in the environment and are read by the clients that need them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.crawler import Crawler

DEFAULT_FEED = "feeds/%(name)s/%(time)s.jsonl"
DEFAULT_STATE = ".state/kabar.sqlite"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


# AWS credentials given as Scrapy settings are refused: Scrapy writes settings to the log.
SECRET_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def secret_refusal(settings: Mapping[str, Any]) -> str | None:
    """The one-line refusal when a credential is given as a setting (never its value), else None."""
    given = [name for name in SECRET_SETTINGS if settings.get(name)]
    if not given:
        return None
    return (
        f"{given[0]} is set as a Scrapy setting; AWS credentials are taken only from the environment "
        "(settings are written to the log)"
    )


class ConfigError(ValueError):
    """A ``NEWSCRAWL_*`` value cannot be read; the message names it, in one line."""


@dataclass(frozen=True, slots=True)
class Config:
    """The crawl's ``NEWSCRAWL_*`` settings (field ``x_y`` is setting/variable ``NEWSCRAWL_X_Y``)."""

    # Who we are, for the User-Agent.
    contact: str = "newscrawl operators"
    # Caps so that no trap (endless tag or calendar pagination) runs forever.
    max_listing_depth: int = 30
    max_listings_per_portal: int = 2000
    # The local feed used when no FEEDS are given (-o/-O, Scrapyd's items_dir). Env: NEWSCRAWL_FEED_URI.
    default_feed: str = DEFAULT_FEED
    # The crawl state: a path, sqlite:///path or redis://... "" = none configured.
    state: str = ""
    # s3://BUCKET/prefix turns the S3 feed on.
    s3_uri: str = ""
    # The <group> of the S3 keys; `newscrawl schedule` sets it to its schedule group's name.
    feed_group: str = ""
    spool_dir: str = ".spool"
    batch_items: int = 500
    batch_seconds: float = 300.0
    s3_attempts: int = 3
    # Retry-After (429/503): the longest a page waits in all; a host asking for more is given up until then.
    retry_after_max: float = 600.0
    # Cluster mode: the Redis URL, the cluster group, the scheduled run, the lease in seconds.
    cluster: str = ""
    cluster_group: str = ""
    cluster_run: str = ""
    cluster_lease: float = 15.0
    # JS rendering.
    chromium: str = DEFAULT_CHROMIUM
    render_portals: tuple[str, ...] = ()
    render_quiet_ms: int = 300
    render_settle_ms: int = 5000
    render_pages_per_context: int = 100
    # The same story on many portals: a body with fewer words never joins a story on its text alone.
    story_min_words: int = 50
    # The WARC archive of every response (newscrawl/delivery/warc/): a directory or s3://BUCKET/prefix;
    # "" = off. A file is closed and the next one started at this size (bytes; 1 GB is the WARC custom).
    warc: str = ""
    warc_max_size: int = 1_000_000_000
    # Backfills (-a since=... -a until=...): the longest range accepted, and how often progress is logged.
    backfill_max_years: int = 10
    backfill_progress_seconds: float = 60.0
    # The most pages one walk of a dated archive reads (a day, or a whole year of Suara's index).
    backfill_max_pages: int = 2000
    # Machine-readable copy of the stats, written when the crawl ends.
    stats_file: str = ""
    # Scrapy's LOG_LEVEL for the project (settings.py reads it from here).
    log_level: str = "INFO"
    # Extraction health (newscrawl/delivery/health/): crawls kept per portal in the crawl state; a
    # command given the flagged portals' JSON on its standard input when a crawl ends with flags.
    health_keep: int = 50
    health_command: str = ""
    # When a portal is flagged against the median of its last crawls: a field's fill rate drops by
    # this much (0.3 = 30 points), a field's share found by a fallback route rises by this much, the
    # median body length falls to this share of the usual, the error rate rises by this much; rates
    # are compared when a crawl read at least `health_min_articles` articles of the portal.
    health_fill_drop: float = 0.3
    health_fallback_jump: float = 0.3
    health_body_ratio: float = 0.5
    health_error_jump: float = 0.2
    health_min_articles: int = 3

    def problem(self) -> str | None:
        """The first value no crawl can use, as one line naming the setting; None when all are usable."""
        if self.retry_after_max < 0:
            return f"NEWSCRAWL_RETRY_AFTER_MAX={self.retry_after_max:g} must be 0 or more (seconds)"
        for name in ("health_keep", "health_min_articles", "warc_max_size"):
            if getattr(self, name) < 1:
                return f"NEWSCRAWL_{name.upper()}={getattr(self, name)} must be 1 or more"
        for name in ("health_fill_drop", "health_fallback_jump", "health_body_ratio", "health_error_jump"):
            if not 0 < getattr(self, name) <= 1:
                return f"NEWSCRAWL_{name.upper()}={getattr(self, name)} must be a share: more than 0, at most 1"
        return None

    # Settings whose environment variable has another name than the setting.
    _ENV_NAMES: ClassVar[Mapping[str, str]] = {"default_feed": "NEWSCRAWL_FEED_URI"}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Config:
        """Read every value: the setting if set, else the environment variable, else the default."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = "NEWSCRAWL_" + f.name.upper()
            raw = settings.get(name)
            if raw is None or raw in ("", [], ()):
                raw = env.get(cls._ENV_NAMES.get(f.name, name))
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(name, raw, f.default)
        return cls(**values)

    @classmethod
    def of(cls, crawler: Crawler) -> Config:
        """The running crawler's config, read once its settings are final (then cached)."""
        found = _CACHE.get(crawler)
        if found is not None:
            return found
        config = cls.from_settings(crawler.settings)
        if crawler.settings.frozen:
            _CACHE[crawler] = config
        return config

    @property
    def state_uri(self) -> str:
        """The crawl state a crawl uses when it keeps one: the configured one, else the default file."""
        return self.state or DEFAULT_STATE

    @property
    def user_agent(self) -> str:
        """The User-Agent every request carries."""
        return f"newscrawl/0.1 (+news archive crawler; contact: {self.contact})"


_CACHE: WeakKeyDictionary[Crawler, Config] = WeakKeyDictionary()


def _convert(name: str, raw: object, default: object) -> object:
    """`raw` (a setting's value or an environment string) as the type of `default`."""
    try:
        if isinstance(default, bool):
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(str(raw).strip())
        if isinstance(default, float):
            return float(str(raw).strip())
        if isinstance(default, tuple):
            items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
            return tuple(s for s in (str(i).strip() for i in items) if s)
    except ValueError:
        kind = type(default).__name__
        raise ConfigError(f"{name}={raw!r} is not a valid {'number' if kind in ('int', 'float') else kind}") from None
    return str(raw).strip()
