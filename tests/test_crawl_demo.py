"""The real `kabar` spider against the bundled demo PRMN portal: the exact set of articles, once each.

tests/sites/klikdemo/expected.json is the oracle: it is written from the article data the site was
built from (tests/sites/build_klikdemo.py), not from the HTML, so it checks extraction independently.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import SITES, CrawlResult, run_kabar

if TYPE_CHECKING:
    from pathlib import Path

EXPECTED: dict[str, dict[str, Any]] = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
FIELDS = (
    "title", "published_at", "author", "editor", "source", "dateline", "section", "tags", "image_caption", "pages",
    "body",
)


@pytest.fixture(scope="module")
def crawl(klikdemo: str, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return run_kabar(tmp_path_factory.mktemp("demo"), args={"start_urls": f"{klikdemo}/", "network": "prmn"})


def _by_path(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {urlsplit(item["url"]).path: item for item in items}


def test_crawl_finishes_cleanly(crawl: CrawlResult) -> None:
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["finish_reason"] == "finished"
    assert "newscrawl summary" in crawl.log


def test_every_reachable_article_exactly_once(crawl: CrawlResult) -> None:
    paths = [urlsplit(item["url"]).path for item in crawl.items]
    assert sorted(paths) == sorted(EXPECTED), "each article once: through home, Baca Juga, tags and the sitemap"
    assert len(paths) == len(set(paths))


def test_every_demo_article_is_a_story_of_its_own(crawl: CrawlResult) -> None:
    # The demo portal has no copies (its oracle's bodies are all different): 13 stories, no copy_of.
    assert len({item["story_id"] for item in crawl.items}) == len(EXPECTED)
    assert all(item["copy_of"] is None for item in crawl.items)
    assert crawl.stats["newscrawl/stories/new"] == len(EXPECTED)


def test_no_url_is_requested_twice(crawl: CrawlResult) -> None:
    # The sitemap lists articles the home page links, an article links to itself, a listing's next
    # page is also among its links: the spider yields each URL once (`KabarSpider._unrequested`), so
    # Scrapy's duplicate filter, which drops a repeat only after the spider middlewares, finds none.
    assert crawl.stats.get("dupefilter/filtered", 0) == 0


def test_articles_reached_only_through_baca_juga_tags_and_sitemap_are_there(crawl: CrawlResult) -> None:
    got = set(_by_path(crawl.items))
    for via in ("baca_juga", "tag", "sitemap"):
        wanted = {path for path, article in EXPECTED.items() if article["reachable_via"] == via}
        assert wanted, via
        assert wanted <= got, via


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_article_fields_match_what_a_reader_sees(crawl: CrawlResult, path: str) -> None:
    item = _by_path(crawl.items)[path]
    expected = EXPECTED[path]
    for field in FIELDS:
        assert item[field] == expected[field], field
    related = [urlsplit(u).path for u in item["related_urls"]]
    assert related == expected["related_urls"]
    assert item["network"] == "prmn"
    assert item["language"] == "id"
    # Not in the registry: the portal is named as it names itself (og:site_name).
    assert item["portal_name"] == "Klik Banggai Demo"
    assert item["portal"] == urlsplit(item["url"]).netloc


def test_multi_page_articles_are_merged(crawl: CrawlResult) -> None:
    multi = {p: a for p, a in EXPECTED.items() if a["pages"] > 1}
    assert len(multi) >= 3
    items = _by_path(crawl.items)
    for path, article in multi.items():
        assert items[path]["pages"] == article["pages"]
        assert "?page=" not in items[path]["url"]
    assert crawl.stat("newscrawl/pages_merged") == sum(a["pages"] - 1 for a in multi.values())


def test_no_boilerplate_in_any_body(crawl: CrawlResult) -> None:
    for item in crawl.items:
        body = item["body"]
        for marker in ("Baca Juga", "KLIK BANGGAI -", "Editor:", "Sumber:", "***", "Halaman", "Terkini", "Tags"):
            assert marker not in body, (item["url"], marker)


def test_feed_is_utf8_jsonl_not_escaped(tmp_path: Path, klikdemo: str) -> None:
    result = run_kabar(tmp_path, args={"start_urls": f"{klikdemo}/", "network": "prmn", "max_articles": "2"})
    raw = (tmp_path / "out.jsonl").read_bytes()
    assert b"\\u" not in raw
    lines = raw.decode("utf-8").splitlines()
    assert 1 <= len(lines) <= 2
    assert all(json.loads(line)["url"].startswith(klikdemo) for line in lines)
    assert result.returncode == 0


def test_follow_false_extracts_only_the_given_page(tmp_path: Path, klikdemo: str) -> None:
    path = next(p for p, a in EXPECTED.items() if a["pages"] == 3)
    result = run_kabar(tmp_path, args={"start_urls": f"{klikdemo}{path}?page=2", "follow": "false"})
    assert [urlsplit(i["url"]).path for i in result.items] == [path]
    item = result.items[0]
    assert item["pages"] == 3
    assert item["body"] == EXPECTED[path]["body"]
    assert item["network"] == "prmn", "detected from the markup without -a network"


def test_a_one_off_crawl_repeated_delivers_everything_each_time(tmp_path: Path, klikdemo: str) -> None:
    # No crawl state configured: nothing is remembered, so a second run by hand is not empty.
    args = {"start_urls": f"{klikdemo}/", "network": "prmn"}
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    first = run_kabar(tmp_path / "1", args=args, settings={"NEWSCRAWL_STATE": ""})
    second = run_kabar(tmp_path / "2", args=args, settings={"NEWSCRAWL_STATE": ""})
    assert len(first.items) == len(second.items) == len(EXPECTED)
    assert "crawl state:" not in first.log + second.log
    assert first.stat("newscrawl/skipped/unchanged") == second.stat("newscrawl/skipped/unchanged") == 0


def test_since_delivers_the_later_articles_dated_as_without_it(
    crawl: CrawlResult, tmp_path: Path, klikdemo: str,
) -> None:
    # The spider decides the dates to know what to follow; the dates pipeline keeps what it decided.
    since = "2022-06-28"
    later = run_kabar(tmp_path, args={"start_urls": f"{klikdemo}/", "network": "prmn", "since": since})
    assert later.returncode == 0, later.log[-3000:]
    got, full = _by_path(later.items), _by_path(crawl.items)
    assert set(got) == {path for path, article in EXPECTED.items() if article["published_at"][:10] >= since}
    dated = ("published_at", "published_raw", "published_from", "published_precision", "modified_at")
    for path, item in got.items():
        assert {name: item[name] for name in dated} == {name: full[path][name] for name in dated}, path
    assert later.stat("newscrawl/dropped/older_than_since") > 0
