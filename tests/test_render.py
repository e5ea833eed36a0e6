"""JS rendering with the real Debian Chromium: JS-only portals crawled like any other, plain ones untouched.

tests/sites/jsportal is a portal whose pages are empty shells until JavaScript runs: its article
links come from JSON (a "Muat lebih banyak" button and an infinite-scroll list add more), and its
article bodies are injected by script. Its expected.json is written from the build data, not from
any HTML. The crawls run the real `scrapy crawl kabar` while a sampler watches the process tree for
Chromium and Playwright's driver, so "no browser was started" is observed, not assumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import build_jsportal
import psutil
import pytest
from playwright.async_api import async_playwright
from scrapy.settings import Settings
from serve import SiteHandler

from newscrawl.crawl.render import page as browser_page
from newscrawl.crawl.render import policy as render
from newscrawl.networks import all_profiles, get_profile
from newscrawl.networks.base import PageAction, Profile
from newscrawl.registry import Portal
from tests.conftest import SITES, CrawlResult, run_kabar
from tests.servers import serving_with

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

JSPORTAL = SITES / "jsportal"
EXPECTED: dict[str, dict[str, Any]] = json.loads((JSPORTAL / "expected.json").read_text(encoding="utf-8"))
KLIK_EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"),
)
FIELDS = ("title", "published_at", "author", "dateline", "section", "tags", "image_caption", "body")
CHROMIUM = "/usr/bin/chromium"
HREFS_JS = "els => els.map(e => e.getAttribute('href'))"


# --- the portal, served with a record of what was asked for ------------------------------------


class RecordingHandler(SiteHandler):
    """serve.py's handler, remembering every path asked for (to see what the browser fetched)."""

    asked: list[str]

    def _respond(self, *, body: bool) -> None:
        self.asked.append(self.path)
        super()._respond(body=body)


@contextlib.contextmanager
def serving_recorded(root: Path) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Recording", (RecordingHandler,), {"asked": asked})
    with serving_with(handler, root) as base:
        yield base, asked


@dataclass
class Served:
    base: str
    asked: list[str]

    @property
    def id(self) -> str:
        return urlsplit(self.base).netloc


@pytest.fixture(scope="module")
def jsportal() -> Iterator[Served]:
    with serving_recorded(JSPORTAL) as (base, asked):
        yield Served(base, asked)


# --- watching the process tree -----------------------------------------------------------------


@dataclass
class Seen:
    names: set[str] = field(default_factory=set)

    @property
    def chromium(self) -> bool:
        return any("chrom" in name for name in self.names)

    @property
    def playwright_driver(self) -> bool:
        # Node names its main thread, and so the process as ps shows it, "node-MainThread" soon
        # after it starts: a sampler sees either name.
        return any(name == "node" or name.startswith("node-") for name in self.names)


@contextlib.contextmanager
def watching_processes() -> Iterator[Seen]:
    """Sample the names of every descendant of this process until the block ends."""
    seen = Seen()
    stop = threading.Event()
    me = psutil.Process()

    def sample() -> None:
        while not stop.is_set():
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    seen.names.add(child.name())
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=5)


def crawl(tmp_path: Path, args: dict[str, str], settings: dict[str, str] | None = None,
          env: dict[str, str] | None = None) -> tuple[CrawlResult, Seen]:
    with watching_processes() as seen:
        result = run_kabar(
            tmp_path, args=args, env=env,
            settings={"NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"), **(settings or {})},
        )
    return result, seen


def by_path(items: list[dict[str, Any]], base: str) -> dict[str, dict[str, Any]]:
    return {urlsplit(i["url"]).path: i for i in items if i["url"].startswith(base)}


def test_jsportal_is_built_from_its_data() -> None:
    assert build_jsportal.main(["--check"]) == 0


# --- a whole JS-only portal with -a render=js --------------------------------------------------


@pytest.fixture(scope="module")
def js_crawl(jsportal: Served, tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlResult, Seen]:
    # A small context budget, so that this crawl also replaces (and closes) browser contexts.
    return crawl(
        tmp_path_factory.mktemp("js"),
        args={"start_urls": f"{jsportal.base}/", "render": "js"},
        settings={"NEWSCRAWL_RENDER_PAGES_PER_CONTEXT": "10"},
    )


def test_js_crawl_finds_every_article_once(js_crawl: tuple[CrawlResult, Seen]) -> None:
    result, seen = js_crawl
    assert result.returncode == 0, result.log[-3000:]
    paths = [urlsplit(i["url"]).path for i in result.items]
    assert sorted(paths) == sorted(EXPECTED)
    assert len(paths) == len(set(paths))
    assert seen.chromium, "the sampler sees Chromium when it runs"
    assert seen.playwright_driver, "and Playwright's driver"


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_js_articles_are_extracted_completely(js_crawl: tuple[CrawlResult, Seen], jsportal: Served, path: str) -> None:
    item = by_path(js_crawl[0].items, jsportal.base)[path]
    expected = EXPECTED[path]
    for name in FIELDS:
        assert item[name] == expected[name], name
    assert [urlsplit(u).path for u in item["related_urls"]] == expected["related_urls"]
    assert urlsplit(item["image_url"]).path == expected["image_path"]
    for marker in ("Baca Juga", "WARTALEMBAH.ID", "Tags", "Muat lebih"):
        assert marker not in item["body"]


def test_page_actions_fire(js_crawl: tuple[CrawlResult, Seen], jsportal: Served) -> None:
    result = js_crawl[0]
    got = set(by_path(result.items, jsportal.base))
    for via in ("load_more", "scroll", "baca_juga", "tag"):
        wanted = {p for p, a in EXPECTED.items() if a["reachable_via"] == via}
        assert wanted, via
        assert wanted <= got, via
    # Two presses of "Muat lebih banyak" on the home page, two scrolls of the lazy list.
    assert result.stat("newscrawl/render/clicks") == 2
    assert result.stat("newscrawl/render/scrolls") >= 2
    assert not [k for k in result.stats if k.startswith("newscrawl/warnings/render_")]


def test_every_js_page_went_through_the_browser_and_was_closed(
    js_crawl: tuple[CrawlResult, Seen], jsportal: Served,
) -> None:
    result = js_crawl[0]
    pages = result.stat(f"newscrawl/render/browser/{jsportal.id}")
    assert pages >= len(EXPECTED) + 2  # every article, the home page and the section at least
    assert result.stat(f"newscrawl/render/http/{jsportal.id}") == 0
    assert result.stat("playwright/page_count") == pages
    assert result.stat("playwright/page_count/closed") == pages
    assert result.stat("playwright/browser_count") == 1


def test_contexts_are_replaced_and_at_most_two_live(js_crawl: tuple[CrawlResult, Seen], jsportal: Served) -> None:
    result = js_crawl[0]
    pages = result.stat(f"newscrawl/render/browser/{jsportal.id}")
    # A context serves 10 pages (more while the one before it finishes) and is then closed.
    contexts = result.stat("playwright/context_count")
    assert 2 <= contexts <= (pages + 9) // 10
    assert result.stat("newscrawl/render/contexts_recycled") == contexts - 1
    assert result.stat("playwright/context_count/max_concurrent") <= 2
    assert result.stat("playwright/page_count/max_concurrent") <= 16


def test_images_fonts_and_media_are_never_downloaded(js_crawl: tuple[CrawlResult, Seen], jsportal: Served) -> None:
    asked = jsportal.asked
    assert any(p.startswith("/api/artikel/") for p in asked), "the browser fetched the article JSON"
    assert "/assets/app.js" in asked
    assert "/assets/site.css" in asked
    # Photos, thumbnails, the logo and the web font are aborted inside the page. The favicon is
    # fetched by Chromium itself, outside the page's request routing, so nothing can block it.
    assert {p for p in asked if p.startswith("/media/")} <= {"/media/favicon.png"}
    assert js_crawl[0].stat("playwright/request_count/aborted") > 0


def test_inline_data_article_needs_no_json(js_crawl: tuple[CrawlResult, Seen], jsportal: Served) -> None:
    inline = [p for p, a in EXPECTED.items() if a["inline"]]
    assert len(inline) == 1
    slug = inline[0].rsplit("/", 1)[1]
    assert f"/api/artikel/{slug}.json" not in jsportal.asked
    assert by_path(js_crawl[0].items, jsportal.base)[inline[0]]["body"] == EXPECTED[inline[0]]["body"]


# --- no browser where none is needed ----------------------------------------------------------


def test_plain_http_sees_only_an_empty_shell(tmp_path: Path, jsportal: Served) -> None:
    result, seen = crawl(tmp_path, args={"start_urls": f"{jsportal.base}/", "render": "http"})
    assert result.returncode == 0, result.log[-3000:]
    assert result.items == [], "the portal's raw HTML has no article link: only JS finds them"
    assert not seen.chromium
    assert not seen.playwright_driver


@pytest.fixture(scope="module")
def klik_plain(klikdemo: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlResult, Seen]:
    """The demo PRMN portal crawled alone with render=auto; the generic family, as in the mixed crawl."""
    return crawl(tmp_path_factory.mktemp("klik"), args={"start_urls": f"{klikdemo}/", "network": "generic"})


def test_plain_portal_crawl_launches_no_browser(klik_plain: tuple[CrawlResult, Seen]) -> None:
    result, seen = klik_plain
    assert result.returncode == 0, result.log[-3000:]
    assert result.items
    assert {urlsplit(i["url"]).path for i in result.items} <= set(KLIK_EXPECTED)
    assert not seen.chromium
    assert not seen.playwright_driver
    assert not [k for k in result.stats if k.startswith(("playwright/", "newscrawl/render/"))]
    assert "JS rendering: off" in result.log
    assert "scrapy-playwright" not in result.log


def test_mixed_crawl_renders_only_the_marked_portal(
    tmp_path: Path, jsportal: Served, klikdemo: str, klik_plain: tuple[CrawlResult, Seen],
) -> None:
    klik = urlsplit(klikdemo).netloc
    result, seen = crawl(
        tmp_path,
        args={"start_urls": f"{jsportal.base}/,{klikdemo}/", "network": "generic"},
        settings={"NEWSCRAWL_RENDER_PORTALS": jsportal.id},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(by_path(result.items, jsportal.base)) == sorted(EXPECTED)
    # The plain portal comes out exactly as when it is crawled alone, without any browser.
    klik_items = by_path(result.items, klikdemo)
    alone = by_path(klik_plain[0].items, klikdemo)
    assert sorted(klik_items) == sorted(alone)
    for path, item in klik_items.items():
        for name in ("title", "published_at", "body", "tags"):
            assert item[name] == alone[path][name], (path, name)
    assert result.stat(f"newscrawl/render/browser/{jsportal.id}") > len(EXPECTED)
    assert result.stat(f"newscrawl/render/http/{jsportal.id}") == 0
    assert result.stat(f"newscrawl/render/http/{klik}") > len(KLIK_EXPECTED)
    assert result.stat(f"newscrawl/render/browser/{klik}") == 0
    assert seen.chromium


# --- start-up checks ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["setting", "environment"])
def test_missing_chromium_is_one_clear_line(tmp_path: Path, jsportal: Served, how: str) -> None:
    missing = str(tmp_path / "no-such-chromium")
    settings = {"NEWSCRAWL_CHROMIUM": missing} if how == "setting" else {}
    env = {"NEWSCRAWL_CHROMIUM": missing} if how == "environment" else {}
    result, seen = crawl(tmp_path, args={"start_urls": f"{jsportal.base}/", "render": "js"}, settings=settings, env=env)
    assert result.returncode == render.EXIT_CONFIG
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert errors == [(
        f"error: Chromium not found at {missing} (needed for JS rendering): install Debian's chromium "
        "(apt-get install chromium) or point NEWSCRAWL_CHROMIUM at a Chromium executable"
    )]
    assert "Traceback" not in result.log
    assert result.items == []
    assert not seen.chromium


# --- declared actions, run by the real browser -------------------------------------------------


async def _render(url: str, actions: tuple[PageAction, ...]) -> tuple[dict[str, int], list[str]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await browser.new_page()
            await browser_page.watch_page(page, None)
            await page.goto(url)
            done = await browser_page.run_actions(page, actions, 300, 5000)
            links = await page.eval_on_selector_all("#list a, .entry-content a", HREFS_JS)
        finally:
            await browser.close()
    return done, links


def test_declared_click_runs_as_many_times_as_declared(jsportal: Served) -> None:
    done, links = asyncio.run(_render(f"{jsportal.base}/", (PageAction("click", "#muat", repeat=1),)))
    assert done == {"clicks": 1}
    assert len(links) == 8  # page 1 of the list, plus one "Muat lebih banyak"


def test_declared_wait_and_default_actions(jsportal: Served) -> None:
    path = next(p for p, a in EXPECTED.items() if a["related_urls"])
    done, links = asyncio.run(_render(f"{jsportal.base}{path}", (PageAction("wait", ".entry-content p"),)))
    assert done == {}
    assert links == EXPECTED[path]["related_urls"]
    done, links = asyncio.run(_render(f"{jsportal.base}/", render.actions_for(None, "listing")))
    assert done == {"scrolls": 0, "clicks": 2}
    assert len(links) == 10


def test_a_wait_that_never_comes_is_counted_not_fatal(jsportal: Served) -> None:
    async def go() -> tuple[dict[str, int], list[str]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                page = await browser.new_page()
                await browser_page.watch_page(page, None)
                await page.goto(f"{jsportal.base}/")
                done = await browser_page.run_actions(page, (PageAction("wait", "#never"),), 300, 2000)
                links = await page.eval_on_selector_all("#list a", HREFS_JS)
            finally:
                await browser.close()
        return done, links

    done, links = asyncio.run(go())
    assert done == {"failed_wait_TimeoutError": 1}
    assert len(links) == 4
    assert browser_page.action_stats(done) == {"newscrawl/warnings/render_failed_wait_TimeoutError": 1}


CONTROLS = """
<button id="c1">Muat Lebih Banyak</button>
<a id="c2" href="#"><span>Load more</span> <i class="icon"></i></a>
<div id="c3" class="btn-loadmore" role="button">Tampilkan</div>
<a id="c4" href="javascript:void(0)">Lihat berita lainnya &raquo;</a>
<p id="n1">Baca berita lainnya di laman indeks kami.</p>
<a id="n2" href="/indeks?page=2">Lihat lainnya</a>
<button id="n3">Bagikan</button>
<div id="n4" hidden><button>Muat lagi</button></div>
"""


def test_load_more_finds_the_controls_and_skips_links_and_prose() -> None:
    async def go() -> list[str]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                page = await browser.new_page()
                await page.set_content(CONTROLS)
                matches = page.locator(render.LOAD_MORE)
                found = []
                for i in range(await matches.count()):
                    control = matches.nth(i)
                    if await control.is_visible() and not await control.evaluate(browser_page._NAVIGATES_JS):
                        found.append(await control.evaluate("el => el.closest('[id]').id"))
            finally:
                await browser.close()
        return found

    assert asyncio.run(go()) == ["c1", "c2", "c3", "c4"]


# --- decisions as tables -----------------------------------------------------------------------


def _portal(render_mode: str = "http", pid: str = "example.id") -> Portal:
    return Portal(
        id=pid, host=pid, path_prefix="", name=pid, network="generic", media_group="x", region="x",
        timezone="WIB", start_urls=(), hosts=(pid,), render=render_mode,
    )


JS_LISTINGS = Profile(name="jsfamily", article_url=(r"/read/\d+",), render_url=(r"^/indeks", r"/read/\d+"))
GENERIC = get_profile("generic")


@pytest.mark.parametrize(
    ("url", "portal_render", "profile", "mode", "js_portals", "browser"),
    [
        ("https://example.id/", "http", GENERIC, "auto", (), False),
        ("https://example.id/", "js", GENERIC, "auto", (), True),
        ("https://example.id/", "http", GENERIC, "js", (), True),
        ("https://example.id/", "js", GENERIC, "http", (), False),
        ("https://example.id/", "http", GENERIC, "auto", ("example.id",), True),
        ("https://example.id/", "http", GENERIC, "auto", ("other.id",), False),
        ("https://example.id/", "http", None, "auto", (), False),
        ("https://example.id/", "http", JS_LISTINGS, "auto", (), False),
        ("https://example.id/indeks?page=2", "http", JS_LISTINGS, "auto", (), True),
        ("https://example.id/read/123", "http", JS_LISTINGS, "auto", (), True),
        ("https://example.id/kanal/indeks", "http", JS_LISTINGS, "auto", (), False),
        # Machine-readable URLs stay plain even in a JS crawl.
        ("https://example.id/sitemap-news.xml", "js", GENERIC, "js", (), False),
        ("https://example.id/sitemap.xml.gz", "js", GENERIC, "js", (), False),
        ("https://example.id/robots.txt", "js", GENERIC, "js", (), False),
        ("https://example.id/feed/", "js", GENERIC, "js", (), False),
        ("https://example.id/rss", "js", GENERIC, "js", (), False),
        ("https://example.id/foto/a.jpg?w=300", "js", GENERIC, "js", (), False),
        ("https://example.id/news/feed-the-poor-2024", "js", GENERIC, "js", (), True),
    ],
)
def test_needs_browser(  # noqa: PLR0913, PLR0917 - one parameter per column of the table
    url: str, portal_render: str, profile: Profile | None, mode: str, js_portals: tuple[str, ...], browser: bool,
) -> None:
    assert render.needs_browser(url, _portal(portal_render), profile, mode, frozenset(js_portals)) is browser


def _target(
    render_mode: str = "http", profile: Profile | None = GENERIC, pid: str = "example.id",
) -> tuple[Portal, Profile | None]:
    """A portal of the crawl with its family, as the spider hands them to the render policy."""
    return _portal(render_mode, pid), profile


@pytest.mark.parametrize(
    ("targets", "mode", "js_portals", "handler"),
    [
        ([_target()], "auto", (), False),
        ([_target(profile=None)], "auto", (), False),  # no family declares render_url (yet)
        ([_target(), _target("js", pid="b.id")], "auto", (), True),
        ([_target(profile=JS_LISTINGS)], "auto", (), True),
        ([_target()], "auto", ("example.id",), True),
        ([_target()], "js", (), True),
        ([_target("js")], "http", (), False),
        ([], "js", (), False),
    ],
)
def test_may_need_browser(
    targets: list[tuple[Portal, Profile | None]], mode: str, js_portals: tuple[str, ...], handler: bool,
) -> None:
    assert render.may_need_browser(targets, mode, frozenset(js_portals)) is handler


@pytest.mark.parametrize(
    ("kind", "url", "profile", "page"),
    [
        ("start", "https://example.id/", GENERIC, "listing"),
        ("listing", "https://example.id/kanal/daerah", GENERIC, "listing"),
        ("tag", "https://example.id/tag/banjir", GENERIC, "listing"),
        ("article", "https://example.id/x", GENERIC, "article"),
        ("page", "https://example.id/x?page=2", GENERIC, "article"),
        ("start", "https://example.id/read/12", JS_LISTINGS, "article"),
        ("start", "https://example.id/read/12", None, "listing"),
    ],
)
def test_page_kind(kind: str, url: str, profile: Profile | None, page: str) -> None:
    assert render.page_kind(kind, url, profile) == page


def test_actions_are_the_familys_own_or_the_defaults() -> None:
    own = Profile(name="own", page_actions=(
        PageAction("wait", ".list"), PageAction("click", ".more", repeat=3, on="listing"),
        PageAction("wait", ".body", on="article"),
    ))
    assert render.actions_for(own, "listing") == own.page_actions[:2]
    assert render.actions_for(own, "article") == (own.page_actions[0], own.page_actions[2])
    assert render.actions_for(GENERIC, "listing") == render.DEFAULT_ACTIONS
    assert render.actions_for(None, "article") == ()


def test_every_declared_action_is_known() -> None:
    for profile in (*all_profiles(), Profile(name="defaults", page_actions=render.DEFAULT_ACTIONS)):
        for action in profile.page_actions:
            assert action.kind in render.ACTION_KINDS, profile.name
            assert action.on in ("any", "listing", "article"), profile.name
            assert action.repeat >= 1
            assert action.selector or action.kind == "scroll", profile.name


def test_decorate_marks_only_browser_requests() -> None:
    renderer = render.Renderer(mode="auto", enabled=True, quiet_ms=200, settle_ms=4000)
    plain = renderer.decorate({"kabar": {"kind": "start"}}, "https://example.id/", *_target())
    assert plain == {"kabar": {"kind": "start"}}
    meta = renderer.decorate({"kabar": {"kind": "tag"}}, "https://example.id/tag/x", *_target("js"))
    assert meta["playwright"] is True
    assert meta["playwright_include_page"] is False
    assert meta["playwright_page_init_callback"] == "newscrawl.crawl.render.page.watch_page"
    (method,) = meta["playwright_page_methods"]
    assert method.method is browser_page.run_actions
    assert method.args == (render.DEFAULT_ACTIONS, 200, 4000)
    off = render.Renderer(mode="js", enabled=False)
    assert off.decorate({"kabar": {}}, "https://example.id/", *_target("js")) == {"kabar": {}}


@pytest.mark.parametrize(
    ("resource_type", "blocked"),
    [("image", True), ("font", True), ("media", True), ("document", False), ("script", False),
     ("xhr", False), ("fetch", False), ("stylesheet", False)],
)
def test_abort_request(resource_type: str, blocked: bool) -> None:
    request = type("PlaywrightRequest", (), {"resource_type": resource_type})()
    assert render.abort_request(request) is blocked


def test_install_browser_wires_scrapy_playwright(tmp_path: Path) -> None:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {"headless": False, "args": ["--lang=id"]}, priority="cmdline")
    assert render.install_browser(settings) == CHROMIUM
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == render.BROWSER_HANDLER
    assert settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") == {
        "headless": False, "args": ["--lang=id"], "executable_path": CHROMIUM,
    }
    assert settings["PLAYWRIGHT_BROWSER_TYPE"] == "chromium"
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    settings.set("NEWSCRAWL_CHROMIUM", str(fake), priority="cmdline")
    assert render.install_browser(settings) == str(fake)
    assert settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")["executable_path"] == str(fake)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("NEWSCRAWL_CHROMIUM", "/nowhere/chromium", "Chromium not found at /nowhere/chromium"),
        ("NEWSCRAWL_CHROMIUM", "{tmp}/not-executable", "Chromium not found at {tmp}/not-executable"),
        ("PLAYWRIGHT_MAX_CONTEXTS", "1", "PLAYWRIGHT_MAX_CONTEXTS=1: at least 2 are needed"),
    ],
)
def test_install_browser_refuses_what_cannot_work(tmp_path: Path, setting: str, value: str, message: str) -> None:
    (tmp_path / "not-executable").write_text("#!/bin/sh\n")
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set(setting, value.format(tmp=tmp_path), priority="cmdline")
    with pytest.raises(render.RenderError, match=message.format(tmp=tmp_path)) as caught:
        render.install_browser(settings)
    assert "\n" not in str(caught.value)
    assert "http" not in settings.getdict("DOWNLOAD_HANDLERS")
