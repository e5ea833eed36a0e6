"""The words and tables Indonesian dates are read with: months, days, zones, relative units, noise.

Rules as data, used by `newscrawl.extract.dates`: every word is lower case (text is lower-cased
before it is read), and each table is shown firing in tests/test_dates.py. Pure data: nothing here
reads text or imports anything of the project.
"""

from collections.abc import Mapping
from datetime import UTC, timedelta, timezone
from types import MappingProxyType
from typing import Final, Literal

WIB: Final[timezone] = timezone(timedelta(hours=7), "WIB")
WITA: Final[timezone] = timezone(timedelta(hours=8), "WITA")
WIT: Final[timezone] = timezone(timedelta(hours=9), "WIT")
ZONES: Final[Mapping[str, timezone]] = MappingProxyType({"WIB": WIB, "WITA": WITA, "WIT": WIT})


MONTH_NAMES: Final[tuple[tuple[str, ...], ...]] = (
    ("januari", "jan", "january"),
    ("februari", "feb", "pebruari", "peb", "february"),
    ("maret", "mar", "march"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("agustus", "agu", "ags", "agt", "aug", "august"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october"),
    ("november", "nov", "nop", "nopember"),
    ("desember", "des", "dec", "december"),
)
"""Spellings of each month, January first: Indonesian (with the old "Pebruari"/"Nopember"
spellings and every short form portals use) and English, which republika mixes in."""

MONTHS: Final[Mapping[str, int]] = MappingProxyType(
    {word: number for number, words in enumerate(MONTH_NAMES, start=1) for word in words}
)

DAY_NAMES: Final[tuple[str, ...]] = (
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "jum'at",
    "jum\u2019at",
    "sabtu",
    "minggu",
    "ahad",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
"""Day names are never needed to read a date with a month word; they are named so a clock printed
before the date ("15:44 WIB, Jumat 24 Juni 2022") can be joined to it across them."""

WEEKDAYS: Final[Mapping[str, int]] = MappingProxyType(
    {
        word: number
        for number, words in enumerate(
            (
                ("senin", "sen", "monday", "mon"),
                ("selasa", "sel", "tuesday", "tue", "tues"),
                ("rabu", "rab", "wednesday", "wed"),
                ("kamis", "kam", "thursday", "thu", "thur", "thurs"),
                ("jumat", "jum'at", "jum\u2019at", "jum", "friday", "fri"),
                ("sabtu", "sab", "saturday", "sat"),
                ("minggu", "ahad", "min", "sunday", "sun"),
            )
        )
        for word in words
    }
)
"""Day names and their short forms, Monday 0 (`date.weekday()`). A date in digits whose day and
month could be swapped ("12/07/2026": Drupal's default format prints month first, Indonesian
pages day first) is read the way that falls on the day the text names, when only one way does."""

ZONE_NAMES: Final[Mapping[str, timezone]] = MappingProxyType(
    {
        "wib": WIB,
        "wita": WITA,
        "wit": WIT,
        # The zones' names written out, as some portals print them.
        "waktu indonesia barat": WIB,
        "waktu indonesia tengah": WITA,
        "waktu indonesia timur": WIT,
        "utc": UTC,
        "gmt": UTC,
        "z": UTC,
    }
)

PUBLISH_LABELS: Final[tuple[str, ...]] = (
    "dipublikasikan",
    "dipublish",
    "diterbitkan",
    "terbit",
    "diunggah",
    "ditayangkan",
    "tayang",
    "diposting",
    "diposkan",  # Blogger's Indonesian "Diposkan oleh … pada"
    "dimuat",
    "dirilis",
    "ditulis",
    "dikirim",  # Drupal's Indonesian "Dikirim oleh admin pada"
    "dibuat",  # Joomla's Indonesian "Dibuat:"
    "published",
    "posted",
    "written",
    "created",
    "submitted",  # Drupal's "Submitted by admin on"
)
"""Labels printed before the date an article was published (or, by a CMS, created)."""

UPDATE_LABELS: Final[tuple[str, ...]] = (
    "diperbarui",
    "terakhir diperbarui",
    "diupdate",
    "pembaruan",
    "last updated",
    "last update",
    "updated",
    "update",
    "modified",
)
"""Labels printed before the date an article was last changed: a visible date after one of these
is a modification's (`extract.candidates`)."""

NOISE_WORDS: Final[tuple[str, ...]] = (*PUBLISH_LABELS, *UPDATE_LABELS, "tanggal", "tgl", "pada", "on")
"""Labels printed before a date. The fast path skips any text before a date anyway; these are
stripped for the bare relative words and for dateparser, which both need the date alone."""

BYLINE_WORDS: Final[tuple[str, ...]] = ("penulis", "reporter", "editor", "oleh", "by")
"""A byline before the date runs from one of these words to the next separator."""

Unit = Literal["seconds", "minutes", "hours", "days", "weeks", "months", "years"]

RELATIVE_UNIT_NAMES: Final[tuple[tuple[Unit, tuple[str, ...]], ...]] = (
    ("seconds", ("detik", "second", "seconds", "sec", "secs")),
    ("minutes", ("menit", "minute", "minutes", "min", "mins")),
    ("hours", ("jam", "hour", "hours", "hr", "hrs")),
    ("days", ("hari", "day", "days")),
    ("weeks", ("minggu", "pekan", "week", "weeks")),
    ("months", ("bulan", "month", "months")),
    ("years", ("tahun", "year", "years")),
)
RELATIVE_UNITS: Final[Mapping[str, Unit]] = MappingProxyType(
    {word: unit for unit, words in RELATIVE_UNIT_NAMES for word in words}
)

COUNT_NAMES: Final[tuple[tuple[str, ...], ...]] = (
    ("se", "satu", "a", "an", "one"),
    ("dua", "two"),
    ("tiga", "three"),
    ("empat", "four"),
    ("lima", "five"),
    ("enam", "six"),
    ("tujuh", "seven"),
    ("delapan", "eight"),
    ("sembilan", "nine"),
    ("sepuluh", "ten"),
)
"""Counts written as words, one first; "se" is the prefix of "sejam", "sehari", "sebulan"."""
RELATIVE_COUNTS: Final[Mapping[str, int]] = MappingProxyType(
    {word: count for count, words in enumerate(COUNT_NAMES, start=1) for word in words}
)

RELATIVE_ENDINGS: Final[tuple[str, ...]] = ("yang lalu", "lalu", "silam", "ago")

NOW_WORDS: Final[tuple[str, ...]] = ("baru saja", "barusan", "just now")

DAYS_BACK_WORDS: Final[Mapping[str, int]] = MappingProxyType(
    {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1, "kemarin lusa": 2}
)

DATEPARSER_LANGUAGES: Final[tuple[str, ...]] = ("id", "en")
DATEPARSER_SETTINGS: Final[Mapping[str, object]] = MappingProxyType(
    {
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": True,
        # A date that lacks a part is not a publication date: never let dateparser fill the
        # year or the day in from today.
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        # Relative text is read here against the caller's `now`; dateparser's own reading
        # would use the wall clock, and timestamps are for parse_machine_date.
        "PARSERS": ["custom-formats", "absolute-time"],
    }
)
"""Settings of the dateparser fallback, less TIMEZONE, which is the portal's offset."""
