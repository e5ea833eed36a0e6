"""The choice rule of `extract.published.decide`, one test per rule, and each rule on a real page.

Unit tests give candidates as `extract.candidates` would collect them; the real-page tests read a
golden page with a family or a zone that forces the rule to fire (tests/fixtures, PROVENANCE.md).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import NOW, extract_fields, goldens

from newscrawl.extract.archive import listing_before_since, stamp_before_since
from newscrawl.extract.candidates import Candidate, url_candidate
from newscrawl.extract.dates import WIB, WITA, parse_date
from newscrawl.extract.doc import Doc
from newscrawl.extract.published import decide
from newscrawl.extract.text import without_site_name
from newscrawl.networks import get_profile
from newscrawl.registry import load_registry

BY_ID = {g.id: g for g in goldens()}


def _decide(*candidates: Candidate, zone: object = WIB) -> tuple[str | None, str | None, str | None]:
    d = decide(candidates, zone=zone, now=NOW)  # type: ignore[arg-type]
    return (d.published.isoformat() if d.published else None), d.source, d.precision


def test_machine_date_wins_and_keeps_its_local_offset() -> None:
    assert _decide(
        Candidate("2020-10-07T15:13:00+0700", "json-ld", place="head"),
        Candidate("7 Oktober 2020, 15:13 WIB", "text"),
    ) == ("2020-10-07T15:13:00+07:00", "json-ld", "second")


def test_utc_machine_time_equal_to_the_visible_local_clock_is_local_time() -> None:
    assert _decide(
        Candidate("2016-02-09T19:30:04Z", "meta", place="head"),
        Candidate("Selasa, 09/02/2016 19:30 WIB", "text"),
    ) == ("2016-02-09T19:30:04+07:00", "text+zone_fix", "second")


@pytest.mark.parametrize(("printed", "published"), [
    ("Senin, 7 Desember 2026 08:46 WITA", "2026-12-07T08:46:21+08:00"),
    ("Senin, 7 Desember 2026 08:46 WIT", "2026-12-07T08:46:21+09:00"),
])
def test_a_machine_offset_beside_another_printed_zone_at_the_same_clock_is_the_cms_default(
    printed: str, published: str,
) -> None:
    # A network's code stamping +07:00 on its regional sites' markup while the page prints the
    # local zone: the printed zone is what the reader sees; the modification stamped alike follows.
    d = decide((
        Candidate("2026-12-07T08:46:21+07:00", "json-ld", place="head"),
        Candidate("2026-12-07T09:10:00+07:00", "json-ld", "modified", place="head"),
        Candidate(printed, "text"),
    ), zone=WIB, now=NOW.replace(year=2027))
    assert (d.published.isoformat() if d.published else None, d.source, d.zone_fixed) == (
        published, "text+zone_fix", True,
    )
    assert d.modified is not None
    assert d.modified.isoformat() == published.replace("08:46:21", "09:10:00")


@pytest.mark.parametrize(("printed", "published", "modified"), [
    # The same instant on another zone's clock: the markup's instants, on the clock the page prints.
    ("Senin, 7 Desember 2026 09:46 WITA", "2026-12-07T09:46:21+08:00", "2026-12-07T10:10:00+08:00"),
    # The same zone; no zone printed: the markup's stand.
    ("Senin, 7 Desember 2026 08:46 WIB", "2026-12-07T08:46:21+07:00", "2026-12-07T09:10:00+07:00"),
    ("Senin, 7 Desember 2026 08:46", "2026-12-07T08:46:21+07:00", "2026-12-07T09:10:00+07:00"),
])
def test_a_machine_time_agreeing_with_the_printed_date_is_given_on_the_printed_clock(
    printed: str, published: str, modified: str,
) -> None:
    d = decide((
        Candidate("2026-12-07T08:46:21+07:00", "json-ld", place="head"),
        Candidate("2026-12-07T09:10:00+07:00", "json-ld", "modified", place="head"),
        Candidate(printed, "text"),
    ), zone=WIB, now=NOW.replace(year=2027))
    assert d.published is not None
    assert d.modified is not None
    assert (d.published.isoformat(), d.source, d.modified.isoformat()) == (published, "json-ld", modified)


@pytest.mark.parametrize(("shown", "published", "modified"), [
    # A CMS's default +07:00 beside "08:46 WITA": the update line, naming no zone, is on WITA's clock too.
    ("Senin, 7 Desember 2026 08:46 WITA", "2026-12-07T08:46:21+08:00", "2026-12-07T11:00:00+08:00"),
    # The markup's instant printed on WITA's, WIT's clock.
    ("Senin, 7 Desember 2026 09:46 WITA", "2026-12-07T09:46:21+08:00", "2026-12-07T11:00:00+08:00"),
    ("Senin, 7 Desember 2026 10:46 WIT", "2026-12-07T10:46:21+09:00", "2026-12-07T11:00:00+09:00"),
    # The same, without naming the zone: a clock showing the markup's instant in another zone is the page's clock.
    ("Senin, 7 Desember 2026 09:46", "2026-12-07T09:46:21+08:00", "2026-12-07T11:00:00+08:00"),
    ("Senin, 7 Desember 2026 10:46", "2026-12-07T10:46:21+09:00", "2026-12-07T11:00:00+09:00"),
    # The markup's own clock, or a clock that is no zone's time of its instant: the markup's zone.
    ("Senin, 7 Desember 2026 08:46", "2026-12-07T08:46:21+07:00", "2026-12-07T11:00:00+07:00"),
    ("Senin, 7 Desember 2026 09:50", "2026-12-07T08:46:21+07:00", "2026-12-07T11:00:00+07:00"),
])
def test_a_date_naming_no_zone_is_read_on_the_clock_the_page_shows(shown: str, published: str, modified: str) -> None:
    d = decide((
        Candidate("2026-12-07T08:46:21+07:00", "json-ld", place="head"),
        Candidate(shown, "text", distance=1),
        Candidate("Diperbarui: 7 Desember 2026 11:00", "text", "modified", distance=3),
    ), zone=WIB, now=NOW.replace(year=2027))
    assert d.published is not None
    assert d.modified is not None
    assert (d.published.isoformat(), d.modified.isoformat()) == (published, modified)


def test_true_utc_json_ld_beside_a_meta_stating_wita_for_the_same_instant_is_wita() -> None:
    assert _decide(
        Candidate("2023-03-05T06:00:00+00:00", "json-ld", place="head"),
        Candidate("2023-03-05T14:00:00+08:00", "meta", place="head"),
    ) == ("2023-03-05T14:00:00+08:00", "meta", "second")


def test_utc_machine_time_with_the_clock_of_a_local_one_is_that_local_time() -> None:
    # fakta.co.id: <time datetime="...14:05:21+00:00"> vs article:published_time "...14:05:21+07:00".
    got = _decide(Candidate("2017-01-30T14:05:21+00:00", "time"), Candidate("2017-01-30T14:05:21+07:00", "time"))
    assert got[0] == "2017-01-30T14:05:21+07:00"


@pytest.mark.parametrize("zone", [WIB, WITA])
def test_utc_publication_with_the_wall_clock_of_a_local_modification_is_local_time_in_any_page_zone(
    zone: object,
) -> None:
    # Whether a date states its zone is what its text says, not whether the page's zone happens to be
    # the one it states (the "+07:00" that set this page's zone was weighed as stating none).
    d = decide((
        Candidate("2023-10-25T08:51:00Z", "meta", place="head"),
        Candidate("2023-10-25T08:51:00+07:00", "json-ld", "modified", place="article"),
    ), zone=zone, now=NOW)  # type: ignore[arg-type]
    assert d.published is not None
    assert (d.published.isoformat(), d.zone_fixed) == ("2023-10-25T08:51:00+07:00", True)


def test_true_utc_beside_a_date_only_visible_day_is_converted_to_the_page_zone() -> None:
    assert _decide(
        Candidate("2017-01-30T04:16:37+00:00", "time"), Candidate("Januari 30, 2017", "text"),
    ) == ("2017-01-30T11:16:37+07:00", "time", "second")


def test_utc_whose_utc_day_is_the_visible_day_but_local_day_is_not_is_local_time() -> None:
    got = _decide(Candidate("2017-01-30T20:16:37+00:00", "time"), Candidate("30 Januari 2017", "text"))
    assert got[:2] == ("2017-01-30T20:16:37+07:00", "text+zone_fix")


def test_the_visible_dates_own_zone_outranks_the_registry() -> None:
    assert _decide(Candidate("Senin, 8 Februari 2016 13:10 WITA", "text"))[0] == "2016-02-08T13:10:00+08:00"


def test_an_offset_of_the_page_clock_before_the_headline_outranks_the_registry() -> None:
    got = _decide(
        Candidate("2016-02-17T07:59:20+08:00", "attr", place="before"),
        Candidate("Senin, 8 Februari 2016 13:10", "text"),
        zone=WIB,
    )
    assert got == ("2016-02-08T13:10:00+08:00", "text", "minute")


def test_the_zone_a_visible_clock_shows_the_machine_instant_in_outranks_the_registry() -> None:
    # 00:46 UTC printed as 08:46 with no zone: the page keeps WITA's clock, whatever the registry says.
    for registry in (WIB, WITA):
        assert _decide(
            Candidate("2026-12-07T00:46:00Z", "meta", place="head"),
            Candidate("Senin, 7 Desember 2026 08:46", "text"),
            zone=registry,
        )[:2] == ("2026-12-07T08:46:00+08:00", "meta")


def test_a_visible_clock_that_shows_no_indonesian_zone_leaves_the_registry_zone() -> None:
    assert _decide(
        Candidate("2026-12-07T00:46:00Z", "meta", place="head"),
        Candidate("Senin, 7 Desember 2026 03:46", "text"),
        zone=WITA,
    )[0] == "2026-12-07T08:46:00+08:00"


def test_a_visible_update_is_the_modification_never_the_publication() -> None:
    d = decide(
        (
            Candidate("Diperbarui: Selasa, 8 Desember 2026 10:00 WITA", "text", "modified", distance=1),
            Candidate("Senin, 7 Desember 2026 08:46 WITA", "text", distance=2),
        ),
        zone=WIB, now=NOW.replace(year=2027),
    )
    assert (d.published.isoformat() if d.published else None, d.raw) == (
        "2026-12-07T08:46:00+08:00", "Senin, 7 Desember 2026 08:46 WITA",
    )
    assert d.modified is not None
    assert d.modified.isoformat() == "2026-12-08T10:00:00+08:00"


def test_the_page_clock_is_never_the_published_date() -> None:
    assert _decide(Candidate("2017-02-21T10:21:41+07:00", "attr", place="before")) == (None, None, None)


def test_without_page_zone_the_registry_zone_then_wib() -> None:
    assert _decide(Candidate("Senin, 8 Februari 2016 13:10", "text"), zone=WITA)[0] == "2016-02-08T13:10:00+08:00"
    assert _decide(Candidate("Senin, 8 Februari 2016 13:10", "text"))[0] == "2016-02-08T13:10:00+07:00"


def test_blogger_pacific_time_is_converted_to_the_portal_zone() -> None:
    got = _decide(Candidate("2015-06-19T10:30:00-07:00", "attr"), Candidate("Jumat, 19 Juni 2015", "text"), zone=WITA)
    assert got == ("2015-06-20T01:30:00+08:00", "attr", "second")


def test_a_date_only_page_is_a_day_not_midnight() -> None:
    assert _decide(Candidate("24 September 2019", "text")) == ("2019-09-24T00:00:00+07:00", "text", "day")


def test_a_date_only_visible_day_takes_the_clock_of_the_articles_updated_stamp() -> None:
    # Blogger: the post's only time is abbr.updated@title.
    got = _decide(Candidate("Jumat, 19 Juni 2015", "text"), Candidate("2015-06-19T15:20:00+07:00", "attr", "modified"))
    assert got == ("2015-06-19T15:20:00+07:00", "attr", "second")


def test_24_00_is_the_next_day() -> None:
    parsed = parse_date("Senin, 8 Februari 2016 24:00 WIB")
    assert parsed is not None
    assert parsed.iso() == "2016-02-09T00:00:00+07:00"


def test_a_modified_time_earlier_than_published_is_left_out() -> None:
    d = decide(
        (Candidate("2020-10-09T13:52:50+07:00", "json-ld", place="head"),
         Candidate("2020-10-09T13:00:00+07:00", "meta", "modified", "head")),
        zone=WIB, now=NOW,
    )
    assert d.modified is None


def test_the_url_is_the_last_witness() -> None:
    kompas = url_candidate("http://nasional.kompas.com/read/2015/11/04/21040031/Judul")
    tribun = url_candidate("http://makassar.tribunnews.com/2016/02/08/peternak-pinrang")
    assert kompas is not None
    assert tribun is not None
    assert _decide(kompas) == ("2015-11-04T21:04:00+07:00", "url", "second")
    assert _decide(tribun) == ("2016-02-08T00:00:00+07:00", "url", "day")
    assert _decide(tribun, Candidate("Senin, 8 Februari 2016 12:41", "text"))[1] == "text"


def test_nothing_stated_is_no_date_never_now() -> None:
    assert _decide() == (None, None, None)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("- Zona Jakarta", None),
        ("Zona Jakarta", None),
        ("Walau Kena Covid-19 - Zona Jakarta", "Walau Kena Covid-19"),
        ("Prediksi (01/02/17) | Zona Jakarta - Berita Terkini", "Prediksi (01/02/17)"),
        ("Ketua PAC: Zona Jakarta Media Nomor 1", "Ketua PAC: Zona Jakarta Media Nomor 1"),
    ],
)
def test_title_without_the_site_name(title: str, expected: str | None) -> None:
    assert without_site_name(title, ("Zona Jakarta",)) == expected


# --- each rule on a real page -------------------------------------------------------------------


def test_real_page_zone_fix_detik_meta_marked_z() -> None:
    got = extract_fields(BY_ID["detik/sport_2016_kerber-ivanovic"])
    assert (got["published_at"], got["published_from"]) == ("2016-02-09T19:30:04+07:00", "text+zone_fix")


def test_real_page_header_clock_gives_wita_to_an_unregistered_mirror_read_as_generic() -> None:
    # No registry by host or identity (the family is forced and the URL is a mirror without og:url
    # use): the header bar's +08:00 is the page's own statement of its zone.
    golden = BY_ID["tribun/tribuntimur_2016_peternak-pinrang"]
    got = extract_fields(golden, family="generic", url="http://127.0.0.1:8000/peternak")
    assert got["published_at"] == "2016-02-08T12:41:00+08:00"


def test_real_page_bare_h3_under_the_headline_is_the_date() -> None:
    # Read as generic, no selector names Tribun Timur's <h3> date: it is found right under the h1.
    got = extract_fields(BY_ID["tribun/tribuntimur_2016_pac-demokrat-tamalate"], family="generic")
    assert got["published_raw"] == "Senin, 8 Februari 2016 13:10"
    assert got["published_at"] == "2016-02-08T13:10:00+08:00"


def test_real_page_header_today_and_sidebar_dates_are_decoys() -> None:
    got = extract_fields(BY_ID["tribun/tribunnews_2017_nelayan-ahok-al-maidah"])
    assert got["published_at"] == "2017-02-07T10:20:00+07:00"


def test_real_page_hidden_review_date_is_a_decoy() -> None:
    assert extract_fields(BY_ID["generic/fakta_2017_arsenal-allegri"])["published_raw"] == "30 Januari 2017"


def test_real_page_true_utc_is_shown_in_the_page_zone() -> None:
    got = extract_fields(BY_ID["generic/lingkarannews_2016_commitee-300"])
    assert got["published_at"] == "2016-02-06T15:23:01+07:00"


def test_real_page_registry_by_identity() -> None:
    golden = BY_ID["tribun/tribuntimur_2016_jessica-wongso-p1"]
    registry = load_registry()
    owner = registry.for_identity([golden.url], None)
    assert owner is not None
    assert owner.timezone == "WITA"
    assert registry.for_identity([], "Tribun Timur") is owner
    got = extract_fields(golden, url="http://127.0.0.1:8000/2016/02/08/penting")
    assert (got["portal_name"], got["published_at"]) == ("Tribun-Timur.com", "2016-02-08T12:43:00+08:00")


def test_real_page_date_only_is_day_precision() -> None:
    got = extract_fields(BY_ID["prmn/template2019_desktop_artikel"])
    assert (got["published_at"], got["published_precision"]) == ("2019-09-24T00:00:00+07:00", "day")


def test_real_page_url_as_last_witness() -> None:
    # Kompas's URL names date and time (/read/2016/02/16/14382361/: 14:38:23); the page's own date wins.
    golden = BY_ID["kompas/nasional_2016_yuddy-pns"]
    from_url = url_candidate(golden.url)
    assert from_url is not None
    assert _decide(from_url)[0] == "2016-02-16T14:38:23+07:00"
    assert extract_fields(golden)["published_from"] == "text"



@pytest.mark.parametrize(
    ("stamp", "since", "older"),
    [
        ("2024-01-01", date(2024, 1, 2), True),
        ("2024-01-02T00:10:00+07:00", date(2024, 1, 2), False),
        ("2024-01-03", date(2024, 1, 2), False),
        ("2024-01-01", None, False),
        (None, date(2024, 1, 2), False),
        ("not a date", date(2024, 1, 2), False),
    ],
)
def test_a_sitemap_stamp_is_older_than_since_by_its_calendar_day(
    stamp: str | None, since: date | None, *, older: bool,
) -> None:
    assert stamp_before_since(stamp, WIB, since) is older


@pytest.mark.parametrize(
    ("since", "older"),
    [(date(2024, 1, 2), False), (date(2024, 1, 3), False), (date(2024, 1, 4), True), (None, False)],
)
def test_a_listing_is_older_than_since_when_its_newest_date_is(since: date | None, *, older: bool) -> None:
    page = Doc.parse(
        "<ul><li><span class=d>Senin, 1 Januari 2024 10:00 WIB</span></li>"
        "<li><span class=d>Rabu, 3 Januari 2024 09:00 WIB</span></li><li><span class=d>bukan tanggal</span></li></ul>",
    )
    profile = replace(get_profile("generic"), listing_date=("time", ".d"))
    assert listing_before_since(page, profile, WIB, since) is older
    assert not listing_before_since(Doc.parse("<ul><li>no date</li></ul>"), profile, WIB, since)
