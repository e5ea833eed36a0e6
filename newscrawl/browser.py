"""The browser download handler: scrapy-playwright, one fresh browser context per page, closed after it.

`newscrawl.render.configure` installs it for http and https only when a crawl may render JS.
Requests without ``playwright`` meta go through Scrapy's HTTP/1.1 downloader (its base class), and
Chromium starts with the first page that needs it. Each browser page gets a context of its own,
closed as soon as the page is read: a context is a window, and Chromium draws only one tab of a
window at full speed (the others at about two frames a second, which stalls lazy lists that wait
for a frame), and a closed context frees its renderer processes, so memory stays flat however
long the crawl. PLAYWRIGHT_MAX_CONTEXTS caps how many pages are open at once.

This module is imported only through DOWNLOAD_HANDLERS; it must never be imported by code that runs
in a crawl without JS pages, nor leave a context open after its page is done.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import TYPE_CHECKING, cast

from playwright.async_api import Error as PlaywrightError
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from newscrawl.render import action_stats

if TYPE_CHECKING:
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc] # untyped base
    """scrapy-playwright's handler with a context per page, counting which portal went where."""

    pages_started = 0

    async def download_request(self, request: Request) -> Response:
        """Fetch through the browser when the request asks for it, else plainly; count which."""
        portal = request.meta.get("kabar", {}).get("portal")
        if not request.meta.get("playwright"):
            if portal:
                self.stats.inc_value(f"newscrawl/render/http/{portal}")
            return cast("Response", await super().download_request(request))
        self.pages_started += 1
        name = f"page-{self.pages_started}"
        request.meta["playwright_context"] = name
        try:
            response = cast("Response", await super().download_request(request))
        finally:
            await self._close_context(name)
        if portal:
            self.stats.inc_value(f"newscrawl/render/browser/{portal}")
        for method in request.meta.get("playwright_page_methods") or ():
            logger.debug("rendered %s: %s", request.url, method.result)
            for key, count in action_stats(method.result).items():
                self.stats.inc_value(key, count)
        return response

    async def _close_context(self, name: str) -> None:
        wrapper = self.context_wrappers.get(name)
        if wrapper is None:
            return
        # Its close event releases PLAYWRIGHT_MAX_CONTEXTS' slot for the next page. A browser that
        # crashed has closed it already; the page's own outcome is what counts.
        with suppress(PlaywrightError):
            await wrapper.context.close()
        self.stats.inc_value("newscrawl/render/contexts_closed")
