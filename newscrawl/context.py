"""What the components of one `kabar` crawl share: its arguments and the portals it crawls.

What it is for
    The spider binds its validated arguments (`KabarParams`) and its portals to the crawler once,
    in ``from_crawler``; pipelines, feeds, the cluster and the summary read them with
    ``CrawlContext.of(crawler)`` instead of reaching into attributes of the spider. A crawl of
    another spider (a test's bare spider, a benchmark) gets an empty context: no arguments given.

What it must never do
    Hold anything that changes during the crawl, or be written after the spider is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from newscrawl.params import KabarParams

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

    from newscrawl.registry import Portal


@dataclass(frozen=True, slots=True)
class CrawlContext:
    """The crawl's arguments and the portals it targets (with their start URLs)."""

    params: KabarParams
    portals: tuple[Portal, ...] = ()
    spider_name: str = ""
    # Whether a URL belongs to one of the crawl's portals (None: the crawl is not limited).
    in_scope: Callable[[str], bool] | None = None

    @classmethod
    def bind(cls, crawler: Crawler, context: CrawlContext) -> None:
        """Make `context` the one every component of `crawler` sees."""
        _CONTEXTS[crawler] = context

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        """The context bound to `crawler`, else an empty one (no arguments, no portals)."""
        found = _CONTEXTS.get(crawler)
        if found is not None:
            return found
        spider = getattr(crawler, "spider", None)
        return cls(KabarParams(), (), str(getattr(spider, "name", "") or ""))


_CONTEXTS: WeakKeyDictionary[Crawler, CrawlContext] = WeakKeyDictionary()
