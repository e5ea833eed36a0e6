"""LOG_FORMATTER: Scrapy's log lines, without building the two DEBUG lines a log below DEBUG never shows.

What it is for
    Scrapy logs "Crawled (200) <GET ...>" for every page and "Scraped from ..." for every item at
    DEBUG. Its handler filters by LOG_LEVEL only after the logger has made the record (the caller's
    frame looked up, the referer read, the arguments gathered): ~0.7 % of a benchmark crawl's CPU
    (benchmarks/run.py) at the project's LOG_LEVEL, INFO, where no line of them is written. Below
    DEBUG this formatter returns None for them, which Scrapy takes as "do not log".

What it must never do
    Change a line that is written: at LOG_LEVEL DEBUG it is Scrapy's own formatter, and every other
    line (drops, errors) is Scrapy's at any level.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.python.failure import Failure


class QuietLogFormatter(LogFormatter):
    """Scrapy's LogFormatter; "Crawled" and "Scraped from" are not built when the log level is above DEBUG."""

    def __init__(self, *, debug: bool) -> None:
        super().__init__()
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The formatter for the crawl's LOG_LEVEL (a name, as in settings, or a number)."""
        level = crawler.settings.get("LOG_LEVEL")
        number = level if isinstance(level, int) else logging.getLevelNamesMapping().get(str(level), logging.NOTSET)
        return cls(debug=number <= logging.DEBUG)

    def crawled(self, request: Request, response: Response, spider: Spider) -> LogFormatterResult | None:  # type: ignore[override]
        """Scrapy's "Crawled" line, or None when it would not be written."""
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(  # type: ignore[override]
        self, item: Any, response: Response | Failure | None, spider: Spider,
    ) -> LogFormatterResult | None:
        """Scrapy's "Scraped from" line, or None when it would not be written."""
        return super().scraped(item, response, spider) if self.debug else None
