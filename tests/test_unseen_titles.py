"""Titles of sites never seen: a post whose title is an ``<h3>`` and whose page states no metadata.

Blogger's classic templates (and some hand-made CMSs) show a post's title as ``<h3
class="post-title">`` with no ``<h1>``, no og:title and no JSON-LD; the page's ``<title>`` is "Judul -
Nama Blog". The heading that reads like the ``<title>`` is the headline: without it the post had
no title and was not delivered, and its date, found around the headline, was not looked for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled

from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE, crawl_one_page

URL = "https://kabarpesisir.blogspot.test/2026/12/banjir-rob-rendam-pesisir.html"
STAMP = "<abbr class='published' title='2026-12-07T08:46:00+08:00'>08.46</abbr>"


def _post(title: str, heading: str) -> bytes:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="header"><h1 class="title"><a href="/">Kabar Pesisir</a></h1></div>
<div class="main"><div class="post hentry">{heading}
<div class="post-body entry-content">{MADE_UP_BODY}</div>
<div class="post-footer"><span class="post-author">Diposting oleh Admin</span>
<span class="post-timestamp">di <a class="timestamp-link" href="{URL}">{STAMP}</a></span></div></div></div>
<div class="sidebar"><h2>Arsip Blog</h2><ul><li><a href="/2026/11/">November 2026</a></li></ul></div>
</body></html>""".encode()


@pytest.mark.parametrize(
    "heading",
    [
        f"<h3 class='post-title entry-title'>{MADE_UP_HEADLINE}</h3>",
        f"<h3 class='post-title entry-title'><a href='{URL}'>{MADE_UP_HEADLINE}</a></h3>",
        f"<div class='judul-artikel'>{MADE_UP_HEADLINE}</div>",
    ],
)
def test_the_heading_that_reads_like_the_pages_title_is_the_headline(heading: str) -> None:
    post = _post(f"{MADE_UP_HEADLINE} - Kabar Pesisir", heading)
    page, fields, _ = read_as_crawled(post, URL, "generic", now=NOW.replace(year=2027))
    assert fields["title"] == MADE_UP_HEADLINE
    assert page.routes["title"] == "meta"  # a fallback, as health counts it
    # The headline found, its post's footer is read: the timestamp's date and zone, and no other text.
    assert (fields["published_at"], fields["published_raw"]) == ("2026-12-07T08:46:00+08:00", None)


def test_a_title_no_heading_shows_names_no_article() -> None:
    # The <title> is the blog's name only: the header's h1 shows it, and a link to the home page is no headline.
    page = _post("Kabar Pesisir", "<h3 class='post-title'>Catatan</h3>").replace(
        b'<h1 class="title"><a href="/">Kabar Pesisir</a></h1>', b"<div>Kabar Pesisir</div>",
    )
    _, fields, _ = read_as_crawled(page, URL, "generic", now=NOW.replace(year=2027))
    assert fields["title"] is None


def test_a_title_that_is_the_sites_name_does_not_outrank_the_headline() -> None:
    # A CMS that titles every page with the site's name, shown again in its header's .site-title.
    page = _post("Kabar Pesisir", f"<h1 class='entry-title'>{MADE_UP_HEADLINE}</h1>").replace(
        b'<h1 class="title"><a href="/">Kabar Pesisir</a></h1>', b'<p class="site-title">Kabar Pesisir</p>',
    )
    _, fields, _ = read_as_crawled(page, URL, "generic", now=NOW.replace(year=2027))
    assert fields["title"] == MADE_UP_HEADLINE


def test_a_crawl_delivers_the_post(tmp_path: Path) -> None:
    page = _post(f"{MADE_UP_HEADLINE} - Kabar Pesisir", f"<h3 class='post-title entry-title'>{MADE_UP_HEADLINE}</h3>")
    result = crawl_one_page(tmp_path, page, zones=("",))[""]
    (item,) = result.items
    assert (item["title"], item["published_at"]) == (MADE_UP_HEADLINE, "2026-12-07T08:46:00+08:00")
    assert result.stat("newscrawl/dropped/no_title") == 0
