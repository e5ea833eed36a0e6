"""Dates of sites never seen, stated as CMSs state them: RDFa (Drupal), month-first numbers, CMS labels, a
network's markup stamped in WIB on a page that shows another zone's clock, a day and its clock in two
elements, a ``<time>`` inside a post's footer line.

Drupal 7's default node template states the creation time only as RDFa
(``<span property="dc:date dc:created" content="…" datatype="xsd:dateTime">``) around its
"Submitted by admin on Mon, 12/07/2026 - 08:46", a date in US order (Drupal's default "medium"
format, ``D, m/d/Y - H:i``); Blogger, Drupal and Joomla in Indonesian label the line "Diposkan
oleh … pada", "Dikirim oleh … pada", "Dibuat:". Each page is a made-up article of an unregistered
host, read through the steps a crawl runs (tests/test_site_place.py's `_read`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, read_as_crawled
from test_site_place import URL, WIB, WITA, _page, _read

from newscrawl.extract.dates import parse_date
from tests.conftest import MADE_UP_HEADLINE

RDFA = '<span property="dc:date dc:created" content="2026-12-07T08:46:00+08:00" datatype="xsd:dateTime">{}</span>'
SUBMITTED = 'Submitted by <span class="username">admin</span> on {}'


@pytest.mark.parametrize(
    "under_headline",
    [
        f'<div class="submitted">{RDFA.format(SUBMITTED.format("Mon, 12/07/2026 - 08:46"))}</div>',
        f'<p class="meta">{RDFA.format("")}</p>',  # the RDFa alone, nothing printed
        RDFA.format("").replace('property="dc:date dc:created"', 'property="dcterms:created"'),
    ],
)
def test_an_rdfa_creation_date_in_the_article_is_read_with_its_offset(under_headline: str) -> None:
    # The printed date states no zone; the RDFa states +08:00.
    assert _read(_page(under_headline=under_headline))["published_at"] == WITA


def test_rdfa_dates_after_the_body_are_other_articles() -> None:
    teasers = "".join(
        f'<li><a href="/node/{n}">Berita {n}</a> {RDFA.format("").replace("12-07", f"12-0{n}")}</li>' for n in (1, 2)
    )
    page = _page(under_headline="", aside=teasers)
    assert _read(page)["published_at"] is None


@pytest.mark.parametrize(
    ("printed", "published"),
    [
        ("Fri, 11/13/2026 - 08:46", "2026-11-13T08:46:00+07:00"),  # no 13th month: November 13
        ("Mon, 12/07/2026 - 08:46", WIB),  # Monday is 7 December, not 12 July
        ("Sen, 07/12/2026 - 08:46", WIB),  # day first, as Indonesian pages print it
    ],
)
def test_a_drupal_submitted_line_in_us_order_is_read(printed: str, published: str) -> None:
    page = _page(under_headline=f'<div class="submitted">{SUBMITTED.format(printed)}</div>')
    assert _read(page)["published_at"] == published


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("11/13/2026", "2026-11-13"),
        ("12/31/2026 23:59", "2026-12-31"),
        ("13/11/2026", "2026-11-13"),
        ("07/12/2026", "2026-12-07"),
    ],
)
def test_a_numeric_date_is_read_day_first_unless_only_month_first_is_a_date(text: str, day: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value.date().isoformat() == day


def test_a_numeric_date_that_is_no_date_either_way_is_unread() -> None:
    assert parse_date("13/13/2026") is None


@pytest.mark.parametrize(
    ("footer", "published"),
    [
        ("Dikirim oleh admin pada Sen, 12/07/2026 - 08:46", WIB),  # Drupal, Indonesian
        ("Submitted by admin on Mon, 12/07/2026 - 08:46", WIB),  # Drupal
        ("Diposkan oleh Admin pada 7 Desember 2026 08.46 WITA", WITA),  # Blogger, Indonesian
        ("Dibuat: Senin, 07 Desember 2026 08:46", WIB),  # Joomla, Indonesian
        ("Ditulis oleh Redaksi pada 7 Desember 2026 08:46 WITA", WITA),
        ("Dirilis 7 Desember 2026 08:46 WITA", WITA),
    ],
)
def test_a_cms_line_under_the_text_naming_when_it_was_posted_is_the_date(footer: str, published: str) -> None:
    after_text = f'</div><p class="foot">{footer}</p></article>'.encode()
    page = _page(under_headline="").replace(b"</div></article>", after_text)
    assert _read(page)["published_at"] == published


@pytest.mark.parametrize(
    ("shown", "published", "modified"),
    [
        # A network's markup states the instant in WIB; the regional page shows it on WITA's clock, naming no zone.
        ("Senin, 7 Desember 2026 08:46", "2026-12-07T08:46:00+08:00", "2026-12-07T11:00:00+08:00"),
        ("Senin, 7 Desember 2026 07:46", "2026-12-07T07:46:00+07:00", "2026-12-07T11:00:00+07:00"),  # WIB's clock
    ],
)
def test_a_page_showing_its_markups_instant_on_another_zones_clock_is_on_that_clock(
    shown: str, published: str, modified: str,
) -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "{MADE_UP_HEADLINE}", "datePublished": "2026-12-07T07:46:00+07:00"}}</script>'
    )
    under = f'<div class="date">{shown}</div><div class="update">Diperbarui: 7 Desember 2026 11:00</div>'
    _, fields, _ = read_as_crawled(_page(head=head, under_headline=under), URL, "generic", now=NOW.replace(year=2027))
    assert (fields["published_at"], fields["modified_at"]) == (published, modified)


# --- a day in one element, its clock in the next -----------------------------------------------------


@pytest.mark.parametrize(
    ("under_headline", "published"),
    [
        # A theme's meta line: the day and the time in two spans (the generic family's selectors name the first).
        ('<div class="info"><span class="tgl">Senin, 7 Desember 2026</span> <span class="jam">08:46 WITA</span></div>',
         WITA),
        ('<div class="info"><span class="tgl">Senin, 7 Desember 2026</span> <span class="jam">08:46</span></div>', WIB),
        (('<div class="info"><span class="tanggal">7 Desember 2026</span><span class="sep"> | </span>'
          '<span class="waktu">08:46 WITA</span></div>'), WITA),
        ('<div class="info"><span class="date">7 Desember 2026</span>, 08:46 WITA</div>', WITA),  # the time as text
        ("<p>7 Desember 2026</p><p>08:46 WITA</p>", WITA),  # two lines under the headline
    ],
)
def test_a_days_clock_in_the_next_element_is_its_time(under_headline: str, published: str) -> None:
    assert _read(_page(under_headline=under_headline))["published_at"] == published


@pytest.mark.parametrize(
    "after_day",
    [
        ' <span class="baca">5 menit baca</span>',  # a reading time
        ' <span class="views">1.250 kali dibaca</span>',
        ' <a href="/daerah">Daerah</a> <span>08:46 WITA</span>',  # a link stands between: its clock is not the day's
    ],
)
def test_only_a_clock_right_after_a_day_is_its_time(after_day: str) -> None:
    under = f'<div class="info"><span class="tgl">7 Desember 2026</span>{after_day}</div>'
    assert _read(_page(under_headline=under))["published_at"] == "2026-12-07T00:00:00+07:00"


# --- a <time> inside the line under the text ------------------------------------------------------------


@pytest.mark.parametrize(
    "footer",
    [
        # WordPress themes: the line's label or name says what it dates, its <time> the instant.
        ('<div class="entry-footer">Diposting pada <time datetime="2026-12-07T08:46:00+08:00">7 Desember 2026</time>'
         "</div>"),
        '<div class="post-date">7 Desember 2026 <time datetime="2026-12-07T08:46:00+08:00"></time></div>',
        ('<p class="meta">Terbit: <time class="published" datetime="2026-12-07T08:46:00+08:00">7 Desember 2026</time>'
         ' | Diperbarui: <time class="updated" datetime="2026-12-08T10:00:00+08:00">8 Desember 2026</time></p>'),
    ],
)
def test_the_time_element_in_a_dated_line_under_the_text_gives_its_instant(footer: str) -> None:
    page = _page(under_headline="").replace(b"</article>", footer.encode() + b"</article>")
    assert _read(page)["published_at"] == WITA


def test_unnamed_time_elements_of_a_line_stating_two_dates_are_not_told_apart() -> None:
    footer = (
        '<p class="meta">Terbit: <time datetime="2026-12-07T08:46:00+08:00">7 Desember 2026</time> | '
        'Diperbarui: <time datetime="2026-12-08T10:00:00+08:00">8 Desember 2026</time></p>'
    )
    page = _page(under_headline="").replace(b"</article>", footer.encode() + b"</article>")
    # Which <time> is which date is not said: the line's text gives the days, in the page's zone.
    assert _read(page)["published_at"] == "2026-12-07T00:00:00+07:00"


def test_a_footer_time_gives_its_instant_to_the_day_under_the_headline() -> None:
    footer = '<p>Diposting pada <time datetime="2026-12-07T08:46:00+08:00">7 Desember 2026</time></p>'
    page = _page(under_headline='<span class="date">7 Desember 2026</span>')
    assert _read(page.replace(b"</article>", footer.encode() + b"</article>"))["published_at"] == WITA
