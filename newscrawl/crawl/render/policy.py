"""JavaScript rendering policy: which pages go through a real browser, and with which actions.

A page is fetched through scrapy-playwright with Debian's Chromium when the crawl asks for it
(``-a render=js``), when its portal is marked (``render = "js"`` in portals.toml, or listed in the
setting NEWSCRAWL_RENDER_PORTALS), or when its family's ``Profile.render_url`` matches its URL.
Everything else goes through Scrapy's plain downloader. The browser's download handler
(`newscrawl.crawl.render.handler`) is installed only when some target of the crawl may need it, so a crawl with
no JS page neither imports Playwright nor starts a browser. Page actions (wait for a selector,
click "load more", scroll) are data: ``Profile.page_actions``, else DEFAULT_ACTIONS.

This module must never import Playwright, start a browser, import the spider (it is given
portals and families), or send machine-readable URLs (sitemaps, feeds, robots.txt, media) to the
browser: those stay on the plain downloader. What runs inside the browser is `page`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.settings import SETTINGS_PRIORITIES
from scrapy_playwright.page import PageMethod  # plain data class: imports no Playwright

from newscrawl.config import Config
from newscrawl.crawl.render.page import run_actions
from newscrawl.extract.links import is_article_url, path_query
from newscrawl.networks import all_profiles
from newscrawl.networks.base import PageAction

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.settings import Settings

    from newscrawl.networks.base import Profile
    from newscrawl.params import KabarParams
    from newscrawl.registry import Portal

    # A portal of the crawl with its family (None until detected from its first page).
    Reading = tuple[Portal, Profile | None]

logger = logging.getLogger(__name__)

BROWSER_HANDLER = "newscrawl.crawl.render.handler.BrowserDownloadHandler"
# Named by path in request meta (pickled with requests in cluster mode).
WATCH_PAGE = "newscrawl.crawl.render.page.watch_page"
EXIT_CONFIG = 2
# What the browser never downloads: the text is all we keep, and these are most of the bytes.
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
# URLs whose bytes the spider parses itself: a browser would only wrap them in a viewer page.
MACHINE_READABLE = re.compile(
    r"(?:\.(?:xml|rss|atom|txt|json|gz|pdf|jpe?g|png|gif|webp|svg|css|js|mp[34]|zip)|"
    r"/(?:feed|rss|atom|sitemap[\w.-]*))/?$",
    re.IGNORECASE,
)
# The label of a "load more" control, as Indonesian portals write it. The whole label must match,
# so a paragraph that merely mentions "berita lainnya" is never clicked.
LOAD_MORE_LABELS = (
    "muat lebih banyak", "muat lebih", "muat lagi", "muat berita lainnya", "muat berita lain", "muat lainnya",
    "lihat lebih banyak", "lihat lebih", "lihat lagi", "lihat lainnya", "lihat berita lainnya",
    "tampilkan lebih banyak", "tampilkan lebih", "tampilkan lagi", "tampilkan lainnya",
    "berita lainnya", "lebih banyak", "load more", "show more", "view more", "more news",
)
# Where the label is unknown, the control's name usually says it.
LOAD_MORE_NAMES = ("load-more", "loadmore", "load_more", "muat-lebih", "btn-more", "more-news")
# Playwright's :text-matches() picks the smallest element holding the label (the button or the span
# inside it, whose click reaches the button's handler). Its pattern is a CSS string: \\ is one \.
LOAD_MORE = ", ".join((
    r":text-matches('^\\W*(?:{})\\W*$', 'i')".format("|".join(LOAD_MORE_LABELS)),
    *(f"[{attr}*='{name}' i]" for name in LOAD_MORE_NAMES for attr in ("id", "class")),
))
# For families that declare no actions: grow a listing by scrolling (lazy lists, infinite scroll)
# and by pressing "load more" until neither brings anything new. Articles are never scrolled: an
# infinite article stream would append the next article to the one being read.
DEFAULT_ACTIONS: tuple[PageAction, ...] = (
    PageAction("scroll", repeat=5, on="listing"),
    PageAction("click", LOAD_MORE, repeat=20, on="listing"),
    PageAction("scroll", repeat=5, on="listing"),
)
ACTION_KINDS = ("wait", "click", "scroll")
# The spider's request kinds (meta["kabar"]["kind"]) that fetch an article; the rest are listings.
ARTICLE_KINDS = frozenset({"article", "page"})
_LISTING, _ARTICLE = "listing", "article"


class RenderError(ValueError):
    """JS rendering cannot be set up; the message is one line meant for the user."""


# --- which requests need a browser -----------------------------------------------------------


def is_machine_readable(url: str) -> bool:
    """Whether `url` is a sitemap, feed, robots.txt or media file (never rendered)."""
    return bool(MACHINE_READABLE.search(url.split("?", 1)[0].split("#", 1)[0]))


def needs_browser(
    url: str, portal: Portal, profile: Profile | None, mode: str, js_portals: frozenset[str] = frozenset(),
) -> bool:
    """Whether `url` of `portal` is fetched through the browser under render `mode` (auto|http|js)."""
    if mode == "http" or is_machine_readable(url):
        return False
    if mode == "js" or portal.render == "js" or portal.id in js_portals:
        return True
    return profile is not None and any(r.search(path_query(url)) for r in profile.render_res)


def may_need_browser(readings: Iterable[Reading], mode: str, js_portals: frozenset[str] = frozenset()) -> bool:
    """Whether any page of these portals may go through the browser (decides the download handler)."""
    readings = list(readings)
    if mode == "http" or not readings:
        return False
    if mode == "js":
        return True
    # A portal whose family is detected from its first page may turn out to be a family with
    # render_url patterns: keep the browser at hand if any family has them.
    undetected = any(p.render_url for p in all_profiles())
    return any(
        portal.render == "js" or portal.id in js_portals
        or (bool(profile.render_url) if profile is not None else undetected)
        for portal, profile in readings
    )


def page_kind(request_kind: str, url: str, profile: Profile | None) -> str:
    """Which declared actions apply to a page: "article" or "listing"."""
    if request_kind in ARTICLE_KINDS or (profile is not None and is_article_url(url, profile)):
        return _ARTICLE
    return _LISTING


def actions_for(profile: Profile | None, kind: str) -> tuple[PageAction, ...]:
    """The actions run on a page of `kind`: the family's own, else the defaults."""
    declared = profile.page_actions if profile is not None and profile.page_actions else DEFAULT_ACTIONS
    return tuple(a for a in declared if a.on in ("any", kind))


@dataclass(frozen=True)
class Renderer:
    """The crawl's rendering decisions; `decorate` marks the requests that go to the browser."""

    mode: str
    enabled: bool  # the browser download handler is installed
    js_portals: frozenset[str] = frozenset()
    quiet_ms: int = 300
    settle_ms: int = 5000

    def decorate(self, meta: dict[str, Any], url: str, portal: Portal, profile: Profile | None) -> dict[str, Any]:
        """Add scrapy-playwright's meta to a request's `meta` when its page needs the browser."""
        if not self.enabled or not needs_browser(url, portal, profile, self.mode, self.js_portals):
            return meta
        kind = page_kind(meta.get("kabar", {}).get("kind", ""), url, profile)
        meta.update(
            playwright=True,
            # Pages are closed as soon as their HTML is read: an open page per request is
            # how scrapy-playwright crawls run out of memory (its issues #126, #240).
            playwright_include_page=False,
            playwright_page_init_callback=WATCH_PAGE,
            playwright_page_methods=[
                PageMethod(run_actions, actions_for(profile, kind), self.quiet_ms, self.settle_ms),
            ],
        )
        return meta


# --- settings wiring -------------------------------------------------------------------------


def configure(settings: Settings, params: KabarParams, readings: Iterable[Reading]) -> Renderer:
    """Decide whether this crawl may render JS; if so install the browser handler and check Chromium.

    Runs in the spider's ``from_crawler``, while settings can still change. A missing Chromium
    stops the crawl before any request, with one line on stderr and exit status 2.
    """
    readings = list(readings)
    config = Config.from_settings(settings)
    js_portals = frozenset(config.render_portals)
    unknown = js_portals - {portal.id for portal, _ in readings}
    if unknown:
        logger.warning("NEWSCRAWL_RENDER_PORTALS names %s, not in this crawl", ", ".join(sorted(unknown)))
    enabled = may_need_browser(readings, params.render, js_portals)
    renderer = Renderer(
        mode=params.render,
        enabled=enabled,
        js_portals=js_portals,
        quiet_ms=config.render_quiet_ms,
        settle_ms=config.render_settle_ms,
    )
    if not enabled:
        logger.info("JS rendering: off (render=%s, no target needs a browser)", params.render)
        return renderer
    try:
        chromium = install_browser(settings)
    except RenderError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(EXIT_CONFIG) from None
    logger.info("JS rendering: on (render=%s, Chromium %s)", params.render, chromium)
    return renderer


def install_browser(settings: Settings) -> str:
    """Route http/https through the browser handler with Debian's Chromium; return its path."""
    chromium = Config.from_settings(settings).chromium
    if not Path(chromium).is_file() or not os.access(chromium, os.X_OK):
        raise RenderError(
            f"Chromium not found at {chromium} (needed for JS rendering): install Debian's chromium "
            "(apt-get install chromium) or point NEWSCRAWL_CHROMIUM at a Chromium executable",
        )
    max_contexts = settings.getint("PLAYWRIGHT_MAX_CONTEXTS")
    if 0 < max_contexts < 2:
        raise RenderError(
            f"PLAYWRIGHT_MAX_CONTEXTS={max_contexts}: at least 2 are needed, one serving pages while "
            "the one it replaces finishes its last pages",
        )
    handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": BROWSER_HANDLER, "https": BROWSER_HANDLER}
    launch = {"headless": True, **settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"), "executable_path": chromium}
    _override(settings, "DOWNLOAD_HANDLERS", handlers)
    _override(settings, "PLAYWRIGHT_LAUNCH_OPTIONS", launch)
    # Debian ships Chromium only: `playwright install` cannot fetch other browsers here.
    _override(settings, "PLAYWRIGHT_BROWSER_TYPE", "chromium")
    return chromium


def _override(settings: Settings, name: str, value: object) -> None:
    # At least spider priority, and never below what the user gave: our value already merges theirs.
    priority = max(settings.getpriority(name) or 0, SETTINGS_PRIORITIES["spider"])
    settings.set(name, value, priority=priority)


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: block images, fonts and media inside the browser."""
    return str(request.resource_type) in BLOCKED_RESOURCES
