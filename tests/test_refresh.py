"""A page that moved by ``<meta http-equiv="refresh">`` is followed exactly as Scrapy follows it.

The project's `MetaRefreshMiddleware` (newscrawl/crawl/refresh.py) is Scrapy's with a short cut:
a UTF-8 page that cannot redirect (its first bytes do not spell "refresh", or Scrapy's scan of
its first characters, decoded from those bytes alone, finds none) is passed on without being
decoded whole. Here it decides as Scrapy's own middleware on every saved page and on variants of
them built to sit on each edge of the short cut (a refresh in any case, after a BOM, behind
multi-byte or invalid text, cut by or past Scrapy's 4,096 characters, inside ``noscript``, a
reload without URL, the word in a script, another charset), for plain, ``dont_redirect`` and HEAD
requests; and a real crawl follows a moved page.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.settings.default_settings import METAREFRESH_MAXDELAY
from scrapy.utils.test import get_crawler

from newscrawl.crawl.refresh import SCANNED_CHARS, MetaRefreshMiddleware, may_refresh
from tests.conftest import REALWORLD, SITES, read_page, run_kabar, serving

if TYPE_CHECKING:
    from scrapy.http import Response

TESTS = Path(__file__).resolve().parent
SAVED = sorted(TESTS.glob("fixtures/**/*.html.gz")) + sorted(REALWORLD.glob("**/*.html"))
ARTICLE = "/nasional/pr-13900462/pemerintah-pastikan-stok-minyak-goreng-curah-aman-jelang-iduladha/"


def _tag(content: str, attribute: str = "http-equiv", value: str = "refresh") -> bytes:
    return f'<meta {attribute}="{value}" content="{content}">'.encode()


def _in_head(page: bytes, tag: bytes) -> bytes:
    at = page.lower().find(b"<head>")
    return tag + page if at < 0 else page[: at + 6] + tag + page[at + 6 :]


def _variants(page: bytes) -> list[tuple[str, bytes, str]]:
    """(name, body, charset): the page, and the page with a refresh on each edge of the short cut."""
    wide = "é" * (SCANNED_CHARS // 2)  # 2,048 characters in 4,096 bytes
    moved = _tag("0; url=/moved")
    return [
        ("as saved", page, "utf-8"),
        ("refresh in head", _in_head(page, _tag("0; url=/moved")), "utf-8"),
        ("REFRESH, URL= spelt oddly", _in_head(page, _tag("5;URL='/Moved'", "HTTP-EQUIV", "REFRESH")), "utf-8"),
        ("mixed case", _in_head(page, _tag("0; url=/moved", "Http-Equiv", "ReFrEsH")), "utf-8"),
        ("after a BOM", b"\xef\xbb\xbf" + _in_head(page, _tag("0; url=/moved")), "utf-8"),
        ("behind multi-byte text", f"<p>{wide}</p>".encode() + _tag("0; url=/moved") + page, "utf-8"),
        ("behind more multi-byte text", f"<p>{wide * 2}</p>".encode() + _tag("0; url=/moved") + page, "utf-8"),
        ("past 4,096 characters", b"<p>" + b"x" * SCANNED_CHARS + b"</p>" + _tag("0; url=/moved") + page, "utf-8"),
        ("3-byte text, then a refresh", f"<p>{'€' * 4000}</p>".encode() + _tag("0; url=/moved") + page, "utf-8"),
        ("4-byte text, then a refresh", f"<p>{'😀' * 4000}</p>".encode() + _tag("0; url=/moved") + page, "utf-8"),
        ("4-byte text past the scan", f"<p>{'😀' * 4100}</p>".encode() + _tag("0; url=/moved") + page, "utf-8"),
        ("invalid bytes, then a refresh", b"<p>" + b"\xff\xfe\xe2\x82" * 1300 + b"</p>" + moved + page, "utf-8"),
        ("a refresh cut by the scan's end", b"<p>" + b"x" * (SCANNED_CHARS - 30) + b"</p>" + moved + page, "utf-8"),
        ("in noscript", b"<noscript>" + _tag("0; url=/moved") + b"</noscript>" + page, "utf-8"),
        ("a reload, no URL", _in_head(page, _tag("900")), "utf-8"),
        ("delay just under the maximum", _in_head(page, _tag("99; url=/moved")), "utf-8"),
        ("delay at the maximum", _in_head(page, _tag("100; url=/moved")), "utf-8"),
        ("the word in a script", b"<script>var slot = {refresh: 85};</script>" + page, "utf-8"),
        ("a base URL, a refresh", _in_head(page, b'<base href="http://b.example/x/">' + _tag("0; url=y")), "utf-8"),
        ("a refresh to nowhere", _in_head(page, _tag("0; url=")), "utf-8"),
        ("delay over the maximum", _in_head(page, _tag("9999; url=/moved")), "utf-8"),
        ("windows-1252", _in_head(page, _tag("0; url=/moved")), "cp1252"),
        ("utf-16", _in_head(page, _tag("0; url=/moved")).decode("utf-8", "replace").encode("utf-16"), "utf-16"),
    ]


def _outcome(result: Request | Response) -> Any:
    if isinstance(result, Request):
        return ("redirect", result.url, result.method, result.meta.get("redirect_reasons"))
    return ("response", result.status, result.url)


@pytest.mark.parametrize("path", SAVED[::2], ids=[p.name for p in SAVED[::2]])
def test_the_short_cut_decides_as_scrapy_on_every_page_and_edge(path: Path) -> None:
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    ours, scrapys = MetaRefreshMiddleware.from_crawler(crawler), ScrapyMetaRefreshMiddleware.from_crawler(crawler)
    page = read_page(path)
    redirected = 0
    for name, body, charset in _variants(page):
        url = "http://portal.example/lama/"

        def response(body: bytes = body, charset: str = charset, url: str = url) -> HtmlResponse:
            # A fresh response for each middleware: Scrapy caches its scan per response object.
            return HtmlResponse(url, body=body, headers={"Content-Type": f"text/html; charset={charset}"})

        for request in (Request(url), Request(url, meta={"dont_redirect": True}), Request(url, method="HEAD")):
            expected = _outcome(scrapys.process_response(request, response()))
            if expected[:2] == ("redirect", url):  # a reload ("0; url="): the page is kept, see the test below
                expected = ("response", 200, url)
            got = _outcome(ours.process_response(request, response()))
            assert got == expected, (path.name, name, request)
            redirected += got[0] == "redirect"
    assert redirected >= 9, "the variants with a refresh URL in reach should redirect"


@pytest.mark.parametrize("content", ["30", "0; url=/lama/", "5; url=http://portal.example/lama/"])
def test_a_refresh_to_the_page_itself_is_a_reload_and_the_page_is_kept(content: str) -> None:
    # Scrapy would ask for the same URL again (w3lib >= 2.6 reads a refresh without a URL as one to the
    # page itself), and its duplicate filter would drop that request: the page would be lost.
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    ours = MetaRefreshMiddleware.from_crawler(crawler)
    url = "http://portal.example/lama/"
    body = _in_head(b"<html><head></head><body><h1>Judul</h1><p>Isi.</p></body></html>", _tag(content))
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    assert ours.process_response(Request(url), response) is response


def test_saved_pages_are_found_on_both_sides_of_the_short_cut() -> None:
    # Many real portals reload their pages with <meta http-equiv="refresh" content="900">: Scrapy decides those.
    pages = [HtmlResponse("http://portal.example/", body=read_page(path), encoding="utf-8") for path in SAVED]
    may = [may_refresh(page, ["noscript"], METAREFRESH_MAXDELAY) for page in pages]
    assert may.count(False) > 0.9 * len(SAVED)  # 38 of them say "refresh" (most reload themselves, no URL)


def test_a_crawl_follows_a_page_that_moved_by_meta_refresh(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "klikdemo", site)
    (site / "lama").mkdir()
    (site / "lama" / "index.html").write_bytes(
        b"<!doctype html><html><head><title>Pindah</title>"
        + _tag(f"0; URL={ARTICLE}", "HTTP-EQUIV", "Refresh")
        + b"</head><body><p>Halaman ini pindah.</p></body></html>",
    )
    with serving(site) as base:
        result = run_kabar(
            tmp_path, args={"start_urls": f"{base}/lama/", "network": "prmn", "follow": "false"},
        )
    assert result.returncode == 0, result.log[-2000:]
    assert [item["url"] for item in result.items] == [f"{base}{ARTICLE}".rstrip("/")]  # its canonical URL
    assert result.items[0]["title"].startswith("Pemerintah Pastikan Stok Minyak Goreng Curah Aman")


@pytest.mark.parametrize("content", ["60", "60; url={url}"])
def test_a_crawl_keeps_an_article_that_reloads_itself(tmp_path: Path, content: str) -> None:
    # A live page that reloads every minute: with w3lib >= 2.6 Scrapy alone would refetch it and drop it.
    site = tmp_path / "site"
    shutil.copytree(SITES / "klikdemo", site)
    page = site / ARTICLE.strip("/") / "index.html"
    with serving(site) as base:
        page.write_bytes(_in_head(page.read_bytes(), _tag(content.format(url=f"{base}{ARTICLE}"))))
        result = run_kabar(tmp_path, args={"start_urls": f"{base}{ARTICLE}", "network": "prmn", "follow": "false"})
    assert result.returncode == 0, result.log[-2000:]
    assert [item["url"] for item in result.items] == [f"{base}{ARTICLE}".rstrip("/")]
    assert result.items[0]["title"].startswith("Pemerintah Pastikan Stok Minyak Goreng Curah Aman")
