"""The last witnesses of a page's date: what its scripts state, the dateline its text opens with, its sign-off.

A page that states its publication nowhere else (head, markup, by the headline, in its footer) may
still give it to its analytics in an inline script (``dataLayer.push({"publish_date": ...})``:
``published_from`` "script", before the URL's date), and its text may open with a dated dateline
("KENDARI, Senin (7/12/2026) - ...": "dateline", when the URL names no date either), or close
with a date alone, as press releases and government offices sign off ("Makassar, 7 Desember
2026": "signoff", when it opens with no dateline). Each page
is a made-up article of an unregistered host, read by the generic family through the steps a
crawl runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled

from newscrawl.extract.date_lines import dateline
from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE

URL = "https://kabar-pesisir.test/berita/banjir-rob-rendam-pesisir"


def _page(opening: str = "", under_headline: str = "", head: str = "", closing: str = "") -> bytes:
    body = MADE_UP_BODY.replace("<p>", f"<p>{opening}", 1) + closing
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{MADE_UP_HEADLINE}</title>{head}</head>
<body><main><article><h1>{MADE_UP_HEADLINE}</h1>{under_headline}<div class="isi">{body}</div></article>
<aside><h3>Terkini</h3><ul><li><a href="/lain">Berita lain</a> <span>Senin, 30 November 2026</span></li></ul>
</aside></main></body></html>""".encode()


def _dates(body: bytes, url: str = URL) -> dict[str, Any]:
    _, fields, _ = read_as_crawled(body, url, "generic", now=NOW.replace(year=2027))
    return {k: fields.get(k) for k in ("published_at", "published_from", "published_precision")}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("KENDARI, Senin (7/12/2026) - Banjir rob", "KENDARI, Senin (7/12/2026)"),
        ("Kendari, 7 Desember 2026 \u2013 Banjir rob", "Kendari, 7 Desember 2026"),
        ("BAU-BAU (7/12/2026) \u2014 Banjir rob", "BAU-BAU (7/12/2026)"),
        # A press release as Antara carries it (realworld/antaranews_2016_turki-kontes-film-p...).
        ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- Pemerintah kota",
         "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)"),
        ("KENDARI, KOMPAS.com - Banjir rob", None),  # an outlet, no date
        ("Jakarta (ANTARA) - Banjir rob", None),
        ("KENDARI, Senin (7/12) - Banjir rob", None),  # no year
        ("Warga mengungsi sejak 7 Desember 2026 - kata petugas", None),  # a sentence, no dateline
        ("Pendiri Facebook, Mark Zuckerberg dikabarkan menanggapi serius", None),
    ],
)
def test_the_date_of_a_dateline(text: str, date: str | None) -> None:
    assert dateline(text) == date


def test_a_page_dated_only_by_its_dateline_takes_its_day() -> None:
    got = _dates(_page("<strong>KENDARI</strong>, Senin (7/12/2026) - "))
    assert (got["published_at"], got["published_from"], got["published_precision"]) == (
        "2026-12-07T00:00:00+07:00", "dateline", "day",
    )


def test_a_dateline_is_the_last_witness() -> None:
    page = _page("KENDARI, Minggu (6/12/2026) - ")
    # The URL's date, and a date by the headline, come first.
    assert _dates(page, url=URL.replace("/berita/", "/berita/2026/12/07/"))["published_from"] == "url"
    shown = _page("KENDARI, Minggu (6/12/2026) - ", under_headline="<p>Senin, 7 Desember 2026 08:46</p>")
    assert _dates(shown)["published_at"] == "2026-12-07T08:46:00+07:00"


def test_a_page_without_a_dateline_stays_undated() -> None:
    assert _dates(_page("KENDARI, KOMPAS.com - "))["published_at"] is None


# --- the sign-off ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        "<p>Makassar, 7 Desember 2026</p>",
        "<p><em>(Makassar, Senin, 7 Desember 2026)</em></p>",
        "<p>Luwuk, 7/12/2026</p><p>(Humas)</p>",  # the office's name after it
        "<p>7 Desember 2026</p>",
    ],
)
def test_a_page_dated_only_by_its_sign_off_takes_its_day(closing: str) -> None:
    got = _dates(_page(closing=closing))
    assert (got["published_at"], got["published_from"], got["published_precision"]) == (
        "2026-12-07T00:00:00+07:00", "signoff", "day",
    )


@pytest.mark.parametrize(
    "closing",
    [
        "<p>Pendaftaran dibuka hingga 31 Desember 2026.</p>",  # a sentence that holds a date
        "<p>Makassar, 7 Desember 2026</p><p>Kontak: 0411-123</p><p>(Humas)</p>",  # not among the last two lines
        "<ul><li>Makassar, 7 Desember 2026</li></ul>",  # not a line of its own: a list's item
        '<div><h3><a href="/lain">Berita lain</a></h3><span>7 Desember 2026</span></div>',  # another article's card
    ],
)
def test_a_closing_line_that_is_no_sign_off_dates_nothing(closing: str) -> None:
    assert _dates(_page(closing=closing))["published_at"] is None


def test_a_sign_off_is_the_last_witness() -> None:
    # The dateline the text opens with comes first; so does a date by the headline.
    both = _page("KENDARI, Minggu (6/12/2026) - ", closing="<p>Makassar, 7 Desember 2026</p>")
    assert (_dates(both)["published_at"], _dates(both)["published_from"]) == ("2026-12-06T00:00:00+07:00", "dateline")
    shown = _page(closing="<p>Makassar, 6 Desember 2026</p>", under_headline="<p>Senin, 7 Desember 2026 08:46</p>")
    assert _dates(shown)["published_at"] == "2026-12-07T08:46:00+07:00"


# --- inline scripts ------------------------------------------------------------------------------

DATA_LAYER = '<script>dataLayer.push({"event": "page", "publish_date": "2026-12-07 08:46:00", "author": "x"});</script>'


@pytest.mark.parametrize(
    ("script", "published"),
    [
        (DATA_LAYER, "2026-12-07T08:46:00+07:00"),
        ("<script type='text/javascript'>var pubdate = '2026-12-07T08:46:00+08:00';</script>",
         "2026-12-07T08:46:00+08:00"),
        ('<script>window.meta = {datePublished: "2026-12-07T00:46:00Z"};</script>', "2026-12-07T07:46:00+07:00"),
        ("<script>article.pubdate = '2026-12-07 08:46';</script>", "2026-12-07T08:46:00+07:00"),
        # The same date twice (the analytics of two tags) is one statement.
        (DATA_LAYER + '<script>gtag("set", {"published_date": "2026-12-07 08:46:00"});</script>',
         "2026-12-07T08:46:00+07:00"),
    ],
)
def test_a_page_dated_only_in_its_scripts_takes_that_date(script: str, published: str) -> None:
    got = _dates(_page(head=script))
    assert (got["published_at"], got["published_from"]) == (published, "script")


@pytest.mark.parametrize(
    "script",
    [
        # Scripts that disagree: another article's date among them.
        DATA_LAYER + '<script>var related = [{"publish_date": "2026-11-30 10:00:00"}];</script>',
        # Data blocks a browser does not run (Next.js's page data), scripts from elsewhere.
        '<script id="__NEXT_DATA__" type="application/json">{"publish_date": "2026-12-07 08:46:00"}</script>',
        '<script src="/analytics.js">var publish_date = "2026-12-07 08:46:00";</script>',
        # Keys not named for the publication.
        '<script>var config = {"publisher": "Kabar Pesisir", "date": "2026-12-07"};</script>',
        '<script>dataLayer.push({"publisher": "Kabar Pesisir", "modified_date": "2026-12-07 08:46:00"});</script>',
        '<script>var x = {"cxpubdate": "2026-12-07 08:46:00", "article_pubdate_x": "2026-12-07"};</script>',
    ],
)
def test_scripts_that_do_not_state_the_publication_date_nothing(script: str) -> None:
    assert _dates(_page(head=script))["published_at"] is None


def test_a_huge_script_is_read_no_further_than_its_opening() -> None:
    # A bundle inlined in the page (here 2 MB) is not searched to its end: its first 100,000 characters are.
    bundle = "function a(b){return b.publish?b.c:d.e};" * 50_000
    late = _dates(_page(head=f'<script>{bundle}var publish_date = "2026-12-07 08:46:00";</script>'))
    assert late["published_at"] is None
    early = _dates(_page(head=f'<script>var publish_date = "2026-12-07 08:46:00";{bundle}</script>'))
    assert early["published_at"] == "2026-12-07T08:46:00+07:00"


def test_a_script_date_is_read_only_when_the_page_states_none_elsewhere() -> None:
    script = DATA_LAYER.replace("2026-12-07 08:46:00", "2026-12-06 00:00:00")
    shown = _dates(_page(head=script, under_headline="<p>Senin, 7 Desember 2026 08:46</p>"))
    assert (shown["published_at"], shown["published_from"]) == ("2026-12-07T08:46:00+07:00", "text")
    # It comes before the URL's day, and the dateline.
    page = _page("KENDARI, Minggu (6/12/2026) - ", head=DATA_LAYER)
    dated_url = _dates(page, url=URL.replace("/berita/", "/berita/2026/12/07/"))
    assert (dated_url["published_at"], dated_url["published_from"]) == ("2026-12-07T08:46:00+07:00", "script")
