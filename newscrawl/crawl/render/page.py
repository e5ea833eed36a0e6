"""What runs in the browser for a rendered page: settling, and the declared page actions.

`watch_page` (scrapy-playwright's page init callback) tracks each page's requests in flight and
short timers from before navigation; `run_actions` (a PageMethod) waits for the page to settle and
runs the family's actions (wait for a selector, click "load more", scroll) while they bring
something new; `action_stats` turns what they did into stats keys for the download handler.

This module is named by path in request meta (``playwright_page_init_callback``) and pickled with
requests in cluster mode: keep its functions' names. It must never decide which page is rendered
(`policy` does) and never navigate away from the page it was given.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawl.networks.base import PageAction

logger = logging.getLogger(__name__)

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
