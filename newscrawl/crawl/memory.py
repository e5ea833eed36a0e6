"""An extension that keeps Python's cycle collector off the objects of start-up for the whole crawl.

What it is for
    Everything a crawl loads before its first request (Scrapy, Twisted, the registry, the
    profiles, the compiled rules: ~90 MB of objects) lives until the process ends. Python's
    cyclic garbage collector nevertheless walks all of it on every full collection, and a crawl
    allocates enough (a parsed page, its requests and items) to run one every ~250 pages: 13
    full collections took 0.84 s of a 2,000-article benchmark crawl's 9 s of CPU. When the engine
    starts, this collects once and then freezes what is left (`gc.freeze`): later collections
    walk only what the crawl itself made. Nothing is kept that would have been freed: the objects
    frozen were alive, and garbage made later is collected as before.

    It also collects the youngest generation less often: every `YOUNG_THRESHOLD` net allocations
    of container objects instead of Python's 700. A crawl makes many short-lived containers a
    page (nodes, matches, requests, deferreds), nearly all freed by their reference count; at 700
    the collector ran ~0.75 times a page and walked whatever happened to be alive at that instant,
    moving it on to be walked again in the older generations (2,500 young and 230 middle
    collections, ~0.45 s of a 3,388-page benchmark crawl's ~7.5 s of CPU, benchmarks/run.py; at
    10,000: 130 and 11, 0.05 s). Only garbage in reference cycles waits longer to be freed; the
    peak RSS did not move (228 MB at 19,989 pages, against 227).

What it must never do
    Disable the collector, or freeze anything while pages are being processed.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Self

from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


# Net allocations of container objects between two collections of the youngest generation.
YOUNG_THRESHOLD = 10_000


class FreezeStartupObjects:
    """EXTENSIONS: at engine start, `gc.collect()`, `gc.freeze()` and the young threshold; at engine stop, undone."""

    def __init__(self, crawler: Crawler) -> None:
        self._threshold = gc.get_threshold()
        crawler.signals.connect(self._engine_started, signal=signals.engine_started)
        crawler.signals.connect(self._engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's extension constructor."""
        return cls(crawler)

    def _engine_started(self) -> None:
        gc.collect()
        gc.freeze()
        self._threshold = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, *self._threshold[1:])

    def _engine_stopped(self) -> None:
        gc.set_threshold(*self._threshold)
        gc.unfreeze()
