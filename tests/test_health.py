"""Extraction health: each rule firing on records, then real crawls of local portals whose template breaks.

The crawl tests serve three small portals on 127.0.0.1 (fixed ports for the whole test, so each
keeps its portal id across crawls) and run `scrapy crawl kabar` four times with one crawl state
(SQLite, then Redis). Before the fourth, portal "a" renames its body's class and loses its date
element, and portal "c" starts answering 503; portal "b" is left alone. Then the `newscrawl
health` command reads the state (table, JSON, exit statuses), its HTML report is opened in
Debian's Chromium, and `newscrawl status` names the flagged portals of the schedule group.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from functools import partial
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING, Any

import pytest
from playwright.async_api import async_playwright
from serve import SiteHandler

from newscrawl.delivery.health.record import PortalCrawl, Tally
from newscrawl.delivery.health.rules import Margins, judge, notes
from newscrawl.delivery.health.store import open_health
from newscrawl.extract.article import extract_article
from newscrawl.networks import get_profile
from tests.conftest import REPO, CrawlResult, run_kabar

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.redis_server import RedisServer

CHROMIUM = "/usr/bin/chromium"
MARGINS = Margins()


# --- the rules, one firing each ----------------------------------------------------------------------


def crawl(at: int, **fields: Any) -> PortalCrawl:
    """A healthy crawl of 40 articles, with `fields` changed."""
    base = PortalCrawl(
        portal="p.example", at=at, articles=40, delivered=40, answered=60, listings=5, listed=40, words=400,
        fields={
            "title": {"selector": 40}, "published_at": {"text": 40}, "body": {"selector": 40},
            "author": {"selector": 30}, "image": {"meta": 40},
        },
        precision={"minute": 40},
    )
    return replace(base, **fields)


HISTORY = [crawl(1), crawl(2), crawl(3)]


@pytest.mark.parametrize(
    ("latest", "reason"),
    [
        (crawl(9, answered=0, articles=0, fields={}, errors={"http_503": 6}),
         "unreachable: no page answered, 6 requests failed (http_503=6)"),
        (crawl(9, articles=0, fields={}, dropped={"no_body": 40}),
         "no articles: 60 pages answered, 5 listings with 40 article links; dropped: no_body=40"),
        (crawl(9, fields={**crawl(0).fields, "published_at": {"text": 1}}, precision={"minute": 1}),
         "published_at 100% → 2% (the date selector found nothing; 1/40 dates)"),
        (crawl(9, fields={**crawl(0).fields, "author": {}}),
         "author 75% → 0% (the author selector found nothing; 0/40 articles)"),
        (crawl(9, fields={**crawl(0).fields, "body": {"density": 40}}),
         "body by fallback 0% → 100% (the density fallback on 40/40 articles; the body selector found nothing)"),
        (crawl(9, fields={**crawl(0).fields, "published_at": {"url": 40}}),
         ("published_at by fallback 0% → 100% (the date in the URL on 40/40 articles; "
          "the date selector found nothing)")),
        (crawl(9, fields={**crawl(0).fields, "published_at": {"dateline": 20, "script": 10, "url": 10}}),
         ("published_at by fallback 0% → 100% (the dateline of the text or the date in the page's scripts or "
          "the date in the URL on 40/40 articles; the date selector found nothing)")),
        (crawl(9, precision={"day": 40}), "published_at with a clock 100% → 0% (dates without a time of day)"),
        (crawl(9, words=150), "median body 400 → 150 words"),
        (crawl(9, errors={"timeout": 20}), "errors 0% → 25% of requests (timeout=20)"),
    ],
)
def test_each_rule_fires_with_its_reason(latest: PortalCrawl, reason: str) -> None:
    assert judge(latest, HISTORY, MARGINS) == [reason]


def test_a_healthy_crawl_and_small_drifts_are_not_flagged() -> None:
    assert judge(crawl(9), HISTORY, MARGINS) == []
    slightly = crawl(9, words=300, fields={**crawl(0).fields, "published_at": {"text": 32}}, errors={"timeout": 3})
    assert judge(slightly, HISTORY, MARGINS) == []
    # The margins are settings: a tighter one flags the same drift.
    assert judge(slightly, HISTORY, replace(MARGINS, fill_drop=0.1)) == [
        "published_at 100% → 80% (the date selector found nothing; 32/40 dates)",
    ]


def test_a_new_portal_is_flagged_only_for_no_articles_or_all_fallback() -> None:
    broken = crawl(9, words=10, fields={"title": {"meta": 40}, "body": {"density": 40}}, errors={"timeout": 30})
    assert judge(broken, [], MARGINS) == [
        ("all-fallback extraction: body by the density fallback on 40/40 articles "
         "(the family's body selectors match nothing)"),
    ]
    assert judge(broken, HISTORY[:2], MARGINS) == judge(broken, [], MARGINS), "two crawls are no history yet"
    assert judge(crawl(9, articles=0, fields={}), [], MARGINS)[0].startswith("no articles: ")


def test_robots_refusals_are_reported_apart_never_flagged() -> None:
    refused = crawl(9, answered=0, articles=0, fields={}, robots=12)
    assert judge(refused, HISTORY, MARGINS) == []
    assert notes(refused) == ["robots.txt refused 12 requests (not flagged)"]
    older = crawl(9, articles=0, fields={}, dropped={"older_than_since": 40})
    assert judge(older, HISTORY, MARGINS) == [], "nothing new since `since` is no breakage"


def test_the_history_is_the_median_of_the_last_five_crawls() -> None:
    old_bad = [crawl(i, words=100) for i in range(1, 6)]
    assert judge(crawl(20, words=100), [*old_bad, *(crawl(i) for i in range(6, 11))], MARGINS) == [
        "median body 400 → 100 words",
    ], "crawls before the last five do not count"
    assert judge(crawl(20, words=100), old_bad, MARGINS) == []


# --- the route of each field, from the extractor ----------------------------------------------------


def article_html(*, body_class: str = "entry-content", dated: bool = True, number: int = 1) -> str:
    """An article page of the test portals (generic family): headline, date, writer, body."""
    words = " ".join(["kabar"] * 12)
    paragraphs = "".join(
        f"<p>Paragraf {i} berita nomor {number} dari daerah: {words} warga setempat.</p>" for i in range(6)
    )
    date = '<div class="post-date">Senin, 3 Juni 2024 10:00 WIB</div>' if dated else ""
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Berita nomor {number}</title>'
        f'<meta property="og:image" content="{{{{BASE}}}}/foto/{number}.png"></head><body>'
        f'<article><h1 class="entry-title">Berita nomor {number} tentang jalan desa</h1>{date}'
        f'<span class="author-name">Penulis Satu</span><div class="{body_class}">{paragraphs}</div></article>'
        "</body></html>"
    )


def test_the_extractor_says_which_route_found_each_field() -> None:
    profile = get_profile("generic")
    url = "http://127.0.0.1:8000/berita/1001/berita-nomor-satu-tentang-jalan-desa"
    usual = extract_article(article_html(), url, profile)
    broken = extract_article(article_html(body_class="story-text", dated=False), url, profile)
    assert usual.routes == {"title": "selector", "author": "selector", "image": "meta", "body": "selector"}
    assert broken.routes["body"] == "density"
    assert broken.paragraphs == usual.paragraphs, "the route is said; the value does not change"
    tally = Tally()
    tally.add({"title": "t", "body": "a b c", "published_at": "2024-06-03T10:00:00+07:00",
               "published_from": "text", "published_precision": "minute", "_routes": usual.routes})
    assert tally.fields["published_at"] == {"text": 1}
    assert tally.fields["body"] == {"selector": 1}


# --- real crawls of three local portals ----------------------------------------------------------------


class Portal(SiteHandler):
    """The site handler of tests/sites/serve.py, answering 503 to everything while the site has a DOWN file."""

    def _respond(self, *, body: bool) -> None:
        if (Path(self.directory) / "DOWN").exists():
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "Service Unavailable")
            return
        super()._respond(body=body)


@dataclass
class Site:
    root: Path
    base: str

    @property
    def id(self) -> str:
        return self.base.removeprefix("http://")

    def build(self, *, body_class: str = "entry-content", dated: bool = True) -> None:
        links = []
        for n in range(1, 6):
            path = f"berita/{1000 + n}/berita-nomor-{n}-tentang-jalan-desa"
            (self.root / path).mkdir(parents=True, exist_ok=True)
            (self.root / path / "index.html").write_text(
                article_html(body_class=body_class, dated=dated, number=n), encoding="utf-8",
            )
            links.append(f'<li><a href="/{path}">Berita nomor {n}</a></li>')
        (self.root / "index.html").write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Portal</title></head><body><ul>{"".join(links)}'
            "</ul></body></html>", encoding="utf-8",
        )


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[dict[str, Site]]:
    """Portals a, b, c, each on its own port for the whole test."""
    out, servers = {}, []
    for name in "abc":
        root = tmp_path / f"site-{name}"
        root.mkdir()
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Portal, directory=str(root)))
        Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        out[name] = Site(root, f"http://127.0.0.1:{server.server_address[1]}")
        out[name].build()
    yield out
    for server in servers:
        server.shutdown()
        server.server_close()


def crawl_all(tmp_path: Path, sites: dict[str, Site], state: str, run: int, **settings: str) -> CrawlResult:
    result = run_kabar(
        tmp_path / f"crawl-{run}",
        {"start_urls": ",".join(s.base + "/" for s in sites.values()), "network": "generic"},
        {"NEWSCRAWL_STATE": state, "NEWSCRAWL_FEED_GROUP": "regional", **settings},
    )
    assert result.returncode == 0, result.log[-3000:]
    return result


def health_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.ops.cli", "health", *args],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False, env={**os.environ, **(env or {})},
    )


async def open_report(path: Path, portal: str) -> dict[str, Any]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            await page.goto(path.as_uri())
            section = page.locator(f'section[data-portal="{portal}"]')
            seen = {
                "first": await page.locator("section.portal").first.get_attribute("data-portal"),
                "classes": await section.get_attribute("class"),
                "reasons": await section.locator("ul.reasons li").all_inner_texts(),
                "lines": await section.locator("svg.chart polyline").count(),
                "bars": await section.locator("svg.chart rect.articles").count(),
                "chart_width": (await section.locator("svg.chart").bounding_box() or {}).get("width"),
                "flagged_rows": await section.locator("tr.flagged").count(),
                "requested": requested,
            }
        finally:
            await browser.close()
    return seen


def scenario(tmp_path: Path, sites: dict[str, Site], state: str) -> dict[str, list[str]]:
    """Three healthy crawls, then a's template breaks and c answers 503; check every place health shows."""
    a, b, c = sites["a"], sites["b"], sites["c"]
    for run in (1, 2, 3):
        result = crawl_all(tmp_path, sites, state, run)
        assert result.stat("newscrawl/health/flagged") == 0, result.stats.get("newscrawl/health/report")
        assert result.stat("newscrawl/health/portals") == 3
    assert len(result.items) == 0, "the third crawl delivers nothing new, and its health is still judged"

    a.build(body_class="story-text", dated=False)
    (c.root / "DOWN").touch()
    told = tmp_path / "told.json"
    result = crawl_all(tmp_path, sites, state, 4, NEWSCRAWL_HEALTH_COMMAND=f"cat > {told}")
    flagged = result.stats["newscrawl/health/report"]["flagged"]
    assert flagged == {
        a.id: [
            "published_at 100% → 0% (the date selector found nothing; 0/5 dates)",
            "body by fallback 0% → 100% (the density fallback on 5/5 articles; the body selector found nothing)",
        ],
        c.id: ["unreachable: no page answered, 1 request failed (http_503=1)"],
    }
    assert f"health          : 2 portals flagged (3 checked)\n    {a.id}: published_at 100% → 0%" in result.log
    assert f"WARNING: health: {a.id}: body by fallback 0% → 100%" in result.log
    assert f"WARNING: health: {c.id}: unreachable" in result.log
    sent = json.loads(told.read_text(encoding="utf-8"))
    assert [p["id"] for p in sent["portals"]] == [a.id, c.id]
    assert sent["portals"][0]["reasons"] == flagged[a.id]
    assert len(sent["portals"][0]["crawls"]) == 4

    store = open_health(state, create=False)
    try:
        kept = store.history()
    finally:
        store.close()
    assert {p: len(crawls) for p, crawls in kept.items()} == {a.id: 4, b.id: 4, c.id: 4}
    assert kept[b.id][-1].fields["body"] == {"selector": 5}
    assert max(len(json.dumps(r.to_json())) for crawls in kept.values() for r in crawls) < 1024
    read_back(tmp_path, state, flagged, a.id, b.id)
    return flagged


def read_back(tmp_path: Path, state: str, flagged: dict[str, list[str]], a: str, b: str) -> None:
    """`newscrawl health`: its table, exit statuses, JSON, and the HTML report in Chromium."""
    done = health_cli("--state", state)
    assert done.returncode == 1, done.stderr
    assert done.stdout.index(a) < done.stdout.index(b), "flagged portals first"
    assert "! published_at 100% → 0%" in done.stdout
    assert health_cli("--state", state, "--portal", b).returncode == 0
    listed = json.loads(health_cli("--state", state, "--json").stdout)
    assert [p["flagged"] for p in listed["portals"]] == [True, True, False], "flagged portals first"
    assert {p["id"]: p["reasons"] for p in listed["portals"]} == {**flagged, b: []}
    assert [len(p["crawls"]) for p in listed["portals"]] == [4, 4, 4]

    report = tmp_path / "report.html"
    done = health_cli("--state", state, "--html", str(report))
    assert done.returncode == 1
    assert done.stdout == f"{report}: 2 of 3 portals flagged\n"
    seen = asyncio.run(open_report(report, a))
    assert seen["first"] in flagged, "flagged portals first"
    assert "flagged" in (seen["classes"] or "").split()
    assert seen["reasons"] == flagged[a]
    assert seen["bars"] == 4
    assert seen["lines"] >= 4, "a line per field that any crawl had"
    assert seen["chart_width"] is not None
    assert seen["chart_width"] > 100
    assert seen["flagged_rows"] == 1
    assert seen["requested"] == [report.as_uri()], "the report loads nothing from anywhere"


def test_a_broken_template_and_a_503_portal_are_flagged_sqlite(tmp_path: Path, sites: dict[str, Site]) -> None:
    state = str(tmp_path / "state.sqlite")
    flagged = scenario(tmp_path, sites, state)
    schedule = tmp_path / "schedule.toml"
    schedule.write_text(
        f'retries = 0\nstate = "{tmp_path / "schedule.json"}"\n[[node]]\nname = "a"\nurl = "http://127.0.0.1:9"\n'
        f'[[group]]\nname = "regional"\nstart_urls = "{sites["a"].base}/"\ninterval = "1h"\n'
        f'settings = {{ NEWSCRAWL_STATE = "{state}" }}\n'
        f'[[group]]\nname = "elsewhere"\nstart_urls = "{sites["b"].base}/"\ninterval = "1h"\n'
        f'settings = {{ NEWSCRAWL_STATE = "{tmp_path / "no-such.sqlite"}" }}\n'
        f'[[group]]\nname = "defaulted"\nstart_urls = "{sites["c"].base}/"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "newscrawl.ops.cli", "status", "--config", str(schedule)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    health = [line for line in done.stdout.splitlines() if line.startswith(("health", "  "))]
    assert health == [
        "health of group regional: 2 of 3 portals flagged",
        *(f"  {portal}: {reason}" for portal, reasons in sorted(flagged.items()) for reason in reasons),
        f"health of group elsewhere: unknown here (crawl state {tmp_path / 'no-such.sqlite'}: no such file)",
    ], "a group with no kept crawl, on the default state, says nothing"


def test_the_same_on_the_redis_state(tmp_path: Path, sites: dict[str, Site], redis_server: RedisServer) -> None:
    scenario(tmp_path, sites, redis_server.state_uri())


def test_bad_state_and_settings_are_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    done = health_cli("--state", str(missing))
    assert (done.returncode, done.stderr) == (2, f"error: crawl state {missing}: no such file\n")
    done = health_cli("--state", "redis://127.0.0.1:9/0")
    assert done.returncode == 2
    assert done.stderr.startswith("error: crawl state redis://127.0.0.1:9/0")
    assert done.stderr.count("\n") == 1
    done = health_cli("--state", "mongodb://x")
    assert done.returncode == 2
    assert done.stderr == (
        "error: crawl state 'mongodb://x': unknown backend 'mongodb' (available: redis, rediss, sqlite)\n"
    )
    done = health_cli("--state", str(missing), env={"NEWSCRAWL_HEALTH_KEEP": "0"})
    assert (done.returncode, done.stderr) == (2, "error: NEWSCRAWL_HEALTH_KEEP=0 must be 1 or more\n")
    result = run_kabar(tmp_path, {"start_urls": "http://127.0.0.1:9/"}, {"NEWSCRAWL_HEALTH_FILL_DROP": "2"})
    assert result.returncode == 2
    assert "error: NEWSCRAWL_HEALTH_FILL_DROP=2.0 must be a share: more than 0, at most 1" in result.log
