"""Backfills piece by piece: spans, archive URLs, what URLs and feeds date, the date rule, the journal, the coverage.

Each family's dated archive is profile data; the table here shows what URL each asks for. The
detik one is checked against a real detik index page (tests/fixtures/listings/detiknews_2024_indeks):
its date filter's value and its pager are what the template writes, and its items are what the
walk reads.
"""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from newscrawl.compat import reset_job_queue
from newscrawl.crawl.journal import FILE, Journal, article_digest, identity, mismatch
from newscrawl.delivery.coverage import coverage_lines, holes, sparkline
from newscrawl.extract.archive import (
    SITEMAPS,
    Span,
    Walked,
    archive_url,
    choose,
    needs_home,
    outside,
    span_of,
    spans,
    url_day,
    url_month,
)
from newscrawl.extract.clean import after_until, before_since
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import absolute
from newscrawl.extract.sitemap import read_sitemap
from newscrawl.networks import NETWORK_NAMES, all_profiles, get_profile
from tests.golden import FIXTURES

if TYPE_CHECKING:
    from pathlib import Path

DAY = Span(date(2024, 1, 15), date(2024, 1, 15), "day")


# --- spans -----------------------------------------------------------------------------------------


def test_a_range_is_cut_into_days_months_or_years_clamped_to_it() -> None:
    since, until = date(2023, 12, 30), date(2024, 2, 2)
    assert [s.key for s in spans("day", since, until)][:3] == ["2023-12-30", "2023-12-31", "2024-01-01"]
    assert len(spans("day", since, until)) == 35
    months = spans("month", since, until)
    assert [(s.key, s.first, s.last) for s in months] == [
        ("2023-12", date(2023, 12, 30), date(2023, 12, 31)),
        ("2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 2)),
    ]
    assert [(s.key, s.first, s.last) for s in spans("year", since, until)] == [
        ("2023", date(2023, 12, 30), date(2023, 12, 31)), ("2024", date(2024, 1, 1), date(2024, 2, 2)),
    ]
    for unit in ("day", "month", "year"):
        for span in spans(unit, since, until):
            assert span_of(span.key, since, until) == span, "a journal's key names its span again"
    assert span_of(SITEMAPS, since, until) == Span(since, until, SITEMAPS)
    assert len(list(span_of(SITEMAPS, since, until).days())) == 35


def test_a_walk_counts_its_days_once_and_a_day_is_done_when_every_portal_walked_it() -> None:
    walked = Walked(date(2024, 1, 1), date(2024, 1, 31), portals=2)
    assert walked.add("a.id", "2024-01-01") == (1, 0)
    assert walked.add("b.id", "2024-01") == (31, 1), "a month's walk; 1 January now walked by both"
    assert walked.add("a.id", SITEMAPS) == (30, 30), "a sitemap walk covers the whole range"
    assert walked.add("a.id", "2024-01-02") == (0, 0)
    assert walked.has("b.id", "2024-01")
    assert not walked.has("b.id", "2024-01-02")


# --- each family's archive, as data --------------------------------------------------------------

# (family, first page's path for 2024-01-05, the next page's): what each profile asks a portal for.
ARCHIVES = [
    ("prmn", "/indeks-berita?daterange=05 January 2024 - 05 January 2024&page=1",
     "/indeks-berita?daterange=05 January 2024 - 05 January 2024&page=2"),
    ("radar", "/indeks-berita?daterange=05 January 2024 - 05 January 2024&page=1",
     "/indeks-berita?daterange=05 January 2024 - 05 January 2024&page=2"),
    ("tribun", "/index-news?date=2024-1-5&page=1", "/index-news?date=2024-1-5&page=2"),
    ("detik", "/indeks/1?date=01/05/2024", "/indeks/2?date=01/05/2024"),
    ("kompas", "/search/2024-01-05/1", "/search/2024-01-05/2"),
    ("suara", "/indeks/terkini/all/2024?page=1", "/indeks/terkini/all/2024?page=2"),
]


@pytest.mark.parametrize(("family", "first", "second"), ARCHIVES, ids=[a[0] for a in ARCHIVES])
def test_each_family_asks_for_its_dated_index(family: str, first: str, second: str) -> None:
    profile = get_profile(family)
    archive = choose(profile.archives, None)
    assert archive is not None
    assert not needs_home(profile.archives), "a family's own portals need no home page to choose"
    span = spans(archive.span, date(2024, 1, 5), date(2024, 1, 5))[0]
    home = "https://portal.example.id"
    assert archive_url(home, archive, span, archive.first_page, "WIB") == home + first
    assert archive_url(home, archive, span, archive.first_page + 1, "WIB") == home + second


def test_the_generic_family_takes_what_the_home_page_shows() -> None:
    generic = get_profile("generic")
    assert needs_home(generic.archives)
    blogger = Doc.parse("<html><head><meta content='blogger' name='generator'/></head><body></body></html>")
    wordpress = Doc.parse('<html><head><meta name="generator" content="WordPress 6.4"></head><body></body></html>')
    plain = Doc.parse("<html><head><title>x</title></head><body><p>berita</p></body></html>")
    feed, days = choose(generic.archives, blogger), choose(generic.archives, wordpress)
    assert feed is not None
    assert feed.kind == "feed"
    assert days is not None
    assert days.sitemaps_first, "WordPress's day archives only when its sitemaps list nothing"
    assert choose(generic.archives, plain) is None, "a site with neither: its sitemaps"
    month = Span(date(2024, 2, 1), date(2024, 2, 29), "month")
    assert archive_url("https://blog.example.id", feed, month, 2, "WITA") == (
        "https://blog.example.id/feeds/posts/default?published-min=2024-02-01T00:00:00%2B08:00"
        "&published-max=2024-03-01T00:00:00%2B08:00&max-results=150&start-index=151"
    )
    assert archive_url("https://wp.example.id", days, DAY, 1, "WIB") == "https://wp.example.id/2024/01/15/"
    assert archive_url("https://wp.example.id", days, DAY, 3, "WIB") == "https://wp.example.id/2024/01/15/page/3/"


def test_every_archive_is_well_formed_and_says_whether_it_is_verified() -> None:
    verified = set()
    for profile in all_profiles():
        for archive in profile.archives:
            assert archive.span in ("day", "month", "year")
            assert archive.kind in ("listing", "feed")
            assert archive.template.startswith("/")
            assert archive_url("http://h", archive, DAY, archive.first_page, "WIT").startswith("http://h/")
            if archive.verified:
                verified.add(profile.name)
        assert profile.archive_sitemaps, "every family falls back to sitemaps"
    assert {profile.name for profile in all_profiles() if profile.archives} == set(NETWORK_NAMES)
    # Only what was read off a real page (detik) or a CMS's documented interface (generic) is verified.
    assert verified == {"detik", "generic"}


def test_month_names_are_english_whatever_the_locale() -> None:
    archive = get_profile("prmn").archives[0]
    url = archive_url("", archive, Span(date(2024, 8, 17), date(2024, 8, 17), "day"), 1, "WIB")
    assert "17 August 2024 - 17 August 2024" in url


def test_detik_template_matches_a_real_detik_index_page() -> None:
    page = gzip.decompress((FIXTURES / "listings" / "detiknews_2024_indeks.html.gz").read_bytes())
    doc = Doc.parse(page)
    archive = get_profile("detik").archives[0]
    # The page was saved on 4 October 2024: its date filter shows that day, as the template writes it.
    (shown,) = doc.css('form#form_indeks input[name="date"]::attr(value)')
    day = Span(date(2024, 10, 4), date(2024, 10, 4), "day")
    assert archive_url("https://news.detik.com", archive, day, 1, "WIB") == f"https://news.detik.com/indeks/1?date={shown}"
    pager = doc.css(".pagination a.pagination__item::attr(href)")
    assert "https://news.detik.com/indeks/2" in pager
    assert archive_url("https://news.detik.com", archive, day, 2, "WIB").split("?")[0] in pager
    links = [absolute(href, "https://news.detik.com/indeks") for css in archive.items
             for href in doc.css(f"{css}::attr(href)")]
    assert len(links) == 20
    news = [url for url in links if url and url.startswith("https://news.detik.com/")]
    assert len(news) == 16, "16 news articles (and 4 videos on 20.detik.com, another host)"
    assert all("/d-" in url for url in news)


# --- what a URL, a feed or a sitemap dates ---------------------------------------------------------


@pytest.mark.parametrize(("url", "day"), [
    ("https://x.id/2024/01/15/banjir-rendam-rumah", date(2024, 1, 15)),
    ("https://x.id/read/2024/01/15/085000/banjir", date(2024, 1, 15)),
    ("https://x.id/read/2024/01/15/08500017001/banjir", date(2024, 1, 15)),
    ("https://x.id/nasional/pr-0100000001/banjir", None),
    ("https://x.id/2024/13/45/not-a-date", None),
    ("https://blog.x.id/2024/01/banjir.html", None),
])
def test_the_day_an_article_url_states(url: str, day: date | None) -> None:
    assert url_day(url) == day


def test_the_month_a_child_sitemap_names() -> None:
    assert url_month("https://x.id/sitemap-posts-2024-02.xml") == (date(2024, 2, 1), date(2024, 2, 29))
    assert url_month("https://x.id/sitemap/2023/12/news.xml") == (date(2023, 12, 1), date(2023, 12, 31))
    assert url_month("https://x.id/post-sitemap2.xml") is None
    assert outside(date(2023, 12, 30), date(2024, 1, 1), date(2024, 1, 31))
    assert not outside(date(2023, 12, 31), date(2024, 1, 1), date(2024, 1, 31)), "one day of slack"
    assert not outside(date(2024, 2, 1), date(2024, 1, 1), date(2024, 1, 31))


BLOGGER_FEED = """<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>
<id>tag:blogger.com,1999:blog-1</id><updated>2024-02-01T10:00:00.000+07:00</updated>
<link rel='alternate' type='text/html' href='https://blog.example.id/'/>
<entry><id>tag:blogger.com,1999:blog-1.post-2</id><published>2024-01-31T21:15:00.000-08:00</published>
<updated>2024-02-03T08:00:00.000-08:00</updated><title type='text'>Dua</title>
<link rel='replies' type='application/atom+xml' href='https://blog.example.id/feeds/2/comments/default'/>
<link rel='alternate' type='text/html' href='https://blog.example.id/2024/02/dua.html' title='Dua'/></entry>
<entry><id>post-1</id><published>2024-01-15T08:00:00+07:00</published>
<link href="https://blog.example.id/2024/01/satu.html"/></entry></feed>"""


def test_feeds_and_sitemaps_give_each_entry_its_own_url_and_date() -> None:
    feed = read_sitemap(BLOGGER_FEED)
    assert not feed.is_index
    assert [(e.loc, e.date, e.published) for e in feed.entries] == [
        ("https://blog.example.id/2024/02/dua.html", "2024-01-31T21:15:00.000-08:00", True),
        ("https://blog.example.id/2024/01/satu.html", "2024-01-15T08:00:00+07:00", True),
    ], "the feed's own link is not an entry; the alternate link is the post; published before updated"
    rss = read_sitemap("<rss><channel><link>https://x.id/</link><item><title>A</title>"
                       "<link><![CDATA[https://x.id/a]]></link><pubDate>Mon, 15 Jan 2024 08:00:00 +0700</pubDate>"
                       "</item></channel></rss>")
    assert [(e.loc, e.published) for e in rss.entries] == [("https://x.id/a", True)]
    index = read_sitemap('<?xml version="1.0"?><sitemapindex><sitemap><loc>https://x.id/s-2024-01.xml</loc>'
                         "<lastmod>2024-01-31</lastmod></sitemap></sitemapindex>")
    assert index.is_index
    assert [(e.loc, e.date, e.published) for e in index.entries] == [
        ("https://x.id/s-2024-01.xml", "2024-01-31", False),
    ]
    news = read_sitemap("<urlset><url><loc>https://x.id/a</loc><lastmod>2024-02-01</lastmod><news:news>"
                        "<news:publication_date>2024-01-15T08:00:00+07:00</news:publication_date></news:news></url>"
                        "</urlset>")
    assert [(e.date, e.published) for e in news.entries] == [("2024-01-15T08:00:00+07:00", True)]


# --- the one date rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(("when", "before", "after"), [
    ("2023-12-31T23:59:00+07:00", True, False),
    ("2024-01-01T00:00:00+07:00", False, False),
    ("2024-01-31T23:59:00+09:00", False, False),
    ("2024-02-01T00:10:00+07:00", False, True),
    (datetime(2024, 2, 1, 0, 10, tzinfo=timezone(timedelta(hours=8))), False, True),
    (None, False, False),
])
def test_a_range_keeps_the_days_between_its_edges_on_the_portals_clock(
    when: str | datetime | None, before: bool, after: bool,
) -> None:
    assert before_since(when, date(2024, 1, 1)) is before
    assert after_until(when, date(2024, 1, 31)) is after
    assert not after_until(when, None)


# --- the journal -----------------------------------------------------------------------------------


def test_the_journal_is_read_back_as_written_and_survives_a_line_cut_short(tmp_path: Path) -> None:
    url_a, url_b = "https://x.id/a", "https://x.id/b"
    journal = Journal(tmp_path, "2024-01-01..2024-01-31 portals=1:abc")
    journal.note_found("x.id", "2024-01-01", [url_a, url_b])
    journal.note_walked("x.id", "2024-01-01")
    journal.note_found("x.id", "2024-01-02", ["https://x.id/c"])
    journal.note_delivered([(article_digest("http://www.x.id/a/"), "x.id", "2024-01-01")])
    journal._file.write("delivered\tabc")
    journal._file.flush()
    again = Journal(tmp_path, "2024-01-01..2024-01-31 portals=1:abc")
    assert again.runs == 1
    assert not again.clean, "the last run never wrote close"
    assert list(again.left_over()) == [("x.id", url_b)], "a walked day's undelivered article; not an unwalked day's"
    assert again.delivered == Counter({("x.id", "2024-01-01"): 1})
    again.close()
    third = Journal(tmp_path, "2024-01-01..2024-01-31 portals=1:abc")
    assert third.clean
    assert third.runs == 2
    assert (tmp_path / FILE).read_text().endswith("open\t2024-01-01..2024-01-31 portals=1:abc\n")
    assert mismatch(tmp_path, "2024-01-01..2024-01-31 portals=1:abc") is None
    named = identity(date(2024, 2, 1), None, ["b.id", "a.id"])
    assert named == identity("2024-02-01", "", ["a.id", "b.id"])
    assert named.startswith("2024-02-01..today portals=2:")
    refused = mismatch(tmp_path, named)
    assert refused is not None
    assert "holds another backfill" in refused


def test_after_a_crash_scrapys_own_queue_in_the_jobdir_is_reset(tmp_path: Path) -> None:
    (tmp_path / "requests.queue").mkdir()
    (tmp_path / "requests.queue" / "active.json").write_text("{}")
    (tmp_path / "requests.seen").write_text("abc\n")
    (tmp_path / "spider.state").write_text("")
    assert reset_job_queue(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spider.state"]
    assert not reset_job_queue(tmp_path)


# --- the coverage in the summary ------------------------------------------------------------------


def test_coverage_shows_articles_per_day_and_the_days_without_any() -> None:
    assert sparkline([0, 1, 4, 8], 8) == "·▁▄█"
    days = [date(2024, 1, 7), date(2024, 2, 11), date(2024, 2, 12), date(2024, 2, 13)]
    assert holes(days) == "2024-01-07, 2024-02-11..2024-02-13"
    counts: Counter[tuple[str, str]] = Counter({("a.id", "2024-01-30"): 3, ("a.id", "2024-02-01"): 6, ("a.id", "-"): 1})
    assert coverage_lines(counts, ["a.id"], date(2024, 1, 30), date(2024, 2, 2)) == [
        "    a.id: 10 articles (at most 6 a day, 1 without a date)",
        "      2024-01-30 ▄·",
        "      2024-02    █·",
        "      no article on 2 days: 2024-01-31, 2024-02-02",
    ]
