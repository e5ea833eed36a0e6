"""One portal's extraction health in one crawl: what its articles had, and by which route it was found.

What it is for
    `Tally` adds up the articles of one portal as the health pipeline sees them (after validation,
    ``since`` and de-duplication, before the incremental skip: an unchanged article is still a
    read article). `PortalCrawl` is the record kept in the crawl state, one per portal per crawl:
    articles read and delivered; per field the articles that have it, by route; the precision of
    the dates; the median body length; listings fetched and the article links found on them; pages
    answered; errors by reason; robots.txt refusals; drops by reason. Its JSON form is what the
    store keeps (about 400 bytes) and what ``newscrawl health --json`` prints.

What it must never do
    Touch Scrapy or a store, or keep anything of an article but counts (no URL, no text).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

# The fields whose health is kept, and the item field each is read from.
FIELDS: dict[str, str] = {
    "title": "title",
    "published_at": "published_at",
    "author": "author",
    "tags": "tags",
    "image": "image_url",
    "section": "section",
    "body": "body",
}
# The routes that are a field's last resort: what the extractor falls back on when the family's own
# selectors (or, for dates, every date the page states) found nothing. Routes: `extract.article`'s
# ("selector", "meta", "credit", "density") and, for dates, ``published_from`` ("json-ld", "text", "url", ...).
FALLBACKS: dict[str, frozenset[str]] = {
    "title": frozenset({"meta"}),
    "published_at": frozenset({"script", "url", "dateline", "signoff"}),
    "author": frozenset({"credit"}),
    "tags": frozenset({"meta"}),
    "image": frozenset(),
    "section": frozenset({"meta"}),
    "body": frozenset({"density"}),
}
# Dates with a clock: the precisions that are more than a day.
CLOCK = frozenset({"second", "minute", "hour"})


@dataclass(slots=True)
class Tally:
    """The articles of one portal in this crawl, as counted so far."""

    articles: int = 0
    delivered: int = 0  # of them, delivered (not skipped as unchanged, nor over max_articles)
    fields: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in FIELDS})
    precision: dict[str, int] = field(default_factory=dict)
    words: list[int] = field(default_factory=list)

    def add(self, item: Mapping[str, Any]) -> None:
        """Count one article (an item's fields, ``_routes`` included)."""
        self.articles += 1
        get = item.get
        routes: Mapping[str, str] = get("_routes") or {}
        for name, source in FIELDS.items():
            if get(source):
                route = (get("published_from") if name == "published_at" else routes.get(name)) or "other"
                counts = self.fields[name]
                counts[route] = counts.get(route, 0) + 1
        if get("published_at"):
            precision = get("published_precision") or "unknown"
            self.precision[precision] = self.precision.get(precision, 0) + 1
        body: str = get("body") or ""
        # Words of a cleaned body: single spaces between words, a blank line between paragraphs
        # (counted, not split: a split copies the whole body, the largest cost of the health per page).
        self.words.append(body.count(" ") + body.count("\n\n") + 1 if body else 0)


@dataclass(frozen=True, slots=True)
class PortalCrawl:
    """One portal's health in one crawl (the stored record)."""

    portal: str
    at: float  # Unix time the crawl started (to the millisecond: two crawls of a second stay two)
    group: str = ""  # the schedule group that ran it (NEWSCRAWL_FEED_GROUP), if any
    articles: int = 0
    delivered: int = 0
    fields: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> route -> articles
    precision: dict[str, int] = field(default_factory=dict)
    words: int = 0  # median body words
    listings: int = 0  # listing pages fetched
    listed: int = 0  # article links found on them
    answered: int = 0  # pages answered (any page that reached the spider)
    errors: dict[str, int] = field(default_factory=dict)  # reason -> failed requests
    robots: int = 0  # requests refused by robots.txt (reported apart, never flagged)
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> articles dropped

    @classmethod
    def build(cls, portal: str, at: float, tally: Tally | None, counts: Mapping[str, int], group: str) -> PortalCrawl:
        """The record of `portal` from its tally and its per-portal counters (`crawl.portal_stats`)."""
        tally = tally or Tally()
        return cls(
            portal=portal,
            at=at,
            group=group,
            articles=tally.articles,
            delivered=tally.delivered,
            fields={name: dict(routes) for name, routes in tally.fields.items() if routes},
            precision=dict(tally.precision),
            words=int(statistics.median(tally.words)) if tally.words else 0,
            listings=counts.get("listings/fetched", 0),
            listed=counts.get("listings/article_links", 0),
            answered=counts.get("pages/answered", 0),
            errors=_reasons(counts, "errors/"),
            robots=counts.get("skipped/robots_txt", 0),
            dropped=_reasons(counts, "dropped/"),
        )

    @property
    def active(self) -> bool:
        """Whether the crawl did anything on this portal (a crawl stopped early may not reach every portal)."""
        return bool(self.answered or self.errors or self.robots or self.articles)

    def filled(self, name: str) -> int:
        """Articles that have field `name`."""
        return sum(self.fields.get(name, {}).values())

    def fill(self, name: str) -> float:
        """The share of articles that have field `name` (0 without articles)."""
        return self.filled(name) / self.articles if self.articles else 0.0

    def by_fallback(self, name: str) -> int:
        """Articles whose field `name` was found by a fallback route (`FALLBACKS`)."""
        return sum(n for route, n in self.fields.get(name, {}).items() if route in FALLBACKS[name])

    def fallback(self, name: str) -> float:
        """The share of articles whose field `name` was found by a fallback route."""
        return self.by_fallback(name) / self.articles if self.articles else 0.0

    def clock(self) -> float | None:
        """The share of dated articles whose date has a clock (None without dated articles)."""
        dated = sum(self.precision.values())
        return sum(n for p, n in self.precision.items() if p in CLOCK) / dated if dated else None

    @property
    def failed(self) -> int:
        """Requests that failed, whatever the reason."""
        return sum(self.errors.values())

    def error_rate(self) -> float | None:
        """Failed requests among all requests that got an outcome (None without any)."""
        total = self.answered + self.failed
        return self.failed / total if total else None

    def to_json(self) -> dict[str, Any]:
        """The record as the store keeps it (empty parts left out)."""
        return {k: v for k, v in asdict(self).items() if v or k in ("portal", "at", "articles")}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PortalCrawl:
        """A record read back from the store (unknown keys, from a later newscrawl, are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def _reasons(counts: Mapping[str, int], group: str) -> dict[str, int]:
    return {key[len(group):]: n for key, n in sorted(counts.items()) if key.startswith(group) and n}
