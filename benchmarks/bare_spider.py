"""Scrapy's own floor for the benchmark: a spider that follows the same links as `kabar` and yields URLs.

Run by benchmarks/run.py as ``scrapy runspider benchmarks/bare_spider.py -a start_url=BASE/`` with the
same settings as the `kabar` crawl. From the home page, the index and the news sitemap it follows
every on-site link of every page (articles, later article pages, tag and section listings and their
pagination), lets Scrapy's duplicate filter drop what it has seen, and yields ``{"url": ...}`` per
response; no extraction, no pipelines. With ``-a memo=1`` it skips a link it already requested
before building a Request for it, as `kabar` does, which is the stricter floor to compare with.
It must never follow a link off the start URL's host.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy

_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")


class BareSpider(scrapy.Spider):
    name = "bare"
    # The project's settings, less the article pipelines and the summary extension.
    custom_settings: ClassVar[dict[str, Any]] = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}

    def __init__(self, start_url: str = "", memo: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.home = start_url.rstrip("/")
        self.netloc = urlsplit(start_url).netloc
        self.followed: set[str] | None = set() if memo == "1" else None

    async def start(self) -> Any:
        for path in ("/", "/indeks", "/sitemap-news.xml"):
            yield scrapy.Request(self.home + path, callback=self.parse)

    def parse(self, response: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - Scrapy's callback signature
        yield {"url": response.url}
        if response.url.endswith(".xml"):
            for loc in _LOC.findall(response.body):
                yield scrapy.Request(loc.decode(), callback=self.parse)
            return
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip()).split("#", 1)[0]
            if self.followed is not None:
                if url in self.followed:
                    continue
                self.followed.add(url)
            if url.startswith("http") and urlsplit(url).netloc == self.netloc and "/search" not in url:
                yield scrapy.Request(url, callback=self.parse)
