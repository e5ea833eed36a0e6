"""Dates of sites never seen, stated without a four-digit year: reckoned from the fetch, or with a short year.

A fresh article often says only "2 jam lalu" under its headline; some CMSs print "7/12/26". Each
page is a made-up article of an unregistered host, read by the generic family through the steps a
crawl runs, fetched at `NOW` (2026-03-01 12:00 WIB) unless a test says otherwise. A relative date is
the fetch less what it says; it is an instant, and tells nothing of the page's zone.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled

from newscrawl.extract.dates import is_relative
from tests.conftest import MADE_UP_BODY, MADE_UP_HEADLINE, crawl_one_page, run_kabar, serving

URL = "https://kabar-pesisir.test/berita/2026/03/banjir-rob-rendam-pesisir"


def _page(under_headline: str, head: str = "") -> bytes:
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{MADE_UP_HEADLINE} - Kabar Pesisir</title>{head}</head><body>
<header><nav><a href="/">Beranda</a></nav></header>
<main><article><h1>{MADE_UP_HEADLINE}</h1>{under_headline}<div class="isi">{MADE_UP_BODY}</div></article>
<aside><h3>Terkini</h3><ul><li><a href="/lain">Berita lain</a> <span>5 menit lalu</span></li></ul></aside>
</main></body></html>""".encode()


def _dates(body: bytes) -> dict[str, Any]:
    _, fields, _ = read_as_crawled(body, URL, "generic", now=NOW)
    return {k: fields.get(k) for k in ("published_at", "published_from", "published_precision")}


def _ld(published: str) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "x", "datePublished": published}
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


@pytest.mark.parametrize(
    ("under_headline", "published", "precision"),
    [
        ("<div>2 jam lalu</div>", "2026-03-01T10:00:00+07:00", "hour"),
        ('<p class="info">Diposting 3 jam yang lalu</p>', "2026-03-01T09:00:00+07:00", "hour"),
        ("<div><span>Redaksi</span> | <span>45 menit lalu</span></div>", "2026-03-01T11:15:00+07:00", "minute"),
        ("<div>sejam yang lalu</div>", "2026-03-01T11:00:00+07:00", "hour"),
        ("<small>Kemarin, 08:46 WIB</small>", "2026-02-28T08:46:00+07:00", "minute"),
        ("<div>3 hari lalu</div>", "2026-02-26T00:00:00+07:00", "day"),
    ],
)
def test_a_relative_date_under_the_headline_is_read_from_the_fetch(
    under_headline: str, published: str, precision: str,
) -> None:
    got = _dates(_page(under_headline))
    assert (got["published_at"], got["published_precision"]) == (published, precision)


def test_a_sentence_that_tells_of_years_ago_dates_no_article() -> None:
    subtitle = "<h2>Kasus yang terjadi 3 tahun lalu kembali dibuka polisi</h2>"
    assert _dates(_page(subtitle))["published_at"] is None
    # The date under it is the article's.
    dated = _dates(_page(subtitle + "<p>Minggu, 1 Maret 2026 08:46</p>"))
    assert dated["published_at"] == "2026-03-01T08:46:00+07:00"


@pytest.mark.parametrize(
    ("under_headline", "published", "precision"),
    [
        ("<div>1/3/26 08:46 WIB</div>", "2026-03-01T08:46:00+07:00", "minute"),
        ("<div>Minggu, 01-03-26 | 08:46</div>", "2026-03-01T08:46:00+07:00", "minute"),
        ("<div>01/03/26</div>", "2026-03-01T00:00:00+07:00", "day"),
        ('<span class="date">01/03/26</span>', "2026-03-01T00:00:00+07:00", "day"),  # a date element: no clock needed
    ],
)
def test_a_date_with_a_two_digit_year_is_read(under_headline: str, published: str, precision: str) -> None:
    got = _dates(_page(under_headline))
    assert (got["published_at"], got["published_precision"]) == (published, precision)


def test_digits_that_are_no_day_and_month_are_passed_over() -> None:
    # "12-34-56" has no month 34: the scan goes on to the date under it.
    got = _dates(_page("<div>Kode: 12-34-56</div><div>1/3/26 08:46</div>"))
    assert got["published_at"] == "2026-03-01T08:46:00+07:00"


@pytest.mark.parametrize("shown", ["<div>2 jam lalu</div>", '<span class="date">2 jam yang lalu</span>'])
def test_a_relative_date_does_not_set_the_zone_of_the_markup(shown: str) -> None:
    # Published two hours before the fetch, 11:00 WITA, and the page says so: "2 jam lalu" read in
    # WIB is 10:00, the same instant; it is not a clock printed on WIB.
    got = _dates(_page(shown, head=_ld("2026-03-01T11:00:00+08:00")))
    assert (got["published_at"], got["published_from"]) == ("2026-03-01T11:00:00+08:00", "json-ld")


def test_a_relative_date_with_its_clock_printed_still_shows_the_page_clock() -> None:
    # "Kemarin, 08:46" prints its clock: 08:46 for 00:46Z is WITA's clock.
    got = _dates(_page("<div>Kemarin, 08:46</div>", head=_ld("2026-02-28T00:46:00Z")))
    assert got["published_at"] == "2026-02-28T08:46:00+08:00"


@pytest.mark.parametrize(
    ("text", "relative"),
    [
        ("2 jam yang lalu", True),
        ("Diposting 3 hari lalu", True),
        ("Oleh Redaksi | 10 menit lalu", True),  # a byline before it
        ("Kemarin, 08:46", True),
        ("baru saja", True),
        ("Kasus yang terjadi 3 tahun lalu", False),
        ("2 jam lalu - dibaca 120 kali", False),
        ("7 Desember 2026", False),
        ("", False),
    ],
)
def test_is_relative_is_a_relative_date_alone(text: str, relative: bool) -> None:
    assert is_relative(text) is relative


def test_a_crawl_reads_a_relative_date_from_when_it_fetched_the_page(tmp_path: Path) -> None:
    page = _page("<div>2 jam lalu</div>")
    (item,) = crawl_one_page(tmp_path, page, zones=("",))[""].items
    fetched = datetime.fromisoformat(item["crawled_at"])
    published = datetime.fromisoformat(item["published_at"])
    assert published.utcoffset() == timedelta(hours=7)
    assert abs(fetched - timedelta(hours=2) - published) < timedelta(minutes=1)


def test_an_incremental_crawl_does_not_deliver_an_article_again_because_its_relative_date_moved(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "berita").mkdir(parents=True)
    (site / "index.html").write_text("<html><body></body></html>")
    article = site / "berita" / "banjir-rob-rendam-pesisir-utara.html"
    state = {"NEWSCRAWL_STATE": str(tmp_path / "state.sqlite")}
    with serving(site) as base:
        args = {"start_urls": f"{base}/berita/banjir-rob-rendam-pesisir-utara.html", "network": "generic"}
        article.write_bytes(_page("<div>2 jam lalu</div>"))
        first = run_kabar(tmp_path / "first", args=args, settings=state)
        # An hour later, as the page would say then: the date reckoned again, the article unchanged.
        article.write_bytes(_page("<div>3 jam lalu</div>"))
        again = run_kabar(tmp_path / "again", args=args, settings=state)
        # The newsroom corrects the text: that is an update.
        article.write_bytes(_page("<div>4 jam lalu</div>").replace(b"Paragraf 2 berita", b"Paragraf kedua berita"))
        corrected = run_kabar(tmp_path / "corrected", args=args, settings=state)
    assert [r.returncode for r in (first, again, corrected)] == [0, 0, 0]
    assert (len(first.items), len(again.items), len(corrected.items)) == (1, 0, 1)
    assert again.stat("newscrawl/skipped/unchanged") == 1
