"""Dates of sites never seen: the ways a page states its date that no family profile names.

Each page is a made-up article of an unregistered host, read by the generic family through the
same steps a crawl runs (extraction, cleaning, the date choice). The expected date is the one the
page's markup or text states.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, crawled_portal, read_as_crawled, response_for

from newscrawl.extract import clean as cleaning
from newscrawl.extract.article import extract_article
from newscrawl.extract.doc import Doc
from newscrawl.extract.structured import META_MODIFIED, META_PUBLISHED
from newscrawl.networks import get_profile
from newscrawl.registry import load_registry
from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE, crawl_one_page

URL = "https://kabar-pesisir.test/berita/2026/12/banjir-rob-rendam-pesisir"
HEADLINE, BODY = MADE_UP_HEADLINE, MADE_UP_BODY
ZONELESS = '<p class="tgl">Senin, 7 Desember 2026 08:46</p>'  # an article's date, printed with no zone


def _page(head: str = "", under_headline: str = "") -> bytes:
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{HEADLINE} - Kabar Pesisir</title>{head}</head><body>
<header><div class="today">Selasa, 8 Desember 2026</div><nav><a href="/">Beranda</a></nav></header>
<main><article><h1>{HEADLINE}</h1>{under_headline}<div class="isi">{BODY}</div></article>
<aside><h3>Terkini</h3><ul><li><a href="/lain">Berita lain</a> <span>Senin, 7 Desember 2026 23:10 WIB</span></li></ul>
</aside></main><footer>Kabar Pesisir 2026</footer></body></html>""".encode()


def _dates(body: bytes, url: str = URL) -> dict[str, Any]:
    _, fields, _ = read_as_crawled(body, url, "generic", now=NOW.replace(year=2027))
    return {k: fields.get(k) for k in ("published_at", "published_from", "modified_at")}


@pytest.mark.parametrize("attr", ["property", "name", "itemprop"])
@pytest.mark.parametrize("name", META_PUBLISHED)
def test_a_publication_meta_tag_is_read_under_any_attribute(name: str, attr: str) -> None:
    got = _dates(_page(f'<meta {attr}="{name}" content="2026-12-07T08:46:00+08:00">'))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "meta")


@pytest.mark.parametrize("name", META_MODIFIED)
def test_a_modification_meta_tag_is_read(name: str) -> None:
    got = _dates(_page(
        '<meta property="article:published_time" content="2026-12-07T08:46:00+08:00">'
        f'<meta name="{name}" content="2026-12-07T10:00:00+08:00">',
    ))
    assert (got["published_at"], got["modified_at"]) == ("2026-12-07T08:46:00+08:00", "2026-12-07T10:00:00+08:00")


def test_the_more_trusted_meta_name_wins_whatever_the_order_of_the_tags() -> None:
    got = _dates(_page(
        '<meta name="dc.date" content="2026-12-06">'
        '<meta name="publish_date" content="2026-12-07 08:46:00">',
    ))
    assert got["published_at"] == "2026-12-07T08:46:00+07:00"


@pytest.mark.parametrize(
    ("content", "published"),
    [
        ("Senin, 07 Desember 2026 08:46 WITA", "2026-12-07T08:46:00+08:00"),
        ("07-12-2026 08:46", "2026-12-07T08:46:00+07:00"),
        ("Mon, 07 Dec 2026 01:46:00 GMT", "2026-12-07T08:46:00+07:00"),
    ],
)
def test_a_printed_date_in_markup_is_read(content: str, published: str) -> None:
    assert _dates(_page(f'<meta property="article:published_time" content="{content}">'))["published_at"] == published
    jsonld = f'{{"@type": "NewsArticle", "headline": "{HEADLINE}", "datePublished": "{content}"}}'
    got = _dates(_page(f'<script type="application/ld+json">{jsonld}</script>'))
    assert (got["published_at"], got["published_from"]) == (published, "json-ld")


@pytest.mark.parametrize(
    ("under_headline", "published"),
    [
        # Drupal's default "submitted" line: month first, with the day's name.
        ('<div class="submitted">Sen, 12/07/2026 - 08:46</div>', "2026-12-07T08:46:00+07:00"),
        ('<p class="tanggal">7 Desember 2026 pukul 08.46 Waktu Indonesia Tengah</p>', "2026-12-07T08:46:00+08:00"),
        ('<p class="tanggal">7 Desember 2026 08:46 Waktu Indonesia Timur</p>', "2026-12-07T08:46:00+09:00"),
    ],
)
def test_a_printed_date_under_the_headline_is_read(under_headline: str, published: str) -> None:
    got = _dates(_page(under_headline=under_headline))
    assert (got["published_at"], got["published_from"]) == (published, "text")


@pytest.mark.parametrize(
    ("instant", "printed"),
    [
        ("2026-12-07T00:46:00Z", "2026-12-07T08:46:00+08:00"),
        ("2026-12-06T23:46:00+00:00", "2026-12-07T08:46:00+09:00"),
        ("2026-12-07T01:46:00Z", "2026-12-07T08:46:00+07:00"),
    ],
)
def test_the_zone_is_the_one_the_printed_clock_shows_the_utc_time_in(instant: str, printed: str) -> None:
    got = _dates(_page(
        f'<meta property="article:published_time" content="{instant}">',
        '<div class="tanggal">Senin, 7 Desember 2026 08:46</div>',
    ))
    assert got["published_at"] == printed


@pytest.mark.parametrize(
    "under_headline",
    [
        '<p class="tanggal">7 Desember 2026<br>08:46 WITA</p>',
        '<ul class="info"><li>Budi Santoso</li><li>7 Desember 2026</li><li>08:46 WITA</li></ul>',
        '<div class="info"><span>7 Desember 2026</span><span>08:46 WITA</span></div>',
        '<div class="info"><div class="date">7 Desember 2026</div><div class="time">08:46 WITA</div></div>',
        (
            '<div class="info"><span class="date">7 Desember 2026</span> | '
            '<span class="time">Pukul 08.46 WITA</span></div>'
        ),
        # A table of labels and values, the clock in the next row.
        "<table><tr><td>Tanggal</td><td>7 Desember 2026</td></tr><tr><td>Jam</td><td>08:46 WITA</td></tr></table>",
    ],
)
def test_a_date_and_its_clock_in_separate_nodes_are_one_date(under_headline: str) -> None:
    got = _dates(_page(under_headline=under_headline))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "text")


SHARE_BAR = '<div class="share">' + "".join(
    f'<a href="https://share{n}.test/?u=x"><i class="icon-{n}"></i><span>Bagikan</span></a>' for n in range(10)
) + "</div>"


@pytest.mark.parametrize(
    "page",
    [
        # Under the headline after a share bar of 30 elements, in an element with no date-like class.
        _page(under_headline=f'{SHARE_BAR}<div class="x1">Senin, 7 Desember 2026 08:46 WITA</div>'),
        # Just above the headline, in its own block, or above the headline's own wrapper.
        _page().replace(b"<h1>", b'<span class="x2">Senin, 7 Desember 2026 08:46 WITA</span><h1>'),
        _page()
        .replace(b"<h1>", b'<div class="x3">Senin, 7 Desember 2026 08:46 WITA</div><div class="x4"><h1>')
        .replace(b"</h1>", b"</h1></div>"),
    ],
)
def test_a_bare_date_by_the_headline_is_read(page: bytes) -> None:
    assert _dates(page)["published_at"] == "2026-12-07T08:46:00+08:00"


def test_a_header_today_and_a_sidebar_date_are_not_the_articles_date() -> None:
    # The header's "Selasa, 8 Desember 2026" and the sidebar's dates stand outside the article.
    assert _dates(_page(under_headline=SHARE_BAR))["published_at"] is None
    # Even right before an article that opens with its headline.
    topbar = _page().replace(b"<main><article>", b'<main><div class="bar">Selasa, 8 Desember 2026</div><article>')
    assert _dates(topbar)["published_at"] is None
    # Or right before a headline standing in the page's body itself.
    bare = (
        f"<html><head><title>{HEADLINE}</title></head><body><div class='today'>Selasa, 8 Desember 2026</div>"
        f"<h1>{HEADLINE}</h1><div class='isi'>{BODY}</div></body></html>"
    )
    assert _dates(bare.encode())["published_at"] is None


@pytest.mark.parametrize(
    "under_headline",
    [
        (
            '<div class="tgl">Diperbarui: Selasa, 8 Desember 2026 10:00 WITA</div>'
            '<div class="tgl">Diterbitkan: Senin, 7 Desember 2026 08:46 WITA</div>'
        ),
        (
            '<div class="tgl">Diperbarui: Selasa, 8 Desember 2026 10:00 WITA | '
            "Terbit: Senin, 7 Desember 2026 08:46 WITA</div>"
        ),
        '<div class="tgl">Senin, 7 Desember 2026 08:46 WITA | Update: Selasa, 8 Desember 2026 10:00 WITA</div>',
        (
            '<p class="x1">Update: Selasa, 8 Desember 2026 10:00 WITA</p>'
            '<p class="x2">Senin, 7 Desember 2026 08:46 WITA</p>'
        ),
    ],
)
def test_a_date_an_update_label_names_is_the_modification(under_headline: str) -> None:
    got = _dates(_page(under_headline=under_headline))
    assert (got["published_at"], got["modified_at"]) == ("2026-12-07T08:46:00+08:00", "2026-12-08T10:00:00+08:00")


# --- the article's footer: a date stated only after the text ----------------------------------------

BLOG_URL = "https://kabar-pesisir.test/2026/12/banjir-rob-rendam-pesisir.html"


def _blog_post(date_header: str = "", timestamp: str = "", after: str = "") -> bytes:
    """A post on Blogger's standard template: the date header above the post, its timestamp in the post's footer."""
    return f"""<!DOCTYPE html><html dir='ltr' lang='id'><head><meta content='blogger' name='generator'/>
<title>Kabar Pesisir: {HEADLINE}</title><link href='{BLOG_URL}' rel='canonical'/>
<meta content='{BLOG_URL}' property='og:url'/><meta content='{HEADLINE}' property='og:title'/></head>
<body><div class='header'><h1 class='title'><a href='/'>Kabar Pesisir</a></h1></div>
<div class='main-inner'><div class='blog-posts hfeed'><div class='date-outer'>{date_header}
<div class='date-posts'><div class='post-outer'>
<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope'
 itemtype='http://schema.org/BlogPosting'>
<meta content='https://kabar-pesisir.test/foto.jpg' itemprop='image_url'/><a name='4567'></a>
<h3 class='post-title entry-title' itemprop='name'>{HEADLINE}</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-4567' itemprop='description articleBody'>{BODY}
<div style='clear: both;'></div></div>
<div class='post-footer'><div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>Diposting oleh <span class='fn' itemprop='author'>Redaksi</span></span>
<span class='post-timestamp'>{timestamp}</span>
<span class='post-comment-link'><a class='comment-link' href='{BLOG_URL}#comment-form'>Tidak ada komentar:</a></span>
</div><div class='post-footer-line post-footer-line-2'><span class='post-labels'>Label:
<a href='/search/label/Daerah' rel='tag'>Daerah</a></span></div></div>{after}
</div></div></div></div></div></div>
<div class='sidebar'><div class='widget PopularPosts'><ul><li><a href='/2026/11/lain.html'>Berita lain</a>
<div class='item-snippet'>Senin, 30 November 2026</div></li></ul></div></div></body></html>""".encode()


def _blog_dates(page: bytes) -> dict[str, Any]:
    page_fields = extract_article(Doc.parse(response_for(page, BLOG_URL).text), BLOG_URL, get_profile("generic"))
    fields = cleaning.page_fields(page_fields)
    fields.update(load_registry().page_portal(crawled_portal(BLOG_URL), page_fields.identity, page_fields.site_name))
    cleaning.set_dates(fields, now=NOW.replace(year=2027))
    return {k: fields.get(k) for k in ("published_at", "published_from", "modified_at")}


def _stamp(title: str) -> str:
    return (
        f"di <meta content='{BLOG_URL}' itemprop='url'/><a class='timestamp-link' href='{BLOG_URL}' rel='bookmark' "
        f"title='permanent link'><abbr class='published' itemprop='datePublished' title='{title}'>08.46</abbr></a>"
    )


def test_a_blog_posts_timestamp_in_its_footer_is_its_date() -> None:
    got = _blog_dates(_blog_post(timestamp=_stamp("2026-12-07T08:46:00+08:00")))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "attr")


def test_a_blog_posts_day_above_it_takes_the_time_of_its_footers_timestamp() -> None:
    header = "<h2 class='date-header'><span>Senin, 07 Desember 2026</span></h2>"
    assert _blog_dates(_blog_post(header))["published_at"] == "2026-12-07T00:00:00+07:00"
    got = _blog_dates(_blog_post(header, _stamp("2026-12-07T08:46:00+09:00")))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+09:00", "attr")


def test_a_wordpress_entry_footer_states_the_date() -> None:
    footer = (
        '<footer class="entry-meta">This entry was posted in <a href="/kategori/daerah/">Daerah</a> on '
        '<a href="/banjir-rob/" rel="bookmark"><time class="entry-date" datetime="2026-12-07T08:46:00+08:00">'
        '7 Desember 2026</time></a><span class="by-author"> by <a href="/author/budi/">Budi</a></span>.</footer>'
    )
    page = _page().replace(b"</article>", footer.encode() + b"</article>")
    assert _dates(page)["published_at"] == "2026-12-07T08:46:00+08:00"


@pytest.mark.parametrize(
    "footer",
    [
        '<p class="meta">Diposting pada Senin, 7 Desember 2026 08:46 WITA</p>',
        ('<footer><div class="share"><a href="https://x.test/s">Bagikan</a></div>'
        '<span>Dipublikasikan: 7 Desember 2026 - 08:46 WITA</span></footer>'),
    ],
)
def test_a_labelled_date_after_the_text_is_read(footer: str) -> None:
    got = _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "text")


@pytest.mark.parametrize(
    "footer",
    [
        '<div class="tanggal">Senin, 7 Desember 2026 08:46 WITA</div>',
        ('<div class="post-footer"><span class="author">Redaksi</span> '
         '<span class="post-date">7 Desember 2026 - 08:46 WITA</span></div>'),
    ],
)
def test_a_date_after_the_text_in_an_element_named_for_it_is_read(footer: str) -> None:
    got = _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "text")


@pytest.mark.parametrize(
    "footer",
    [
        "<p>Senin, 7 Desember 2026 08:46 WITA</p>",
        '<div class="entry-footer"><span>7/12/2026 - 08:46 WITA</span></div>',
        "<p><em>Makassar, 7 Desember 2026, pukul 08.46 WITA</em></p>",
    ],
)
def test_a_date_alone_after_the_text_is_read(footer: str) -> None:
    got = _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "text")


def test_a_time_alone_after_the_text_gives_its_instant() -> None:
    footer = '<div><time datetime="2026-12-07T08:46:00+08:00">7 Desember 2026</time></div>'
    got = _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "time")


def test_a_date_alone_after_the_text_does_not_outrank_the_day_under_the_headline() -> None:
    page = _page(under_headline="<p>7 Desember 2026</p>")
    for footer in ("<p>30 November 2026 10:00</p>", "<p>7 Desember 2026 10:00</p>"):
        got = _dates(page.replace(b"</article>", footer.encode() + b"</article>"))
        assert got["published_at"] == "2026-12-07T00:00:00+07:00", footer


@pytest.mark.parametrize(
    ("footer", "published"),
    [
        ('<div class="tanggal">30 November 2026 10:00</div>', "2026-12-07T00:00:00+07:00"),
        ("<p>Diposting pada 30 November 2026 10:00</p>", "2026-12-07T00:00:00+07:00"),
        ('<div class="tanggal">7 Desember 2026 10:00</div>', "2026-12-07T10:00:00+07:00"),
    ],
)
def test_a_footers_clock_gives_the_time_of_the_day_under_the_headline_not_another_day(
    footer: str, published: str,
) -> None:
    page = _page(under_headline="<p>7 Desember 2026</p>")
    assert _dates(page.replace(b"</article>", footer.encode() + b"</article>"))["published_at"] == published


def test_a_labelled_date_after_the_text_is_read_before_a_date_alone() -> None:
    footer = "<p>30 November 2026</p><p>Diposting pada 7 Desember 2026 08:46 WITA</p>"
    assert _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))["published_at"] == (
        "2026-12-07T08:46:00+08:00"
    )


@pytest.mark.parametrize(
    "footer",
    [
        "<p>Kabar Pesisir 2026</p>",  # a year is no date
        "<p>Dibaca 1.250 kali sejak 30 November 2026</p>",  # a line that says more than a date
        '<div><a href="/lain">Berita lain</a> <span>30 November 2026 10:00</span></div>',  # another article's card
        "<table><tr><td>Jadwal</td></tr><tr><td>30 November 2026</td></tr></table>",  # a schedule's cell
        "<ul><li>30 November 2026</li><li>14 Desember 2026</li></ul>",  # a list's items
    ],
)
def test_a_footer_line_that_is_not_a_date_alone_dates_nothing(footer: str) -> None:
    assert _dates(_page().replace(b"</article>", footer.encode() + b"</article>"))["published_at"] is None


@pytest.mark.parametrize(
    "after_text",
    [
        # Another article's time after a heading ("Berita Terkait") or in a list item of links.
        ('<h3>Berita Terkait</h3><div><a href="/lain">Berita lain</a>'
        '<time class="entry-date" datetime="2026-11-30T10:00:00+08:00">30 November 2026</time></div>'),
        ('<ul><li><a href="/lain">Berita lain</a> <time class="entry-date published" '
        'datetime="2026-11-30T10:00:00+08:00">30 November 2026</time></li></ul>'),
        # A comment's date, labelled nowhere.
        '<div class="comment"><b>Budi</b> <span>30 November 2026 10:00</span></div>',
        # Named for a date, but another article's card, or a comment's.
        '<div class="related"><a href="/lain">Berita lain</a> <span class="date">30 November 2026 10:00</span></div>',
        '<div class="comment"><b>Budi</b> <span class="comment-date">30 November 2026 10:00</span></div>',
        '<div id="komentar"><div><span class="tanggal">30 November 2026 10:00</span></div></div>',
    ],
)
def test_the_footers_other_dates_are_not_the_articles(after_text: str) -> None:
    page = _page().replace(b"</article>", after_text.encode() + b"</article>")
    assert _dates(page)["published_at"] is None
    # Nor do they give the time of a day the article states.
    dated = page.replace(f"<h1>{HEADLINE}</h1>".encode(), f"<h1>{HEADLINE}</h1><p>7 Desember 2026</p>".encode())
    assert _dates(dated)["published_at"] == "2026-12-07T00:00:00+07:00"


def test_no_footer_is_read_in_a_container_holding_the_sidebar() -> None:
    for sidebar in ('<aside class="widget">', '<div class="sidebar">', '<div id="sidebar-kanan">'):
        close = "</aside>" if sidebar.startswith("<aside") else "</div>"
        inside = f"{sidebar}<p>Diposting pada Senin, 30 November 2026 10:00 WITA</p>{close}"
        page = _page().replace(b"</article>", inside.encode() + b"</article>")
        assert _dates(page)["published_at"] is None, sidebar


# --- machine dates in other attributes ----------------------------------------------------------------


@pytest.mark.parametrize("html", ['<html amp lang="id">', '<html \u26a1 lang="id">'])
def test_an_amp_pages_timeago_element_is_read(html: str) -> None:
    timeago = (
        '<amp-timeago datetime="2026-12-07T08:46:00+08:00" layout="fixed" width="160" height="20">2 jam lalu'
        "</amp-timeago>"
    )
    page = _page(under_headline=timeago).replace(b'<html lang="id">', html.encode())
    assert _dates(page)["published_at"] == "2026-12-07T08:46:00+08:00"


def test_a_relative_dates_instant_in_a_data_attribute_is_read() -> None:
    span = '<span class="date" data-time="2026-12-07T08:46:00+08:00">2 jam lalu</span>'
    assert _dates(_page(under_headline=span))["published_at"] == "2026-12-07T08:46:00+08:00"
    # A bare day in a data attribute may be a calendar's: the relative date stands.
    bare = '<span class="date" data-date="2026-12-01">2 jam lalu</span>'
    assert _dates(_page(under_headline=bare))["published_at"] == "2027-03-01T10:00:00+07:00"


def test_a_relative_dates_printed_title_is_read() -> None:
    span = '<span class="date" title="Senin, 7 Desember 2026 08:46 WITA">2 jam yang lalu</span>'
    got = _dates(_page(under_headline=span))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "text")


def test_a_json_ld_date_written_as_a_number_is_a_unix_timestamp() -> None:
    jsonld = f'{{"@type": "NewsArticle", "headline": "{HEADLINE}", "datePublished": 1796604360}}'
    got = _dates(_page(f'<script type="application/ld+json">{jsonld}</script>'))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T07:46:00+07:00", "json-ld")


def test_a_web_pages_main_entity_is_the_article() -> None:
    jsonld = (
        '{"@context": "https://schema.org", "@type": "WebPage", "name": "Kabar Pesisir", "mainEntity":'
        f' {{"@type": "NewsArticle", "headline": "{HEADLINE}", "datePublished": "2026-12-07T08:46:00+08:00"}}}}'
    )
    got = _dates(_page(f'<script type="application/ld+json">{jsonld}</script>'))
    assert (got["published_at"], got["published_from"]) == ("2026-12-07T08:46:00+08:00", "json-ld")


ARTICLE_LD = (
    '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "%s",'
    ' "datePublished": "2026-12-07T08:46:00+08:00", "dateModified": "2026-12-07T11:00:00+08:00"}'
)


@pytest.mark.parametrize("block", [
    "//<![CDATA[\n" + ARTICLE_LD % "Banjir rob" + "\n//]]>",  # a WordPress plugin's CDATA section
    "<!--\n" + ARTICLE_LD % "Banjir rob" + "\n-->",
    ARTICLE_LD % "Banjir rob" + ";",
    '{"@context": "https://schema.org", "@type": "WebSite", "name": "Kabar Pesisir"}\n' + ARTICLE_LD % "Banjir rob",
    ARTICLE_LD % 'Warga: "Air Naik Sejak Subuh"',  # quotes in the headline left unescaped: it cannot parse
], ids=["cdata", "comment", "semicolon", "two-objects", "unescaped-quotes"])
def test_a_json_ld_block_with_a_cms_slip_still_states_the_zone(block: str) -> None:
    # The visible date names no zone: the JSON-LD's +08:00 is the page's only statement of it.
    got = _dates(_page(f'<script type="application/ld+json">{block}</script>', ZONELESS))
    assert (got["published_at"], got["modified_at"]) == ("2026-12-07T08:46:00+08:00", "2026-12-07T11:00:00+08:00")


@pytest.mark.parametrize(("block", "broken"), [
    ("", 0),  # an empty script holds no block
    ("<!-- -->", 1),  # a wrapper around nothing
    (ARTICLE_LD % 'Warga: "Air Naik"', 1),  # salvaged, and still counted
    ("//<![CDATA[\n" + ARTICLE_LD % "Banjir" + "\n//]]>", 0),  # read as meant
])
def test_a_block_that_does_not_parse_is_counted_as_broken(block: str, broken: int) -> None:
    page, _, _ = read_as_crawled(_page(f'<script type="application/ld+json">{block}</script>'), URL, "generic")
    assert page.jsonld_broken == broken


def test_dates_are_salvaged_from_a_broken_block_only_for_an_article() -> None:
    video = '{"@type": "VideoObject", "name": "Video "Banjir"", "uploadDate": "2026-12-01T10:00:00+08:00"}'
    dated_first = '{"datePublished": "2026-12-01T10:00:00+08:00", "@type": "NewsArticle", "headline": "A "B""}'
    for block in (video, dated_first):
        got = _dates(_page(f'<script type="application/ld+json">{block}</script>', ZONELESS))
        assert got["published_at"] == "2026-12-07T08:46:00+07:00", block  # the visible date, in WIB


def test_a_page_stating_only_its_modification_keeps_it() -> None:
    got = _dates(_page('<meta property="og:updated_time" content="2026-12-08T10:00:00+08:00">'))
    assert (got["published_at"], got["modified_at"]) == (None, "2026-12-08T10:00:00+08:00")


# --- the zone of a site no one registered: the one its other clocks print -----------------------------

TERKINI_WITA = "".join(
    f'<li><a href="/berita/lain-{n}">Berita lain {n}</a> <span>Senin, 7 Desember 2026 0{n}:10 WITA</span></li>'
    for n in range(1, 5)
)
ZONELESS = '<p class="tgl">Senin, 7 Desember 2026 08:46</p>'


def _with_terkini(items: str, under_headline: str = ZONELESS, url: str = URL, head: str = "") -> dict[str, Any]:
    page = _page(head, under_headline)
    start, end = page.index(b"<aside>"), page.index(b"</aside>")
    page = page[:start] + f"<aside><h3>Terkini</h3><ul>{items}</ul>".encode() + page[end:]
    return _dates(page, url)


def test_a_site_of_unknown_zone_is_read_in_the_zone_its_other_clocks_print() -> None:
    assert _with_terkini(TERKINI_WITA)["published_at"] == "2026-12-07T08:46:00+08:00"
    # A UTC machine time, with no clock shown to compare, is given in that zone too.
    machine = '<meta property="article:published_time" content="2026-12-07T00:46:00Z">'
    utc = _with_terkini(TERKINI_WITA, "", head=machine)
    assert utc["published_at"] == "2026-12-07T08:46:00+08:00"


@pytest.mark.parametrize(
    ("items", "under_headline"),
    [
        # One clock is no evidence; two zones are none either.
        (TERKINI_WITA.split("</li>")[0] + "</li>", ZONELESS),
        (TERKINI_WITA.replace("02:10 WITA", "02:10 WIB"), ZONELESS),
        # The article's own date states its zone: it stands.
        (TERKINI_WITA, '<p class="tgl">Senin, 7 Desember 2026 08:46 WIB</p>'),
    ],
)
def test_the_other_clocks_decide_only_when_they_agree_and_the_article_is_silent(
    items: str, under_headline: str,
) -> None:
    assert _with_terkini(items, under_headline)["published_at"] == "2026-12-07T08:46:00+07:00"


def test_the_articles_own_text_is_no_clock_of_the_site() -> None:
    # A Jakarta paper's report of an event in Bali: its times are the event's, not the site's.
    report = "".join(f"<p>Gempa kedua terjadi pukul 0{n}.15 WITA dan warga berhamburan keluar.</p>" for n in (1, 2, 3))
    page = (
        _page(under_headline=ZONELESS)
        .replace(b'<div class="isi">', f'<div class="isi">{report}'.encode())
        .replace(b"<span>Senin, 7 Desember 2026 23:10 WIB</span>", b"")  # the sidebar's one clock
    )
    assert _dates(page)["published_at"] == "2026-12-07T08:46:00+07:00"


def test_a_registered_portals_zone_is_not_overruled_by_its_other_clocks() -> None:
    registered = next(p for p in load_registry().portals if p.timezone == "WIB" and p.network == "generic")
    got = _with_terkini(TERKINI_WITA, url=f"https://{registered.host}/berita/2026/12/banjir-rob-rendam-pesisir")
    assert got["published_at"] == "2026-12-07T08:46:00+07:00"


def test_a_crawl_of_an_unregistered_site_reads_its_zone_and_a_given_zone_stands(tmp_path: Path) -> None:
    page = _page(under_headline=ZONELESS)
    start, end = page.index(b"<aside>"), page.index(b"</aside>")
    page = page[:start] + f"<aside><h3>Terkini</h3><ul>{TERKINI_WITA}</ul>".encode() + page[end:]
    results = crawl_one_page(tmp_path, page)
    assert {given: [item["published_at"] for item in r.items] for given, r in results.items()} == {
        "": ["2026-12-07T08:46:00+08:00"], "WIB": ["2026-12-07T08:46:00+07:00"],
    }
    # Counted, and said in the crawl's summary; not when the zone is given.
    for given, result in results.items():
        read_in_site_zone = 0 if given else 1
        assert result.stat("newscrawl/date_zone_from_site") == read_in_site_zone
        assert f"zone from the site's clocks: {read_in_site_zone}, from its place: 0)" in result.log
