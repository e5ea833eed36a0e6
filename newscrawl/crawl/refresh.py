"""Scrapy's meta-refresh redirects, without decoding a whole page to learn that it declares none.

What it is for
    Scrapy's `MetaRefreshMiddleware` follows ``<meta http-equiv="refresh" content="0; url=...">``
    (a portal's moved page, a consent or mobile bounce). To look for one it decodes the whole
    response to text, then scans its first 4,096 characters for a base URL and a refresh
    (``scrapy.utils.response.get_meta_refresh``): 25-40 us of every HTML page, ~1.5 % of a crawl's
    CPU (benchmarks/run.py), on pages that nearly never redirect.

    `MetaRefreshMiddleware` here is Scrapy's, asked first whether the page can redirect at all.
    For a UTF-8 page the answer comes from its first bytes only: none of them spells "refresh"
    (in any ASCII case: Scrapy's scan looks for it in a tag's attributes, nothing decoded first),
    or Scrapy's own scan (w3lib's, which Scrapy calls) of the same 4,096 characters, decoded from
    those bytes alone, finds no refresh URL, or one whose delay Scrapy ignores (not under
    ``METAREFRESH_MAXDELAY``). A page that may redirect, and any page in another encoding, goes to
    Scrapy's code unchanged. ~2 us a page without the word, ~16 with it (real portals reload pages
    with ``content="900"``, ad slots say ``refresh: 85``). Since w3lib 2.6 a refresh without a URL
    is one to the page itself (``(900.0, page URL)``, before ``(None, None)``): the delay is what
    rules those reloads out.

    One decision differs from Scrapy's, on purpose: a refresh to the page's own URL (w3lib >= 2.6
    reads ``content="30"`` without a URL so) is a reload, not a move, and the page is kept. Scrapy
    would request the same URL again, and its duplicate filter would drop that request: the page
    would be lost without a trace.

What it must never do
    Decide a redirect itself: it only rules one out, where Scrapy's scan finds none, or where the
    refresh only reloads the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse
from w3lib.encoding import html_to_unicode
from w3lib.html import get_meta_refresh

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

# What Scrapy scans: the first 4,096 characters of the page's text.
SCANNED_CHARS = 4096
# The bytes that hold them in UTF-8, whatever the text: a 3-byte BOM, then at most 4 bytes a
# character, and a character cut at the end of the bytes (at most 3 of them) is after those.
# Decoding is self-synchronizing (an ASCII byte is read as itself even beside invalid ones), so the
# characters decoded from these bytes are the first characters of the whole page's text.
_SCANNED_BYTES = 3 + 4 * SCANNED_CHARS + 4


def may_refresh(response: HtmlResponse, ignore_tags: Iterable[str], max_delay: float) -> bool:
    """Whether Scrapy could follow a meta refresh of `response` (its scan skipping `ignore_tags`).

    That is a refresh URL with a delay under `max_delay`. False only when there cannot be one.
    """
    if response.encoding != "utf-8":
        return True
    head = response.body[:SCANNED_CHARS]
    ascii_head = head.isascii()  # then these bytes are the characters scanned (a BOM is not ASCII)
    if not ascii_head:
        head = response.body[:_SCANNED_BYTES]
    if b"refresh" not in head.lower():
        return False
    # Scrapy's own reading (scrapy.utils.response.get_meta_refresh), of the same characters. Its base
    # URL (a <base href>) only changes where a refresh points, never whether there is one.
    text = head.decode("ascii") if ascii_head else html_to_unicode(f"charset={response.encoding}", head)[1]
    delay, url = get_meta_refresh(text[:SCANNED_CHARS], response.url, response.encoding, ignore_tags=ignore_tags)
    return bool(url) and delay is not None and delay < max_delay


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """DOWNLOADER_MIDDLEWARES, in place of Scrapy's at its 580: a page that cannot redirect is not decoded whole."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.ignore_tags = tuple(settings.getlist("METAREFRESH_IGNORE_TAGS"))  # as Scrapy reads them
        self.max_delay = settings.getint("METAREFRESH_MAXDELAY")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None,  # noqa: ARG002
    ) -> Request | Response:
        """Scrapy's, for every page that may declare a refresh URL; a refresh to the page itself keeps the page."""
        if isinstance(response, HtmlResponse) and not may_refresh(response, self.ignore_tags, self.max_delay):
            return response
        result = super().process_response(request, response)
        if isinstance(result, Request) and result.url == response.url:
            return response
        return result
