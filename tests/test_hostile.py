"""The crawl meets hostile and broken input with a defined outcome: it goes on, loses nothing, lets nothing in.

One real `scrapy crawl kabar` of the hostile portal (tests/sites/hostile: good articles mixed with
server errors, timeouts, dropped connections, wrong charsets, huge pages, redirect loops, traps,
junk links, broken pages) is shared by most tests; its oracle is tests/sites/hostile/expected.json.
The server records every request it receives, so "never requested" is checked where it happens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.crawl.middlewares import FAILURE_REASONS, Counted, closes_html, failure_key, real_encoding
from tests.conftest import SITES, CrawlResult, run_kabar

if TYPE_CHECKING:
    from collections.abc import Iterator

from hostile.server import Site, serving_hostile

EXPECTED: dict[str, Any] = json.loads((SITES / "hostile" / "expected.json").read_text(encoding="utf-8"))
ARTICLES: list[dict[str, Any]] = EXPECTED["articles"]
# Short enough to keep the crawl quick, long enough for a loaded machine; slow answers take 9 s.
HOSTILE_SETTINGS = {"DOWNLOAD_TIMEOUT": "4", "RETRY_TIMES": "1"}
SLOW = 9.0
GROUPS = ("dropped", "skipped", "errors", "warnings")


@dataclass
class HostileCrawl:
    site: Site
    result: CrawlResult
    requests: list[tuple[str, str]]

    @property
    def summary(self) -> str:
        text = self.result.log
        return text[text.index("newscrawl summary"):]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    """One crawl of the whole hostile portal from its home page, its network family detected, as a user would."""
    with serving_hostile(slow=SLOW) as site:
        result = run_kabar(
            tmp_path_factory.mktemp("hostile"),
            args={"start_urls": f"{site.base}/"},
            settings=HOSTILE_SETTINGS,
        )
        with site.lock:
            requests = list(site.requests)
        yield HostileCrawl(site, result, requests)


def _by_url(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item["url"], []).append(item)
    return out


def test_crawl_finishes_cleanly(crawl: HostileCrawl) -> None:
    result = crawl.result
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["finish_reason"] == "finished"
    assert not [k for k in result.stats if k.startswith("spider_exceptions/")], result.stats
    assert "Traceback" not in result.log
    assert "newscrawl summary" in result.log
    assert f"localhost:{crawl.site.port}: detected network prmn" in result.log


@pytest.mark.parametrize("expected", ARTICLES, ids=[a["case"][:40] for a in ARTICLES])
def test_good_article_delivered_once_with_its_fields(crawl: HostileCrawl, expected: dict[str, Any]) -> None:
    delivered = _by_url(crawl.result.items).get(crawl.site.base + expected["path"], [])
    assert len(delivered) == 1, f"{expected['path']} delivered {len(delivered)} times"
    item = delivered[0]
    for name in ("title", "published_at", "published_raw", "author", "tags", "editor", "pages", "body"):
        assert item[name] == expected[name], name
    assert "\ufffd" not in item["title"] + item["body"]


def test_nothing_else_is_delivered(crawl: HostileCrawl) -> None:
    urls = [item["url"] for item in crawl.result.items]
    assert sorted(urls) == sorted(crawl.site.base + a["path"] for a in ARTICLES)


def test_every_bad_case_is_counted_under_its_key(crawl: HostileCrawl) -> None:
    stats = crawl.result.stats
    for key, value in EXPECTED["stats"].items():
        assert stats.get(key, 0) == value, key
    for key, value in EXPECTED["stats_at_least"].items():
        assert stats.get(key, 0) >= value, key
    # Each documented case names a key the crawl counted.
    for case in (*ARTICLES, *EXPECTED["rejected"], *EXPECTED["links"]):
        if case["stat"]:
            assert stats.get(case["stat"], 0) >= 1, case


def test_no_outcome_goes_unexplained(crawl: HostileCrawl) -> None:
    """No error, drop or warning happened that the oracle does not list."""
    documented = set(EXPECTED["stats"]) | set(EXPECTED["stats_at_least"])
    for group in GROUPS:
        seen = {k for k in crawl.result.stats if k.startswith(f"newscrawl/{group}/")}
        assert seen <= documented, f"{group}: {sorted(seen - documented)}"


def test_summary_lists_every_outcome(crawl: HostileCrawl) -> None:
    summary = crawl.summary
    for key, value in crawl.result.stats.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "newscrawl" and parts[1] in GROUPS:
            line = next(line for line in summary.splitlines() if line.strip().startswith(parts[1]))
            assert f"{parts[2]}={value}" in line, (key, line)
    assert f"{len(ARTICLES)} delivered" in summary
    assert "future: 1" in summary
    assert "finished        : finished" in summary


def test_crawl_never_leaves_the_portal(crawl: HostileCrawl) -> None:
    """Off-site, javascript:, mailto:, tel: and malformed links are never requested; nor is an off-site redirect."""
    assert {host.lower() for host, _ in crawl.requests} == {f"localhost:{crawl.site.port}"}
    # The junk links all point at story ids 79999xx; a request for one would be a leak.
    assert not [path for _, path in crawl.requests if "/pr-7999" in path]
    # The spider itself never asked for an off-site URL: PortalScopeMiddleware only had redirects to stop.
    assert "newscrawl/skipped/offsite" not in crawl.result.stats


def test_robots_txt_disallow_is_obeyed(crawl: HostileCrawl) -> None:
    paths = [path for _, path in crawl.requests]
    assert "/robots.txt" in paths
    assert not [p for p in paths if p.startswith("/rahasia/")]
    assert crawl.result.stat("newscrawl/skipped/robots_txt") == 1


def test_download_maxsize_refuses_huge_pages(crawl: HostileCrawl) -> None:
    assert crawl.result.stat("newscrawl/errors/too_large") == 2
    assert "larger than download max size" in crawl.result.log
    assert not [i for i in crawl.result.items if "raksasa" in i["url"]]


def test_traps_stop_at_the_default_depth_cap(crawl: HostileCrawl) -> None:
    paths = [path for _, path in crawl.requests]
    cap = 30
    assert 1 < sum(p.startswith("/tag/jebakan") for p in paths) <= cap + 1
    assert 1 < sum(p.startswith("/indeks") for p in paths) <= cap + 1
    assert crawl.result.stat("newscrawl/skipped/listing_depth") == 2


def test_url_variants_fetch_one_page(crawl: HostileCrawl) -> None:
    """utm, AMP, https, host case and fragments collapse into one request; only the trailing slash is fetched twice."""
    variant = next(a for a in ARTICLES if a["stat"] == "newscrawl/dropped/duplicate")
    slug = variant["path"].rsplit("/", 1)[1]
    fetched = sorted(path for _, path in crawl.requests if slug in path)
    assert fetched == sorted([variant["path"], variant["path"] + "/"])


def test_pagination_trap_stops_at_max_listing_depth(tmp_path: Any) -> None:
    """With a small NEWSCRAWL_MAX_LISTING_DEPTH, an endless tag pagination stops exactly there."""
    depth = 3
    with serving_hostile(slow=SLOW) as site:
        result = run_kabar(
            tmp_path,
            args={"start_urls": f"{site.base}/tag/jebakan", "network": "prmn"},
            settings={**HOSTILE_SETTINGS, "NEWSCRAWL_MAX_LISTING_DEPTH": str(depth)},
        )
        paths = site.paths()
    assert result.returncode == 0, result.log[-3000:]
    pages = sorted(
        int(parse_qs(urlsplit(p).query).get("page", ["1"])[0]) for p in paths if p.startswith("/tag/jebakan")
    )
    assert pages == list(range(1, depth + 2))
    # The calendar trap, reached from the trap's navigation, is capped the same way.
    assert sum(p.startswith("/indeks") for p in paths) <= depth
    assert result.stat("newscrawl/skipped/listing_depth") >= 1
    assert re.search(r"skipped\s+: \d+ \(.*listing_depth=\d", result.log)
    # The articles the trap lists are still delivered, once each.
    urls = [i["url"] for i in result.items]
    assert len(urls) == len(set(urls)) >= 2


# --- the rules behind the outcomes, one row each -------------------------------------------------

def _named(name: str, base: type[BaseException] = Exception) -> BaseException:
    return type(name, (base,), {})()


@pytest.mark.parametrize(("names", "key"), FAILURE_REASONS)
def test_failure_reasons_table(names: frozenset[str], key: str) -> None:
    for name in names:
        assert failure_key(_named(name)) == key


@pytest.mark.parametrize(
    ("exc", "key"),
    [
        (IgnoreRequest("Forbidden by robots.txt"), "skipped/robots_txt"),
        (IgnoreRequest("max redirections reached"), "errors/too_many_redirects"),
        (IgnoreRequest("something else"), "skipped/ignored"),
        (Counted("errors/redirect_loop", "http://x/"), None),
        (None, None),
        (_named("SomethingNew"), "errors/SomethingNew"),
    ],
)
def test_failure_key(exc: BaseException | None, key: str | None) -> None:
    assert failure_key(exc) == key


def test_failure_key_of_an_http_error() -> None:
    response = HtmlResponse("http://portal.example/", status=503, body=b"")
    assert failure_key(HttpError(response, "Ignoring non-200 response")) == "errors/http_503"


TEXT = "Festival “Rasa Daerah” – kafé, ‘kue’ dan kopi…"


@pytest.mark.parametrize(
    ("body", "declared", "real"),
    [
        (TEXT.encode("cp1252"), "utf-8", "cp1252"),  # windows-1252 bytes declared UTF-8
        (TEXT.encode("utf-8"), "cp1252", "utf-8"),  # UTF-8 bytes declared windows-1252
        (TEXT.encode("utf-8"), "iso-8859-1", "utf-8"),
        (TEXT.encode("utf-8"), "utf-8", None),  # right as declared
        (TEXT.encode("cp1252"), "cp1252", None),
        (b"plain ascii", "cp1252", None),
        # One stray byte in a page full of good UTF-8 is damage, not another encoding.
        (TEXT.encode("utf-8") * 5 + b"\x93", "utf-8", None),
        (TEXT.encode("utf-8"), "no-such-charset", None),
    ],
)
def test_real_encoding(body: bytes, declared: str, real: str | None) -> None:
    assert real_encoding(body, declared) == real


@pytest.mark.parametrize(
    ("body", "closed"),
    [
        (b"<html><body><p>kabar</p></body></html>\n", True),
        (b"<HTML><body>" + b"x" * 5000 + b"</HTML >", True),
        # Closed, then more than the last KB of trailing junk: found by the search of the whole page.
        (b"<html><body></body></html>" + b"<!-- tracker -->" * 200, True),
        (b"<html><body><p>kabar" + b"x" * 5000, False),  # cut short: counted as truncated
        (b"<html></htm", False),
    ],
)
def test_closes_html(body: bytes, closed: bool) -> None:
    assert closes_html(body) is closed
