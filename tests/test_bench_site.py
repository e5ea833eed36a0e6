"""The benchmark's generated portal (benchmarks/bench_site.py) is a fair stand-in for a PRMN portal.

Its pages must read as PRMN pages (the extractor finds title, date, body, tags, pager), every link
on them must lead to a page the server has, every article must be reachable from the home page,
and the server must answer HTTP/1.1 with keep-alive. No timing is asserted here: speed is printed
by benchmarks/run.py.
"""

from __future__ import annotations

import http.client
import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest

from newscrawl.extract.article import extract_article
from newscrawl.networks import get_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_site import Site, articles_for_pages, build_site, page_count, start_server

BASE = "http://127.0.0.1:9"
HREF = re.compile(r'<a [^>]*?href="([^"#][^"]*)"')


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(120, BASE)


def _target(url: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != BASE:
        return None
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def _links(site: Site, target: str) -> list[str]:
    html = site.pages[target].decode("utf-8")
    found = (_target(urljoin(BASE + target, href)) for href in HREF.findall(html))
    return [t for t in found if t and not t.startswith("/search")]


def test_every_on_site_link_leads_to_a_page(site: Site) -> None:
    missing = {(t, link) for t in site.pages for link in _links(site, t) if link not in site.pages}
    assert not missing


def test_every_page_is_reachable_from_home(site: Site) -> None:
    seen, queue = {"/"}, deque(["/"])
    while queue:
        for link in _links(site, queue.popleft()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    unreachable = set(site.pages) - seen - {"/robots.txt", "/sitemap-news.xml"}
    assert not unreachable


def test_article_pages_read_as_prmn_pages_of_realistic_size(site: Site) -> None:
    profile = get_profile("prmn")
    multi = 0
    for target in site.article_pages:
        body = site.pages[target]
        assert 40_000 <= len(body) <= 80_000, target
        page = extract_article(body, BASE + target, profile)
        assert page.title, target
        assert page.published_raw, target
        assert len(page.paragraphs) >= (1 if "?page=" in target else 3), target
        assert page.tags, target
        if "?page=" not in target and page.last_page > 1:
            multi += 1
    articles = sum("?page=" not in t for t in site.article_pages)
    assert articles == 120
    # About 30% of the articles run over two or three pages.
    assert 0.15 <= multi / articles <= 0.45


def test_the_site_is_the_same_for_the_same_seed() -> None:
    assert build_site(30, BASE).pages == build_site(30, BASE).pages
    assert build_site(30, BASE, seed=1).pages != build_site(30, BASE).pages


def test_the_server_answers_from_memory_with_keep_alive() -> None:
    server = start_server(20)
    try:
        host, port = server.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        targets = server.article_pages[:3]
        for target in targets:
            connection.request("GET", quote(target, safe="/?=&"))
            response = connection.getresponse()
            assert response.status == 200
            assert response.read() == server.site.pages[target]
        connection.request("GET", "/nope")
        response = connection.getresponse()
        assert response.status == 404
        response.read()
        connection.close()
        assert server.counters.responses.value == len(targets) + 1
        assert server.counters.not_found.value == 1
        assert server.counters.connections.value == 1
    finally:
        server.stop()


def test_page_count_is_what_build_site_serves(site: Site) -> None:
    assert page_count(120) == len(site.pages)
    assert page_count(45, seed=7) == len(build_site(45, BASE, seed=7).pages)
    articles = articles_for_pages(1000)
    assert abs(page_count(articles) - 1000) <= 10
