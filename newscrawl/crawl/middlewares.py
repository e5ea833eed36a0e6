"""Downloader middlewares that give every hostile or broken response a defined, counted outcome.

- `PortalScopeMiddleware`: no request leaves the crawled portals' hosts, redirects included.
- `RedirectGuardMiddleware`: a redirect loop or an endless redirect chain fails with its own reason.
- `ResponseChecksMiddleware`: repairs a wrongly declared charset; counts truncated pages and
  requests that succeeded only after a retry.
- `page_source`: what the spider parses of a response the checks passed (its bytes, when UTF-8);
  `blank` and `not_html`: the responses it does not parse at all.
- `failure_key`: the stats key for a failed request (timeout, dropped connection, too large, ...),
  used by the spider's errbacks, so that the reasons are data in one table.

Every outcome is counted as ``newscrawl/<group>/<reason>``. These middlewares never change a page's
content (a charset repair changes how bytes are read, not the bytes) and never drop a response
silently: a refused request raises `Counted`, whose stat was already incremented here.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from newscrawl.component import CrawlerComponent
from newscrawl.context import CrawlContext

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response, TextResponse

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_OPEN = re.compile(rb"<html[\s>]", re.IGNORECASE)
_HTML_CLOSE = re.compile(rb"</html\s*>", re.IGNORECASE)
# Encodings a CMS declares by habit, whose bytes a UTF-8 page is often sent under.
_SINGLE_BYTE = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii"})

# Why a download failed, by the exception's class name (Scrapy's own, then Twisted's): first match wins.
FAILURE_REASONS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"}), "errors/timeout"),
    (frozenset({"ResponseDataLossError", "ConnectionLost", "ConnectionDone", "PotentialDataLoss"}),
     "errors/connection_lost"),
    # Scrapy cancels a download for one reason of its own: DOWNLOAD_MAXSIZE.
    (frozenset({"DownloadCancelledError", "CancelledError"}), "errors/too_large"),
    (frozenset({"DownloadConnectionRefusedError", "ConnectionRefusedError", "ConnectError"}),
     "errors/connection_refused"),
    (frozenset({"CannotResolveHostError", "DNSLookupError"}), "errors/dns"),
    (frozenset({"DownloadFailedError", "ResponseFailed", "ResponseNeverReceived"}), "errors/download_failed"),
    (frozenset({"UnsupportedURLSchemeError", "NotSupported"}), "skipped/unsupported_url"),
)
# IgnoreRequest raised by Scrapy's own middlewares, by message.
IGNORE_REASONS: tuple[tuple[str, str], ...] = (
    ("Forbidden by robots.txt", "skipped/robots_txt"),
    ("max redirections reached", "errors/too_many_redirects"),
)


class Counted(IgnoreRequest):
    """A request refused on purpose; its stat ``newscrawl/<key>`` is already counted."""

    def __init__(self, key: str, url: str) -> None:
        super().__init__(f"{key}: {url}")
        self.key = key


def failure_key(exc: BaseException | None) -> str | None:
    """The ``<group>/<reason>`` a failed request is counted under; None when already counted."""
    if exc is None or isinstance(exc, Counted):
        return None
    status = getattr(getattr(exc, "response", None), "status", None)
    if status:
        return f"errors/http_{status}"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        return next((key for text, key in IGNORE_REASONS if message.startswith(text)), "skipped/ignored")
    name = type(exc).__name__
    return next((key for names, key in FAILURE_REASONS if name in names), f"errors/{name}")


class _StatsMiddleware(CrawlerComponent):
    """A middleware that counts what it does in the crawl's stats."""

    def count(self, key: str) -> None:
        """Increment ``newscrawl/<key>``."""
        self.stats.inc_value(f"newscrawl/{key}")

    def refuse(self, key: str, request: Request) -> Counted:
        """Count `key` and return the exception that refuses `request`."""
        self.count(key)
        return Counted(key, request.url)


class PortalScopeMiddleware(_StatsMiddleware):
    """Refuse any request outside the crawled portals, before robots.txt or DNS is touched.

    The spider only follows links on its portals' hosts; this catches what it cannot see: a
    redirect to another host. The crawl context says what is in scope (its ``in_scope``, bound by
    the spider); crawls without one are not limited here.
    """

    def process_request(self, request: Request) -> None:
        """Let an in-scope request through; refuse the others with a counted reason."""
        in_scope = CrawlContext.of(self.crawler).in_scope
        if in_scope is None or in_scope(request.url):
            return
        # robots.txt requests come from RobotsTxtMiddleware, for hosts that already passed here.
        if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
            return
        key = "skipped/offsite_redirect" if request.meta.get("redirect_urls") else "skipped/offsite"
        raise self.refuse(key, request)


class RedirectGuardMiddleware(_StatsMiddleware):
    """Fail a redirect that points back into its own chain, or one more than REDIRECT_MAX_TIMES.

    Without this a loop ends silently in the duplicate filter, and a chain in a bare IgnoreRequest.
    Runs before RedirectMiddleware sees the response (a higher order number than its 600).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES")

    def process_response(self, request: Request, response: Response) -> Response:
        """Pass every response on, except a looping or over-long redirect."""
        if response.status not in _REDIRECTS:
            return response
        location = response.headers.get("Location")
        if not location or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = {_without_fragment(u) for u in (*request.meta.get("redirect_urls", ()), request.url)}
        if _without_fragment(target) in chain:
            raise self.refuse("errors/redirect_loop", request)
        if request.meta.get("redirect_times", 0) >= self.max_times:
            raise self.refuse("errors/too_many_redirects", request)
        return response


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class ResponseChecksMiddleware(_StatsMiddleware):
    """Read a page with the charset its bytes are really in; count truncated pages and late successes.

    Runs after retries and decompression (an order number below RetryMiddleware's 550).
    """

    def process_response(self, request: Request, response: Response) -> Response:
        """Check one downloaded response; return it (re-decoded when its charset was wrong)."""
        if response.status < 400 and request.meta.get("retry_times"):
            self.count("warnings/retried")
        if not isinstance(response, HtmlResponse) or response.status != 200 or not response.body:
            return response
        real = real_encoding(response.body, response.encoding)
        if real is not None:
            self.count("warnings/charset_mismatch")
            response = response.replace(encoding=real)
        body = response.body
        if _HTML_OPEN.search(body[:4096]) and not closes_html(body):
            self.count("warnings/truncated")
        return response


def blank(body: bytes) -> bool:
    """Whether a body holds nothing but white space (an empty page), found without copying it."""
    return not body or body.isspace()


def not_html(response: TextResponse) -> bool:
    """Whether a text response is no HTML page: neither served as HTML nor opening with an html tag."""
    return not isinstance(response, HtmlResponse) and b"<html" not in response.body[:2048].lower()


def page_source(response: TextResponse) -> str | bytes:
    """What to parse: the body as sent when it is UTF-8, else the text decoded from its charset.

    lexbor reads UTF-8 bytes directly; decoding a page to str only for the parser to encode it
    back costs two passes over it (a real portal page is 100-300 KB, rarely pure ASCII). The
    charset was checked against the bytes by `ResponseChecksMiddleware`.
    """
    if response.encoding == "utf-8" and not response.body.startswith(codecs.BOM_UTF8):
        return response.body
    return response.text


def closes_html(body: bytes) -> bool:
    """Whether `body` has a closing html tag anywhere.

    Looked for in the last KB first, where it nearly always is: a case-insensitive search of a
    whole 50 KB page takes ~15 us, of its tail ~0.5 us. Only a page without one is searched whole.
    """
    return bool(_HTML_CLOSE.search(body, max(0, len(body) - 1024)) or _HTML_CLOSE.search(body))


def real_encoding(body: bytes, declared: str) -> str | None:
    """The encoding `body` is really in when it is not `declared`; None when `declared` is right.

    Two mistakes are common: windows-1252 bytes declared UTF-8 (the text fills with U+FFFD), and
    UTF-8 bytes declared windows-1252/latin-1 (the text fills with mojibake like "â€œ").
    """
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name == "utf-8":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            bad = text.count("\ufffd")
            # A few bad bytes in a page full of good UTF-8 are damage, not another encoding.
            return "cp1252" if bad > sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd") else None
        return None
    if name in _SINGLE_BYTE and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "utf-8"
    return None
