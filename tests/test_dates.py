"""Tables of real date strings from Indonesian portals and their exact readings."""

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

import pytest

from newscrawl.extract import date_fallback
from newscrawl.extract.date_words import (
    BYLINE_WORDS,
    DAY_NAMES,
    DAYS_BACK_WORDS,
    MONTH_NAMES,
    NOISE_WORDS,
    NOW_WORDS,
    RELATIVE_COUNTS,
    RELATIVE_ENDINGS,
    RELATIVE_UNITS,
    WEEKDAYS,
    ZONE_NAMES,
)
from newscrawl.extract.dates import (
    MAX_INPUT_CHARS,
    WIB,
    WIT,
    WITA,
    ZONES,
    ParsedDate,
    parse_date,
    parse_machine_date,
    zone,
)

# The last day of a 31-day month after a leap February, so month arithmetic has to clamp.
FIXED_NOW = datetime(2024, 3, 31, 10, 30, tzinfo=WIB)


class Case(NamedTuple):
    text: str
    iso: str
    method: str = "fast"
    has_time: bool = True
    tz: tzinfo = WIB


CASES = [
    # The forms portals print, as they print them.
    Case("Jum'at, 19 Juni 2015 - 11:58 wib", "2015-06-19T11:58:00+07:00"),
    Case("Selasa 16 Jun 2015, 14:05 WIB", "2015-06-16T14:05:00+07:00"),
    Case("Rabu, 17 Juni 2015 | 22:26 WIB", "2015-06-17T22:26:00+07:00"),
    Case("19 Jun 2015 | 13:06", "2015-06-19T13:06:00+07:00"),
    Case("18 Jun 2015 at 06:25 WIB", "2015-06-18T06:25:00+07:00"),
    Case("22/10/2025 06:59", "2025-10-22T06:59:00+07:00"),
    Case("08/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
    Case("Kamis, 23 Jul 2026 15:10 WIB", "2026-07-23T15:10:00+07:00"),
    Case("Senin (3/10/2022) pukul 14.30 WIB", "2022-10-03T14:30:00+07:00"),
    Case("Diperbarui 24 Juni 2022, 16:00 WIB", "2022-06-24T16:00:00+07:00"),
    Case("6 Nop 2019", "2019-11-06T00:00:00+07:00", has_time=False),
    Case("4 Ags 2023", "2023-08-04T00:00:00+07:00", has_time=False),
    Case("Minggu, 5 Maret 2023 07:00 WITA", "2023-03-05T07:00:00+08:00"),
    Case("- 24 Juni 2022, 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("- Jumat, 24 Juni 2022 | 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("- Selasa, 24 Februari 2026 | 08:50 WIB", "2026-02-24T08:50:00+07:00"),
    Case("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
    Case("Jumat , 17 February 2017", "2017-02-17T00:00:00+07:00", has_time=False),
    Case("Senin, 07 Maret 2022 - 08:15 WIB", "2022-03-07T08:15:00+07:00"),
    Case("Tuesday, 16 June 2015 14:05", "2015-06-16T14:05:00+07:00"),
    Case("Ahad, 3 Juli 2022 09:00 WIB", "2022-07-03T09:00:00+07:00"),
    # Zones: WIT is a prefix of WITA; a zone in the text beats the portal's zone.
    Case("Senin, 2 Januari 2023 09:00 WIT", "2023-01-02T09:00:00+09:00"),
    Case("Senin, 2 Januari 2023 09:00 wit", "2023-01-02T09:00:00+09:00"),
    Case("Senin, 2 Januari 2023 09:00 WIT.", "2023-01-02T09:00:00+09:00"),
    Case("Minggu, 5 Maret 2023 07:00 wita", "2023-03-05T07:00:00+08:00"),
    Case("Sabtu, 1 April 2023 10:00 WITA", "2023-04-01T10:00:00+08:00", tz=WIT),
    Case("Jumat, 24 Juni 2022 15:44 WIB", "2022-06-24T15:44:00+07:00", tz=WITA),
    Case("Rabu, 17 Juni 2015 | 22:26", "2015-06-17T22:26:00+08:00", tz=WITA),
    Case("Rabu, 17 Juni 2015 | 22:26", "2015-06-17T22:26:00+09:00", tz=WIT),
    Case("6 Nop 2019", "2019-11-06T00:00:00+09:00", has_time=False, tz=WIT),
    Case("24 Juni 2022 15:44 GMT+7", "2022-06-24T15:44:00+07:00"),
    Case("24 Juni 2022 15:44 GMT+08:00", "2022-06-24T15:44:00+08:00"),
    Case("24 Juni 2022 08:44 UTC", "2022-06-24T08:44:00+00:00"),
    Case("24 Jun 2022 15:44 +0700", "2022-06-24T15:44:00+07:00"),
    Case("24 Juni 2022 15:44 (WIB)", "2022-06-24T15:44:00+07:00"),
    # RSS pubDate (RFC 2822) reads on the fast path too.
    Case("Fri, 24 Jun 2022 15:44:00 +0700", "2022-06-24T15:44:00+07:00"),
    Case("Sun, 05 Mar 2023 00:00:00 GMT", "2023-03-05T00:00:00+00:00"),
    # Clocks: seconds, dots, connectors, 12-hour, a clock printed before the date.
    Case("Sabtu, 25/06/2022 07:15:30 WIB", "2022-06-25T07:15:30+07:00"),
    Case("24 Juni 2022 | 15:44:21 WIB", "2022-06-24T15:44:21+07:00"),
    Case("24 Juni 2022, 15.44.21 WIB", "2022-06-24T15:44:21+07:00"),
    Case("24.06.2022 14.30", "2022-06-24T14:30:00+07:00"),
    Case("24-06-2022 14:30 WIB", "2022-06-24T14:30:00+07:00"),
    Case("24 Juni 2022 jam 14.30", "2022-06-24T14:30:00+07:00"),
    Case("24 Juni 2022 pkl. 14.30 WIB", "2022-06-24T14:30:00+07:00"),
    Case("24 Juni 2022 Pukul 14:30 WIB", "2022-06-24T14:30:00+07:00"),
    Case("24 Juni 2022 3:44 pm", "2022-06-24T15:44:00+07:00"),
    Case("24 Juni 2022 12:05 AM", "2022-06-24T00:05:00+07:00"),
    Case("15:44 WIB, Jumat 24 Juni 2022", "2022-06-24T15:44:00+07:00"),
    # A label or a Hijri date between the date and its clock.
    Case("Tanggal: 24 Juni 2022, Waktu: 15:44 WITA", "2022-06-24T15:44:00+08:00"),
    Case("24 Juni 2022, Pukul: 15.44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("Jumat, 24 Juni 2022 / 25 Dzulqa'dah 1443 H, 15:44 WITA", "2022-06-24T15:44:00+08:00"),
    Case("Jumat, 24 Juni 2022 | 25 Zulkaidah 1443 Hijriah | 15:44", "2022-06-24T15:44:00+07:00"),
    Case("24 Juni 2022 | Dibaca: 12.000 kali", "2022-06-24T00:00:00+07:00", has_time=False),  # no clock, a count
    Case("24 Juni 2022 25:99", "2022-06-24T00:00:00+07:00", has_time=False),
    # Leading noise.
    Case("Dipublikasikan: Sabtu, 25 Juni 2022 08:00 WIB", "2022-06-25T08:00:00+07:00"),
    Case("Diterbitkan 24 Jun 2022 15:44", "2022-06-24T15:44:00+07:00"),
    Case("Update: 24 Juni 2022 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("Updated 24 Jun 2022, 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("Published: 24/06/2022 15:44", "2022-06-24T15:44:00+07:00"),
    Case("Penulis: Budi Santoso | Jumat, 24 Juni 2022 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    Case("Diperbarui 2022-06-24 15:44 WIB", "2022-06-24T15:44:00+07:00"),
    # Month spellings.
    Case("Selasa, 1 Pebruari 2022", "2022-02-01T00:00:00+07:00", has_time=False),
    Case("10 Peb 2020", "2020-02-10T00:00:00+07:00", has_time=False),
    Case("17 Agt 2021 10:00 WIB", "2021-08-17T10:00:00+07:00"),
    Case("17 Agu 2021", "2021-08-17T00:00:00+07:00", has_time=False),
    Case("17 Aug 2021", "2021-08-17T00:00:00+07:00", has_time=False),
    Case("30 Sept 2021 19:00 WIB", "2021-09-30T19:00:00+07:00"),
    Case("12 Okt 2021", "2021-10-12T00:00:00+07:00", has_time=False),
    Case("12 Oct 2021", "2021-10-12T00:00:00+07:00", has_time=False),
    Case("1 Nopember 2021", "2021-11-01T00:00:00+07:00", has_time=False),
    Case("25 Des 2021 08:00 WIB", "2021-12-25T08:00:00+07:00"),
    Case("25 Dec 2021", "2021-12-25T00:00:00+07:00", has_time=False),
    Case("2 Mei 2022 07:00 WIB", "2022-05-02T07:00:00+07:00"),
    Case("1 Jan. 2022", "2022-01-01T00:00:00+07:00", has_time=False),
    Case("24th June 2022", "2022-06-24T00:00:00+07:00", has_time=False),
    # Machine forms met in visible text.
    Case("2015-06-16T14-05-11Z", "2015-06-16T14:05:11+00:00", "iso"),
    Case("2015-06-19T03:40:00+07:00Z", "2015-06-19T03:40:00+07:00", "iso"),
    Case("2020-10-07T15:13:00+0700", "2020-10-07T15:13:00+07:00", "iso"),
    Case("2020-10-07T15:13:00.123456Z", "2020-10-07T15:13:00+00:00", "iso"),
    Case("2022-06-24 15:44", "2022-06-24T15:44:00+07:00", "iso"),
    Case("2020-10-07", "2020-10-07T00:00:00+07:00", "iso", has_time=False),
    # Relative, against FIXED_NOW (2024-03-31 10:30 WIB).
    Case("2 jam yang lalu", "2024-03-31T08:30:00+07:00", "relative"),
    Case("Diperbarui 2 jam yang lalu", "2024-03-31T08:30:00+07:00", "relative"),
    Case("15 menit lalu", "2024-03-31T10:15:00+07:00", "relative"),
    Case("30 detik yang lalu", "2024-03-31T10:29:30+07:00", "relative"),
    Case("sejam lalu", "2024-03-31T09:30:00+07:00", "relative"),
    Case("2 hours ago", "2024-03-31T08:30:00+07:00", "relative"),
    Case("baru saja", "2024-03-31T10:30:00+07:00", "relative"),
    Case("3 hari yang lalu", "2024-03-28T00:00:00+07:00", "relative", has_time=False),
    Case("1 minggu lalu", "2024-03-24T00:00:00+07:00", "relative", has_time=False),
    Case("1 bulan lalu", "2024-02-29T00:00:00+07:00", "relative", has_time=False),
    Case("4 bulan lalu", "2023-11-30T00:00:00+07:00", "relative", has_time=False),
    Case("setahun lalu", "2023-03-31T00:00:00+07:00", "relative", has_time=False),
    Case("kemarin", "2024-03-30T00:00:00+07:00", "relative", has_time=False),
    Case("Kemarin, 15:30 WIB", "2024-03-30T15:30:00+07:00", "relative"),
    Case("kemarin lusa", "2024-03-29T00:00:00+07:00", "relative", has_time=False),
    Case("hari ini", "2024-03-31T00:00:00+07:00", "relative", has_time=False),
    Case("Hari ini, 08:15", "2024-03-31T08:15:00+07:00", "relative"),
    Case("yesterday", "2024-03-30T00:00:00+07:00", "relative", has_time=False),
    Case("2 jam yang lalu", "2024-03-31T09:30:00+08:00", "relative", tz=WITA),
    Case("kemarin", "2024-03-30T00:00:00+08:00", "relative", has_time=False, tz=WITA),
    # Month first in words (English-language portals, a few Indonesian themes): the fast path's.
    Case("June 24, 2022 3:44 PM", "2022-06-24T15:44:00+07:00", "fast"),
    Case("June 24, 2022 3:44 PM", "2022-06-24T15:44:00+08:00", "fast", tz=WITA),
    Case("Diperbarui June 24, 2022 3:44 PM", "2022-06-24T15:44:00+07:00", "fast"),
    Case("Jun 24, 2022", "2022-06-24T00:00:00+07:00", "fast", has_time=False),
    Case("Januari 30, 2017", "2017-01-30T00:00:00+07:00", "fast", has_time=False),
    Case("Ags 19, 2022 7:44 PM", "2022-08-19T19:44:00+07:00", "fast"),
    # Left to dateparser: two-digit years, whose century is a guess.
    Case("24/06/22 15:44", "2022-06-24T15:44:00+07:00", "dateparser"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.text}@{c.tz}" for c in CASES])
def test_reads_real_forms_exactly(case: Case) -> None:
    parsed = parse_date(case.text, tz=case.tz, now=FIXED_NOW)
    assert parsed is not None
    assert (parsed.iso(), parsed.method, parsed.has_time) == (case.iso, case.method, case.has_time)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 70


UNREADABLE = [
    None,
    "",
    "   ",
    "Tidak ada tanggal",
    "Baca Juga: Warga Garut Keluhkan Jalan Rusak",
    "Baca juga: Jadwal Lengkap Persib di Liga 1",
    "99/99/2020",
    "32 Januari 2022",
    "29 Februari 2023",
    "lorem ipsum dolor sit amet",
    "Foto: Istimewa",
    "Senin",
    "24 Juni",
    "15:44 WIB",
    "17 Agustus 1945",
    "1 Januari 2150",
    "Dilihat 1.234 kali",
    "Halaman 2 dari 5",
    "Kemarin sore banjir merendam 40 rumah",
    "12345 jam lalu",
    "900 tahun lalu",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_is_none_never_now(text: str | None) -> None:
    assert parse_date(text, now=FIXED_NOW) is None


def test_only_the_first_characters_are_read() -> None:
    started = time.perf_counter()
    assert parse_date("x" * 1_000_000) is None
    assert parse_date("7" * 1_000_000) is None
    assert parse_date(" " * MAX_INPUT_CHARS + "24 Juni 2022") is None
    assert time.perf_counter() - started < 1.0
    parsed = parse_date("24 Juni 2022 15:44 WIB" + "x" * 1_000_000)
    assert parsed is not None
    assert parsed.iso() == "2022-06-24T15:44:00+07:00"


def test_relative_dates_are_taken_on_the_portals_calendar() -> None:
    # 23:30 in Jakarta is already 01:30 the next day in Jayapura.
    late = datetime(2024, 3, 31, 23, 30, tzinfo=WIB)
    in_papua = parse_date("kemarin", tz=WIT, now=late)
    assert in_papua is not None
    assert in_papua.iso() == "2024-03-31T00:00:00+09:00"


def test_naive_now_is_taken_in_the_portal_zone() -> None:
    parsed = parse_date("2 jam lalu", tz=WITA, now=datetime(2024, 3, 31, 10, 30))  # noqa: DTZ001
    assert parsed is not None
    assert parsed.iso() == "2024-03-31T08:30:00+08:00"


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("2 jam yang lalu", "hour"),
        ("sejam lalu", "hour"),
        ("15 menit lalu", "minute"),
        ("30 detik yang lalu", "second"),
        ("3 hari lalu", "day"),
        ("Kemarin, 08:46", "minute"),  # a clock printed
        ("24 Juni 2022 15:44 WIB", "minute"),
        ("24 Juni 2022 | 15:44:21 WIB", "second"),
        ("6 Nop 2019", "day"),
    ],
)
def test_a_date_states_its_precision(text: str, precision: str) -> None:
    parsed = parse_date(text, now=FIXED_NOW)
    assert parsed is not None
    assert parsed.precision == precision


def test_relative_without_now_uses_the_clock() -> None:
    before = datetime.now(UTC)
    parsed = parse_date("baru saja")
    after = datetime.now(UTC)
    assert parsed is not None
    assert before <= parsed.value <= after


# --- rules as data: every entry of every table fires ------------------------------------------


@pytest.mark.parametrize(
    ("word", "month"),
    [(word, number) for number, words in enumerate(MONTH_NAMES, start=1) for word in words],
)
def test_every_month_spelling(word: str, month: int) -> None:
    parsed = parse_date(f"5 {word.capitalize()} 2023 10:00 WIB")
    assert parsed is not None
    assert (parsed.method, parsed.value.month) == ("fast", month)


@pytest.mark.parametrize("day_name", DAY_NAMES)
def test_every_day_name_between_a_clock_and_its_date(day_name: str) -> None:
    parsed = parse_date(f"15:44 WIB, {day_name.capitalize()} 24 Juni 2022")
    assert parsed is not None
    assert parsed.iso() == "2022-06-24T15:44:00+07:00"


@pytest.mark.parametrize(("name", "expected"), ZONE_NAMES.items())
def test_every_zone_name(name: str, expected: timezone) -> None:
    for spelling in (name, name.upper()):
        parsed = parse_date(f"24 Juni 2022 15:44 {spelling}")
        assert parsed is not None
        assert parsed.value.utcoffset() == expected.utcoffset(None)


@pytest.mark.parametrize("word", NOISE_WORDS)
def test_every_noise_word_is_stripped_before_dateparser(word: str) -> None:
    parsed = parse_date(f"{word.capitalize()}: 24/06/22 15:44")
    assert parsed is not None
    assert (parsed.iso(), parsed.method) == ("2022-06-24T15:44:00+07:00", "dateparser")


@pytest.mark.parametrize("word", BYLINE_WORDS)
def test_every_byline_word_is_stripped_before_dateparser(word: str) -> None:
    parsed = parse_date(f"{word.capitalize()}: Siti Nurhaliza | 24/06/22 15:44")
    assert parsed is not None
    assert (parsed.iso(), parsed.method) == ("2022-06-24T15:44:00+07:00", "dateparser")


UNIT_STEPS = {
    "seconds": "2024-03-31T10:29:57+07:00",
    "minutes": "2024-03-31T10:27:00+07:00",
    "hours": "2024-03-31T07:30:00+07:00",
    "days": "2024-03-28T00:00:00+07:00",
    "weeks": "2024-03-10T00:00:00+07:00",
    "months": "2023-12-31T00:00:00+07:00",
    "years": "2021-03-31T00:00:00+07:00",
}


@pytest.mark.parametrize(("word", "unit"), RELATIVE_UNITS.items())
def test_every_relative_unit(word: str, unit: str) -> None:
    parsed = parse_date(f"3 {word} lalu", now=FIXED_NOW)
    assert parsed is not None
    assert parsed.iso() == UNIT_STEPS[unit]
    assert parsed.has_time == (unit in {"seconds", "minutes", "hours"})


@pytest.mark.parametrize(("word", "count"), RELATIVE_COUNTS.items())
def test_every_relative_count_word(word: str, count: int) -> None:
    joiner = "" if word == "se" else " "
    parsed = parse_date(f"{word}{joiner}hari yang lalu", now=FIXED_NOW)
    assert parsed is not None
    assert parsed.value.date() == FIXED_NOW.date() - timedelta(days=count)


@pytest.mark.parametrize("ending", RELATIVE_ENDINGS)
def test_every_relative_ending(ending: str) -> None:
    parsed = parse_date(f"2 jam {ending}", now=FIXED_NOW)
    assert parsed is not None
    assert parsed.iso() == "2024-03-31T08:30:00+07:00"


@pytest.mark.parametrize("word", NOW_WORDS)
def test_every_now_word(word: str) -> None:
    parsed = parse_date(f"Diperbarui {word}", now=FIXED_NOW)
    assert parsed is not None
    assert (parsed.value, parsed.has_time) == (FIXED_NOW, True)


@pytest.mark.parametrize(("word", "days"), DAYS_BACK_WORDS.items())
def test_every_days_back_word(word: str, days: int) -> None:
    parsed = parse_date(word.upper(), now=FIXED_NOW)
    assert parsed is not None
    assert parsed.value.date() == FIXED_NOW.date() - timedelta(days=days)
    assert not parsed.has_time


# --- which route answers ----------------------------------------------------------------------


def test_common_forms_never_reach_dateparser() -> None:
    # The first rows of CASES are the forms portals print most.
    for case in CASES[:21]:
        parsed = parse_date(case.text, now=FIXED_NOW)
        assert parsed is not None
        assert parsed.method == "fast", case.text


def test_dateparser_answers_what_the_fast_path_leaves() -> None:
    # dateparser reads two-digit years; the fast path reads a year of four digits only.
    parsed = parse_date("Friday, 24/06/22 15:44", now=FIXED_NOW)
    assert parsed is not None
    assert (parsed.iso(), parsed.method) == ("2022-06-24T15:44:00+07:00", "dateparser")


def test_dateparser_reads_a_text_once_per_zone_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    # A site's footer ("Copyright © Antara 2016") reaches dateparser from every page: after the
    # first, its answer (here: no date) is remembered, as is a date it reads; another offset asks again.
    date_fallback._read.cache_clear()
    asked: list[tuple[str, str]] = []
    for offset in ("+0700", "+0800"):
        parser = date_fallback._dateparser_for(offset)
        real = parser.get_date_data

        def counting(text: str, real: Callable[[str], Any] = real, offset: str = offset) -> Any:
            asked.append((offset, text))
            return real(text)

        monkeypatch.setattr(parser, "get_date_data", counting)
    for _ in range(3):
        assert parse_date("Copyright © Antara 2016", now=FIXED_NOW) is None
        parsed = parse_date("Friday, 24/06/22 15:44", now=FIXED_NOW)
        assert parsed is not None
        assert (parsed.iso(), parsed.method) == ("2022-06-24T15:44:00+07:00", "dateparser")
        in_wita = parse_date("Friday, 24/06/22 15:44", tz=WITA, now=FIXED_NOW)
        assert in_wita is not None
        assert in_wita.iso() == "2022-06-24T15:44:00+08:00"
    assert sorted(asked) == [
        ("+0700", "copyright © antara 2016"), ("+0700", "friday, 24/06/22 15:44"),
        ("+0800", "friday, 24/06/22 15:44"),
    ]


# --- parse_machine_date -----------------------------------------------------------------------


MACHINE_CASES = [
    ("2020-10-07T15:13:00+0700", WIB, "2020-10-07T15:13:00+07:00", True),
    ("2020-10-07T15:13:00+07:00", WIB, "2020-10-07T15:13:00+07:00", True),
    ("2020-10-07T08:13:00Z", WIB, "2020-10-07T08:13:00+00:00", True),
    ("2020-10-07T08:13:00+00:00", WIB, "2020-10-07T08:13:00+00:00", True),
    ("2020-10-07T15:13:00-03:30", WIB, "2020-10-07T15:13:00-03:30", True),
    ("2020-10-07T15:13-07", WIB, "2020-10-07T15:13:00-07:00", True),
    ("2020-10-07 15:13:00", WIB, "2020-10-07T15:13:00+07:00", True),
    ("2020-10-07 15:13:00", WITA, "2020-10-07T15:13:00+08:00", True),
    ("2020-10-07T15:13", WIT, "2020-10-07T15:13:00+09:00", True),
    ("2015-06-16T14-05-11Z", WIB, "2015-06-16T14:05:11+00:00", True),
    ("2015-06-19T03:40:00+07:00Z", WIB, "2015-06-19T03:40:00+07:00", True),
    ("2020-10-07", WIB, "2020-10-07T00:00:00+07:00", False),
    ("2020-10-07", WITA, "2020-10-07T00:00:00+08:00", False),
    ("2020-10-07T15:13:00.000+07:00", WIB, "2020-10-07T15:13:00+07:00", True),
    ("2020-10-07T15:13:00.123456789Z", WIB, "2020-10-07T15:13:00+00:00", True),
    ("  2020-10-07T15:13:00+07:00\n", WIB, "2020-10-07T15:13:00+07:00", True),
    ("2020/10/07 15:13:00", WIB, "2020-10-07T15:13:00+07:00", True),
    ("1602058380", WIB, "2020-10-07T15:13:00+07:00", True),
    ("1602058380", UTC, "2020-10-07T08:13:00+00:00", True),
    ("1602058380.5", WIB, "2020-10-07T15:13:00+07:00", True),
    ("1602058380000", WITA, "2020-10-07T16:13:00+08:00", True),
]


@pytest.mark.parametrize(("text", "tz", "iso", "has_time"), MACHINE_CASES)
def test_machine_forms(text: str, tz: tzinfo, iso: str, has_time: bool) -> None:
    parsed = parse_machine_date(text, tz=tz)
    assert parsed is not None
    assert (parsed.iso(), parsed.method, parsed.has_time) == (iso, "iso", has_time)


def test_machine_fractions_are_kept_to_the_microsecond() -> None:
    parsed = parse_machine_date("2020-10-07T15:13:00.123456789Z")
    assert parsed is not None
    assert parsed.value.microsecond == 123456


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "2 jam yang lalu",
        "kemarin, 15:30",
        "21/01/71",
        "2023",
        "20201007",
        "2020-13-01",
        "2016-02-23 T16:00:20Z",
        "2095.04.16 13:60:28utc",
        "2020-02-30",
        "2020-10-07T25:00:00Z",
        "2020-10-07T15:13:00+25:00",
        "1899-10-07T15:13:00Z",
        "99999999999999",
        "not a date",
    ],
)
def test_machine_rejects(text: str | None) -> None:
    assert parse_machine_date(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # Printed dates some CMSs put in their markup (meta content, <time datetime>, JSON-LD).
        ("Senin, 07 Desember 2026 08:46 WIB", "2026-12-07T08:46:00+07:00"),
        ("24 Juni 2022 15:44 WITA", "2022-06-24T15:44:00+08:00"),
        ("07-12-2026 08:46", "2026-12-07T08:46:00+07:00"),
        ("19 Jun 2015 | 13:06", "2015-06-19T13:06:00+07:00"),
        ("Mon, 07 Dec 2026 01:46:00 GMT", "2026-12-07T01:46:00+00:00"),
        ("Dec 7, 2026 8:46 AM", "2026-12-07T08:46:00+07:00"),
    ],
)
def test_machine_reads_a_printed_date_with_a_full_year(text: str, iso: str) -> None:
    parsed = parse_machine_date(text)
    assert parsed is not None
    assert parsed.iso() == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # Drupal's default format is month first ("D, m/d/Y - H:i"); Indonesian pages put the day first.
        ("Senin, 12/07/2026 - 08:46", "2026-12-07T08:46:00+07:00"),
        ("Sen, 12/07/2026 - 08:46", "2026-12-07T08:46:00+07:00"),
        ("Wed, 12/09/2026 - 10:00 WIB", "2026-12-09T10:00:00+07:00"),
        ("12/09/2026 - 10:00, Rabu", "2026-12-09T10:00:00+07:00"),
        # The day-first reading falls on the day named, or neither does, or no day is named: day first.
        ("Minggu, 12/07/2026 - 08:46", "2026-07-12T08:46:00+07:00"),
        ("Rabu, 12/07/2026 - 08:46", "2026-07-12T08:46:00+07:00"),
        ("12/07/2026 08:46", "2026-07-12T08:46:00+07:00"),
        ("Selasa, 07/07/2026", "2026-07-07T00:00:00+07:00"),
        ("Selasa, 08/12/2026", "2026-12-08T00:00:00+07:00"),
    ],
)
def test_a_date_in_digits_is_read_the_way_that_falls_on_the_day_it_names(text: str, iso: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.iso() == iso


@pytest.mark.parametrize(("name", "number"), WEEKDAYS.items())
def test_every_weekday_spelling_turns_a_month_first_date(name: str, number: int) -> None:
    # A day of 2026 on the day named, written month first, whose day-first reading is not on that day.
    month_first = next(
        date(2026, m, d) for m in range(1, 13) for d in range(1, 13)
        if m != d and date(2026, m, d).weekday() == number != date(2026, d, m).weekday()
    )
    parsed = parse_date(f"{name.capitalize()}, {month_first:%m/%d/%Y} - 08:46")
    assert parsed is not None
    assert parsed.value.date() == month_first


# --- zones and the value object ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("WIB", WIB), ("wib", WIB), ("Wita", WITA), ("WITA", WITA), ("wit", WIT), (" WIT ", WIT)],
)
def test_zone_by_name(name: str, expected: timezone) -> None:
    assert zone(name) is expected


@pytest.mark.parametrize("name", ["CET", "", "WI", "Asia/Jakarta", "+07:00"])
def test_unknown_zone_is_a_clear_error(name: str) -> None:
    with pytest.raises(ValueError, match=r"unknown Indonesian time zone .*WIB, WITA, WIT"):
        zone(name)


def test_zone_offsets() -> None:
    offsets = {name: tz.utcoffset(None) for name, tz in ZONES.items()}
    assert offsets == {
        "WIB": timedelta(hours=7),
        "WITA": timedelta(hours=8),
        "WIT": timedelta(hours=9),
    }


def test_parsed_date_refuses_a_naive_value() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ParsedDate(value=datetime(2022, 6, 24), method="fast", has_time=False)  # noqa: DTZ001
