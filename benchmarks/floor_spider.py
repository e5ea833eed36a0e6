"""Scrapy's floor for the benchmark: a bare spider handed every URL up front, that only fetches.

Run by benchmarks/run.py as ``scrapy runspider benchmarks/floor_spider.py -a urls=FILE -O feed.jsonl``
from a directory outside the project (so Scrapy's default settings, not the project's), with the
settings both crawls share (benchmarks/run.py, COMMON_SETTINGS). It requests every URL of FILE (one
a line: every page of the generated portal) at once, and yields ``{"url": ...}`` per response: no
link finding, no duplicate filtering, no extraction, no pipelines. Whatever `kabar` does on top of
fetching is what it costs over this floor. It must never request anything not in FILE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import scrapy


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls)

    async def start(self) -> Any:
        with self.urls.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield scrapy.Request(line.strip(), callback=self.parse, dont_filter=True)

    def parse(self, response: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - Scrapy's callback signature
        yield {"url": response.url}
