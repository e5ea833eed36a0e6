"""Scrapy's meta-refresh redirects, without decoding every page that cannot declare one.

What it is for
    Scrapy's `MetaRefreshMiddleware` follows ``<meta http-equiv="refresh" content="0; url=...">``
    (a portal's moved page, a consent or mobile bounce). To look for one it decodes the whole
    response to text and scans its first 4,096 characters (``get_meta_refresh``): ~32 us of every
    HTML page, ~1.5 % of a crawl's CPU (benchmarks/run.py), on pages that nearly never have one.

    `MetaRefreshMiddleware` here is Scrapy's, with one question asked first: could the page's
    first 4,096 characters hold the word "refresh" at all? Scrapy's scan finds a refresh only in a
    tag whose attributes say "refresh" (in any ASCII case, nothing decoded first), so a UTF-8 page
    whose first bytes do not hold it has none, and is passed on as Scrapy would pass it; any other
    page (a hit, another encoding) is Scrapy's to decide, unchanged. ~6 us a page.

What it must never do
    Decide a redirect itself: a page that may hold a refresh goes to Scrapy's own code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response

# Scrapy reads the first 4,096 characters; in UTF-8 they are at most 4 bytes each, after a 3-byte BOM
# (a character is at least one byte, and an ASCII byte is read as itself even beside invalid ones).
SCANNED_CHARS = 4096
_SCANNED_BYTES = 3 + 4 * SCANNED_CHARS


def may_refresh(response: HtmlResponse) -> bool:
    """Whether Scrapy's meta-refresh scan could find a refresh in `response` (False only when it cannot)."""
    if response.encoding != "utf-8":
        return True
    return b"refresh" in response.body[:_SCANNED_BYTES].lower()


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """DOWNLOADER_MIDDLEWARES, in place of Scrapy's at its 580: a page that cannot hold a refresh is not decoded."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None,  # noqa: ARG002
    ) -> Request | Response:
        """Scrapy's, for every page that may declare a refresh."""
        if isinstance(response, HtmlResponse) and not may_refresh(response):
            return response
        return super().process_response(request, response)
