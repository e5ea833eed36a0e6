"""The crawl's stats collector: Scrapy's own, without the per-call shim Scrapy 2.13+ puts around it.

What it is for
    Scrapy 2.13 deprecated the ``spider`` argument of the stats methods, and checks for it with a
    ``__getattribute__`` on `StatsCollector`: every attribute read of a collector first looks for a
    cached wrapper (raising and catching an AttributeError for anything that has none, such as
    ``self._stats`` inside `inc_value`), and every stats call then goes through the wrapper, which
    inspects its arguments. A call costs ~1.4 us where the dict update it does costs ~0.08 us,
    and a crawl makes ~17 stats calls a page (Scrapy's downloader, scheduler and scraper, our
    middlewares, spider, pipelines and health tally; 57,300 in the 3,388 pages of
    benchmarks/run.py): ~1-2 % of a crawl's CPU.

    `StatsCollector` is Scrapy's `MemoryStatsCollector` (the default ``STATS_CLASS``) with plain
    attribute access: the same methods, the same stats, kept per spider at the end the same way.
    The one thing not kept is the deprecation warning for a caller that still passes ``spider=``
    (the argument is accepted and ignored, as in Scrapy).

What it must never do
    Count, rename or drop a stat: it only changes how its methods are reached.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class StatsCollector(MemoryStatsCollector):
    """STATS_CLASS: `MemoryStatsCollector`, its attributes read as on any object."""

    # object's own lookup (C), in place of Scrapy's deprecation shim; harmless if a release drops the shim.
    __getattribute__ = object.__getattribute__
