"""The browser download handler: scrapy-playwright with recycled contexts and per-portal counts.

`newscrawl.crawl.render.policy.configure` installs it for http and https only when a crawl may render JS.
Requests without ``playwright`` meta go through Scrapy's HTTP/1.1 downloader (its base class).
Playwright's driver starts with the engine, Chromium with the first page that needs it (that is
scrapy-playwright's own behaviour, 0.0.48). Browser pages go to one context at a
time; after NEWSCRAWL_RENDER_PAGES_PER_CONTEXT pages a fresh context takes over and the old one is
closed as soon as its last page is done, which frees its renderer processes (memory stays flat
however long the crawl). A fresh context for every page was tried: it starts a renderer process
per page, which cost 2.7 to 3.5 times the CPU on 60 article pages.

This module is imported only through DOWNLOAD_HANDLERS; it must never be imported by code that runs
in a crawl without JS pages, and never keeps more than two contexts alive.
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import suppress
from typing import TYPE_CHECKING, cast

from playwright.async_api import Error as PlaywrightError
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from newscrawl.compat import browser_context
from newscrawl.config import Config
from newscrawl.crawl.render.page import action_stats

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc] # untyped base
    """scrapy-playwright's handler, recycling browser contexts and counting who went where."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.pages_per_context = max(1, Config.of(crawler).render_pages_per_context)
        self._generation = 0
        self._assigned = 0  # pages given to the current context
        self._open: Counter[str] = Counter()  # pages in progress, per context name
        self._retired: set[str] = set()  # contexts that take no new page, closed once idle

    async def download_request(self, request: Request) -> Response:
        """Fetch through the browser when the request asks for it, else plainly; count which."""
        portal = request.meta.get("kabar", {}).get("portal")
        if not request.meta.get("playwright"):
            if portal:
                self.stats.inc_value(f"newscrawl/render/http/{portal}")
            return cast("Response", await super().download_request(request))
        name, retired = self._next_context()
        if retired:
            await self._close_if_idle(retired)
        request.meta["playwright_context"] = name
        self._open[name] += 1
        try:
            response = cast("Response", await super().download_request(request))
        finally:
            self._open[name] -= 1
            await self._close_if_idle(name)
        if portal:
            self.stats.inc_value(f"newscrawl/render/browser/{portal}")
        for method in request.meta.get("playwright_page_methods") or ():
            logger.debug("rendered %s: %s", request.url, method.result)
            for key, count in action_stats(method.result).items():
                self.stats.inc_value(key, count)
        return response

    def _next_context(self) -> tuple[str, str | None]:
        """The context for the next page, and the one just retired (if this page retired one)."""
        current = f"kabar-{self._generation}"
        retired = None
        # Rotate only once the previously retired context is gone: two contexts at most.
        if self._assigned >= self.pages_per_context and not self._retired:
            self._retired.add(current)
            retired = current
            self._generation += 1
            self._assigned = 0
            current = f"kabar-{self._generation}"
        self._assigned += 1
        return current, retired

    async def _close_if_idle(self, name: str) -> None:
        if name not in self._retired or self._open[name] > 0:
            return
        self._retired.discard(name)
        del self._open[name]
        context = browser_context(self, name)
        if context is None:
            return
        # A browser that crashed has closed it already; the page's own outcome is what counts.
        with suppress(PlaywrightError):
            await context.close()
        self.stats.inc_value("newscrawl/render/contexts_recycled")
