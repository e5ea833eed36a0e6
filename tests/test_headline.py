"""An article page without a headline is never delivered under the site's name (issue #13).

A real `scrapy crawl kabar` reads two article pages of a made-up WordPress-style site served on
127.0.0.1: one with its headline, one whose ``<h1>`` is empty and whose ``<title>``/og:title hold
only the site's name ("- Kabar Pesisir", "Kabar Pesisir"). The first is delivered with its
headline; the second is dropped and counted as having no title.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE, SITES, run_kabar

sys.path.insert(0, str(SITES))
from serve import serving

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SITE = "Kabar Pesisir"
HEADLINE, BODY = MADE_UP_HEADLINE, MADE_UP_BODY


def _page(title_tag: str, og_title: str, h1: str) -> str:
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{title_tag}</title>
<meta property="og:site_name" content="{SITE}">
<meta property="og:title" content="{og_title}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-03-05T09:15:00+07:00">
</head><body><header><a href="/">{SITE}</a></header>
<article class="post"><h1 class="entry-title">{h1}</h1>
<div class="entry-meta"><time datetime="2024-03-05T09:15:00+07:00">5 Maret 2024 09:15 WIB</time></div>
<div class="entry-content">{BODY}</div></article></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("pesisir")
    pages = {
        "2024/03/05/banjir-rob-pesisir-utara": _page(f"{HEADLINE} - {SITE}", HEADLINE, HEADLINE),
        "2024/03/05/tanpa-judul": _page(f" - {SITE}", SITE, ""),
    }
    for path, html in pages.items():
        (root / path).mkdir(parents=True)
        (root / path / "index.html").write_text(html, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (root / "index.html").write_text(f"<html><head><title>{SITE}</title></head><body></body></html>", encoding="utf-8")
    with serving(root) as base:
        yield base


def test_an_article_without_a_headline_is_dropped_not_named_after_the_site(site: str, tmp_path: Path) -> None:
    urls = [f"{site}/2024/03/05/banjir-rob-pesisir-utara", f"{site}/2024/03/05/tanpa-judul"]
    result = run_kabar(tmp_path, {"start_urls": ",".join(urls), "follow": "false"})
    assert result.returncode == 0, result.log[-3000:]
    assert [item["title"] for item in result.items] == [HEADLINE]
    assert not [item for item in result.items if SITE in (item["title"] or "")]
    assert result.stat("newscrawl/dropped/no_title") == 1
