"""JavaScript rendering: which pages go through a real browser, and what is done to them there.

A page is fetched through scrapy-playwright with Debian's Chromium when the crawl asks for it
(``-a render=js``), when its portal is marked (``render = "js"`` in portals.toml, or listed in the
setting NEWSCRAWL_RENDER_PORTALS), or when its family's ``Profile.render_url`` matches its URL.
Everything else goes through Scrapy's plain downloader. The browser's download handler
(`newscrawl.browser`) is installed only when some target of the crawl may need it, so a crawl with
no JS page neither imports Playwright nor starts a browser. Page actions (wait for a selector,
click "load more", scroll) are data: ``Profile.page_actions``, else DEFAULT_ACTIONS.

This module must never import Playwright, start a browser, or send machine-readable URLs
(sitemaps, feeds, robots.txt, media) to the browser: those stay on the plain downloader.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.settings import SETTINGS_PRIORITIES
from scrapy_playwright.page import PageMethod  # plain data class: imports no Playwright

from newscrawl.extract.links import is_article_url, path_query
from newscrawl.networks import all_profiles
from newscrawl.networks.base import PageAction

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.settings import Settings

    from newscrawl.networks.base import Profile
    from newscrawl.registry import Portal
    from newscrawl.spiders.kabar import KabarSpider, Target

logger = logging.getLogger(__name__)

BROWSER_HANDLER = "newscrawl.browser.BrowserDownloadHandler"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
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
# Short timers a page sets while loading (its first 3 s) or just after an action (1.5 s) are work
# about to change it ("show the list in 800 ms"): they count as busy like a request in flight.
# Timers set later and longer ones do not: ad rotation and polling would keep a page busy for ever.
_WATCH_MS, _SHORT_TIMER_MS = 3000, 3000
_TIMERS_JS = f"""(() => {{
  const pending = new Set(), set = window.setTimeout, clear = window.clearTimeout;
  const watching = () => performance.now() < {_WATCH_MS}
    || performance.now() - (window.__kabarActionAt || -1e9) < {_WATCH_MS // 2};
  window.setTimeout = function (fn, ms, ...rest) {{
    if (typeof fn !== "function" || Number(ms) > {_SHORT_TIMER_MS} || !watching()) {{
      return set.call(window, fn, ms, ...rest);
    }}
    const id = set.call(window, function () {{ pending.delete(id); return fn.apply(this, arguments); }}, ms, ...rest);
    pending.add(id);
    return id;
  }};
  window.clearTimeout = function (id) {{ pending.delete(id); return clear.call(window, id); }};
  window.__kabarTimers = () => pending.size;
}})();"""
# A cheap fingerprint of what the page shows (links, height and text grow when content is added),
# and how many short timers are pending.
_PROBE_JS = (
    "() => { const b = document.body; const timers = window.__kabarTimers ? window.__kabarTimers() : 0; "
    "return [b ? [document.links.length, b.scrollHeight, b.innerText.length].join(':') : '', timers]; }"
)
_MARK_ACTION_JS = "() => { window.__kabarActionAt = performance.now(); }"
# Frames, not milliseconds: a busy browser draws a background page's frames as slowly as one a
# second, and lazy lists react to scrolling only when a frame is drawn (IntersectionObserver).
# `frames(n)` resolves after n frames, or after `cap` ms for a page that draws none at all.
_FRAMES = (
    "const frames = (n, cap) => new Promise(done => { const t = setTimeout(done, cap); "
    "const next = k => k ? requestAnimationFrame(() => next(k - 1)) : (clearTimeout(t), done()); next(n); });"
)
# Scroll to the bottom from a screen or two above it: an observer that still believes the end of
# the list is in view (no frame was drawn since the list grew) sees it leave and come back.
_SCROLL_JS = (
    f"async cap => {{ {_FRAMES} window.__kabarActionAt = performance.now(); "
    "const el = document.scrollingElement || document.documentElement; "
    "window.scrollTo(0, Math.max(0, el.scrollHeight - 2 * window.innerHeight)); await frames(2, cap); "
    "window.scrollTo(0, el.scrollHeight); }"
)
# After an action: two frames, by which time observers have seen the change and called the page.
_NEXT_FRAMES_JS = f"cap => {{ {_FRAMES} return frames(2, cap); }}"
# A control that is a real link to another page is pagination: the spider follows it, never clicks.
_NAVIGATES_JS = (
    "el => { const a = el.closest('a[href]'); if (!a) return false; "
    "const h = a.getAttribute('href').trim(); return !(h === '' || h.startsWith('#') || "
    "h.toLowerCase().startsWith('javascript:')); }"
)
_POLL_SECONDS = 0.05
_MAX_CANDIDATES = 5


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


def may_need_browser(targets: Iterable[Target], mode: str, js_portals: frozenset[str] = frozenset()) -> bool:
    """Whether any page of these targets may go through the browser (decides the download handler)."""
    targets = list(targets)
    if mode == "http" or not targets:
        return False
    if mode == "js":
        return True
    # A target whose family is detected from its first page may turn out to be a family with
    # render_url patterns: keep the browser at hand if any family has them.
    undetected = any(p.render_url for p in all_profiles())
    return any(
        t.portal.render == "js" or t.portal.id in js_portals
        or (bool(t.profile.render_url) if t.profile is not None else undetected)
        for t in targets
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

    def decorate(self, meta: dict[str, Any], url: str, target: Target) -> dict[str, Any]:
        """Add scrapy-playwright's meta to a request's `meta` when its page needs the browser."""
        if not self.enabled or not needs_browser(url, target.portal, target.profile, self.mode, self.js_portals):
            return meta
        kind = page_kind(meta.get("kabar", {}).get("kind", ""), url, target.profile)
        meta.update(
            playwright=True,
            # Pages are closed as soon as their HTML is read: an open page per request is
            # how scrapy-playwright crawls run out of memory (its issues #126, #240).
            playwright_include_page=False,
            playwright_page_init_callback="newscrawl.render.watch_page",
            playwright_page_methods=[
                PageMethod(run_actions, actions_for(target.profile, kind), self.quiet_ms, self.settle_ms),
            ],
        )
        return meta


# --- settings wiring -------------------------------------------------------------------------


def configure(settings: Settings, spider: KabarSpider) -> Renderer:
    """Decide whether this crawl may render JS; if so install the browser handler and check Chromium.

    Runs in the spider's ``from_crawler``, while settings can still change. A missing Chromium
    stops the crawl before any request, with one line on stderr and exit status 2.
    """
    js_portals = frozenset(settings.getlist("NEWSCRAWL_RENDER_PORTALS"))
    unknown = js_portals - {t.portal.id for t in spider.targets}
    if unknown:
        logger.warning("NEWSCRAWL_RENDER_PORTALS names %s, not in this crawl", ", ".join(sorted(unknown)))
    enabled = may_need_browser(spider.targets, spider.params.render, js_portals)
    renderer = Renderer(
        mode=spider.params.render,
        enabled=enabled,
        js_portals=js_portals,
        quiet_ms=settings.getint("NEWSCRAWL_RENDER_QUIET_MS", 300),
        settle_ms=settings.getint("NEWSCRAWL_RENDER_SETTLE_MS", 5000),
    )
    if not enabled:
        logger.info("JS rendering: off (render=%s, no target needs a browser)", spider.params.render)
        return renderer
    try:
        chromium = install_browser(settings)
    except RenderError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(EXIT_CONFIG) from None
    logger.info("JS rendering: on (render=%s, Chromium %s)", spider.params.render, chromium)
    return renderer


def chromium_path(settings: Settings) -> str:
    """The Chromium executable: setting NEWSCRAWL_CHROMIUM, else env NEWSCRAWL_CHROMIUM, else Debian's."""
    return str(settings.get("NEWSCRAWL_CHROMIUM") or os.environ.get("NEWSCRAWL_CHROMIUM") or DEFAULT_CHROMIUM)


def install_browser(settings: Settings) -> str:
    """Route http/https through the browser handler with Debian's Chromium; return its path."""
    chromium = chromium_path(settings)
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


# --- in the browser --------------------------------------------------------------------------

# The requests each page has in flight, so "settled" can mean "no request and no DOM change".
_IN_FLIGHT: weakref.WeakKeyDictionary[Any, set[Any]] = weakref.WeakKeyDictionary()


async def watch_page(page: Any, request: Any) -> None:  # noqa: ARG001 - scrapy-playwright's signature
    """playwright_page_init_callback: from before navigation, track requests in flight and short timers."""
    in_flight: set[Any] = set()
    _IN_FLIGHT[page] = in_flight

    # Playwright wraps listeners as Python functions: bound built-ins like set.add are refused.
    def started(req: Any) -> None:
        in_flight.add(req)

    def ended(req: Any) -> None:
        in_flight.discard(req)

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    await page.add_init_script(_TIMERS_JS)


async def run_actions(page: Any, actions: tuple[PageAction, ...], quiet_ms: int, settle_ms: int) -> dict[str, int]:
    """Let the page settle, then run `actions`; return counts of what happened (for the stats).

    Every action is best effort: whatever it fails on (a selector that never shows, a detached
    button), the page is read as it stands, and the failure is counted.
    """
    done: dict[str, int] = {}
    wait = _Waiter(page, quiet_ms / 1000, settle_ms / 1000)
    if not await wait.settled(await wait.signature()):
        done["settle_capped"] = 1
    start_url = page.url.split("#", 1)[0]
    if actions:
        # Chromium draws the front tab at full speed and the others at a few frames a second;
        # actions wait for frames, so they finish sooner in front (one tab at a time is).
        try:
            await page.bring_to_front()
        except Exception as exc:  # noqa: BLE001 - a page that cannot come to front is still read
            done[f"failed_front_{type(exc).__name__}"] = 1
    for action in actions:
        try:
            if action.kind == "wait":
                await page.wait_for_selector(action.selector, state="visible", timeout=settle_ms)
                await wait.settled(await wait.signature())
            elif action.kind == "scroll":
                done["scrolls"] = done.get("scrolls", 0) + await _scroll(page, action, wait)
            elif action.kind == "click":
                done["clicks"] = done.get("clicks", 0) + await _click(page, action, wait)
        except Exception as exc:  # noqa: BLE001 - any failure of an optional action keeps the page as it is
            key = f"failed_{action.kind}_{type(exc).__name__}"
            done[key] = done.get(key, 0) + 1
        if page.url.split("#", 1)[0] != start_url:
            # A click navigated away: what is on screen now is another page; stop acting on it.
            done["navigated"] = 1
            break
    return done


def action_stats(result: object) -> dict[str, int]:
    """Stats keys for a `run_actions` result: counts under newscrawl/render/, failures as warnings."""
    if not isinstance(result, dict):
        return {}
    out = {}
    for key, count in result.items():
        group = "warnings/render_" if key.startswith("failed_") else "render/"
        out[f"newscrawl/{group}{key}"] = int(count)
    return out


class _Waiter:
    """Waits until a page stops changing: nothing in flight, no short timer, the same signature for quiet_s."""

    def __init__(self, page: Any, quiet_s: float, cap_s: float) -> None:
        self.page = page
        self.quiet_s = quiet_s
        self.cap_s = cap_s
        self.last = ""  # the signature when the page was last seen settled (or the cap was hit)

    async def probe(self) -> tuple[str, int]:
        """What the page shows, and how many short timers it has pending."""
        shown, timers = await self.page.evaluate(_PROBE_JS)
        return str(shown), int(timers)

    async def signature(self) -> str:
        return (await self.probe())[0]

    async def settled(self, before: str) -> bool:
        """Wait for quiet (True) or the cap (False); `last` is then what the page shows."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        deadline, quiet_since, self.last = now + self.cap_s, now, before
        while True:
            await asyncio.sleep(_POLL_SECONDS)
            now = loop.time()
            current, timers = await self.probe()
            if current != self.last:
                self.last, quiet_since = current, now
            elif timers or _IN_FLIGHT.get(self.page):
                quiet_since = now
            elif now - quiet_since >= self.quiet_s:
                return True
            if now >= deadline:
                return False

    async def grew(self, before: str) -> bool:
        """After an action: whether, once settled, the page shows something else than `before`."""
        # The page reacts to what it drew: wait for frames before timing quiet.
        await self.page.evaluate(_NEXT_FRAMES_JS, int(self.cap_s * 1000))
        await self.settled(before)
        return self.last != before


async def _scroll(page: Any, action: PageAction, wait: _Waiter) -> int:
    for n in range(action.repeat):
        before = await wait.signature()
        await page.evaluate(_SCROLL_JS, int(wait.cap_s * 1000))
        if not await wait.grew(before):
            return n
    return action.repeat


async def _click(page: Any, action: PageAction, wait: _Waiter) -> int:
    for n in range(action.repeat):
        if not await _click_one(page, action.selector, wait):
            return n
    return action.repeat


async def _click_one(page: Any, selector: str, wait: _Waiter) -> bool:
    """Click the first visible, non-navigating match that brings something new; False if none does."""
    matches = page.locator(selector)
    for i in range(min(await matches.count(), _MAX_CANDIDATES)):
        control = matches.nth(i)
        if not await control.is_visible() or await control.evaluate(_NAVIGATES_JS):
            continue
        before = await wait.signature()
        await page.evaluate(_MARK_ACTION_JS)
        await control.click(timeout=int(wait.cap_s * 1000))
        if await wait.grew(before):
            return True
    return False
