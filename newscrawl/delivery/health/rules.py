"""When a portal is flagged: its latest crawl against its own history, one line per reason.

What it is for
    `judge` compares a portal's crawl (`PortalCrawl`) with the median of its previous crawls
    (the last `WINDOW`, once there are `MIN_HISTORY`) and says, in words, every reason it is
    flagged. The rules, in order:

    1. **unreachable**: no page answered and requests failed (nothing else is said then);
    2. **no articles** while its listings (or start pages) still answer (nothing else then);
    3. **all-fallback** (any portal, new ones too): every article's body by the density fallback;
    4. with history only (drift): a field's fill rate drops by `Margins.fill_drop`; the share of
       a field found by a fallback route rises by `Margins.fallback_jump`; the share of dates with
       a clock drops by `Margins.fill_drop`; the median body length falls to `Margins.body_ratio`
       of the usual or below; the error rate rises by `Margins.error_jump`.

    A new portal is flagged only by rules 1-3. robots.txt refusals are never a reason: they are
    reported apart (`notes`). The margins are settings (newscrawl/config.py: NEWSCRAWL_HEALTH_*).

What it must never do
    Read a store, Scrapy's stats or the clock: records and margins in, sentences out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from newscrawl.delivery.health.record import FALLBACKS, FIELDS, PortalCrawl

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from newscrawl.config import Config

# A portal's history: the median of its last WINDOW crawls, once it has MIN_HISTORY of them.
WINDOW = 5
MIN_HISTORY = 3
# The error rate is compared only when this many requests failed (one timeout in two requests is no trend).
MIN_ERRORS = 3
# What each route is, in words, for the reasons.
ROUTE_WORDS: dict[str, str] = {
    "selector": "the {field} selector",
    "meta": "the page's metadata",
    "json-ld": "the JSON-LD date",
    "time": "the <time> element",
    "attr": "the date attribute",
    "text": "the date selector",
    "text+zone_fix": "the date selector",
    "script": "the date in the page's scripts",
    "url": "the date in the URL",
    "dateline": "the dateline of the text",
    "signoff": "the date the text closes with",
    "density": "the density fallback",
    "credit": "the credit line",
    "other": "the usual route",
}


@dataclass(frozen=True, slots=True)
class Margins:
    """How far a portal may drift from its history before it is flagged (NEWSCRAWL_HEALTH_*)."""

    fill_drop: float = 0.3
    fallback_jump: float = 0.3
    body_ratio: float = 0.5
    error_jump: float = 0.2
    min_articles: int = 3

    @classmethod
    def of(cls, config: Config) -> Margins:
        """The margins a config sets."""
        return cls(
            config.health_fill_drop, config.health_fallback_jump, config.health_body_ratio,
            config.health_error_jump, config.health_min_articles,
        )


def judge(crawl: PortalCrawl, history: Sequence[PortalCrawl], margins: Margins) -> list[str]:
    """The reasons `crawl` is flagged (none: healthy), given the portal's earlier crawls (oldest first)."""
    if not crawl.answered and crawl.failed:
        detail = ", ".join(f"{reason}={n}" for reason, n in crawl.errors.items())
        return [f"unreachable: no page answered, {_count(crawl.failed, 'request')} failed ({detail})"]
    if crawl.articles == 0:
        return [] if crawl.dropped.get("older_than_since") or not crawl.answered else [_no_articles(crawl)]
    reasons = []
    bodies = crawl.fields.get("body", {})
    if crawl.articles >= margins.min_articles and bodies.get("density", 0) == crawl.articles:
        reasons.append(
            f"all-fallback extraction: body by the density fallback on {crawl.articles}/{crawl.articles} "
            "articles (the family's body selectors match nothing)",
        )
    usable = [c for c in history if c.articles >= margins.min_articles][-WINDOW:]
    if len(usable) >= MIN_HISTORY and crawl.articles >= margins.min_articles:
        reasons = [r for r in reasons if not r.startswith("all-fallback")] + _drift(crawl, usable, margins)
    reasons.extend(_errors(crawl, history, margins))
    return reasons


def notes(crawl: PortalCrawl) -> list[str]:
    """What is said of a crawl without flagging it (robots.txt refusals)."""
    return [f"robots.txt refused {_count(crawl.robots, 'request')} (not flagged)"] if crawl.robots else []


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _no_articles(crawl: PortalCrawl) -> str:
    dropped = ", ".join(f"{reason}={n}" for reason, n in crawl.dropped.items())
    return (
        f"no articles: {crawl.answered} pages answered, {crawl.listings} listings with "
        f"{crawl.listed} article links" + (f"; dropped: {dropped}" if dropped else "")
    )


def _median(history: Sequence[PortalCrawl], value: Callable[[PortalCrawl], float | None]) -> float | None:
    values = [v for v in map(value, history) if v is not None]
    return statistics.median(values) if values else None


def _usual_route(history: Sequence[PortalCrawl], name: str) -> str:
    routes: Counter[str] = Counter()
    for crawl in history:
        routes.update(crawl.fields.get(name, {}))
    route = routes.most_common(1)[0][0] if routes else "other"
    return ROUTE_WORDS.get(route, ROUTE_WORDS["other"]).format(field=name.split("_", maxsplit=1)[0])


def _drift(crawl: PortalCrawl, history: Sequence[PortalCrawl], margins: Margins) -> list[str]:
    reasons = []
    for name in FIELDS:
        usual = _median(history, partial(PortalCrawl.fill, name=name))
        now = crawl.fill(name)
        if usual is not None and usual - now >= margins.fill_drop:
            noun = "dates" if name == "published_at" else "articles"
            reasons.append(
                f"{name} {usual:.0%} → {now:.0%} ({_usual_route(history, name)} found nothing; "
                f"{crawl.filled(name)}/{crawl.articles} {noun})",
            )
            continue
        if not FALLBACKS[name]:
            continue
        usual = _median(history, partial(PortalCrawl.fallback, name=name))
        now = crawl.fallback(name)
        if usual is not None and now - usual >= margins.fallback_jump:
            used = crawl.fields.get(name, {})  # the last resorts this crawl took, in the words of each
            routes = " or ".join(ROUTE_WORDS[r] for r in sorted(FALLBACKS[name]) if used.get(r))
            reasons.append(
                f"{name} by fallback {usual:.0%} → {now:.0%} ({routes} on {crawl.by_fallback(name)}/"
                f"{crawl.articles} articles; {_usual_route(history, name)} found nothing)",
            )
    usual_clock, clock = _median(history, lambda c: c.clock()), crawl.clock()
    if usual_clock is not None and clock is not None and usual_clock - clock >= margins.fill_drop:
        reasons.append(f"published_at with a clock {usual_clock:.0%} → {clock:.0%} (dates without a time of day)")
    words = _median(history, lambda c: c.words or None)
    if words and crawl.words <= margins.body_ratio * words:
        reasons.append(f"median body {words:.0f} → {crawl.words} words")
    return reasons


def _errors(crawl: PortalCrawl, history: Sequence[PortalCrawl], margins: Margins) -> list[str]:
    recent = [c for c in history if c.error_rate() is not None][-WINDOW:]
    rate = crawl.error_rate()
    if len(recent) < MIN_HISTORY or rate is None or crawl.failed < MIN_ERRORS:
        return []
    usual = _median(recent, lambda c: c.error_rate())
    if usual is None or rate - usual < margins.error_jump:
        return []
    detail = ", ".join(f"{reason}={n}" for reason, n in crawl.errors.items())
    return [f"errors {usual:.0%} → {rate:.0%} of requests ({detail})"]
