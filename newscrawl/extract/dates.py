"""Publication dates of Indonesian news articles: text in, timezone-aware datetimes out.

What it is for
    Turning the dates that regional portals print ("Jum'at, 19 Juni 2015 - 11:58 wib",
    "Senin (3/10/2022) pukul 14.30 WIB", "6 Nop 2019", "2 jam yang lalu") and the dates they
    put in their markup (JSON-LD ``datePublished``, ``article:published_time``,
    ``<time datetime>``) into timezone-aware datetimes, and choosing between the two.

What it must never do
    Raise on any text; return a naive datetime; answer "now" (or any other guess) for a
    date it cannot read; guess a missing year; read more than the first
    ``MAX_INPUT_CHARS`` characters; make a request or import Scrapy.

How a string is read (``ParsedDate.method`` says which route answered)
    ``"iso"``: a strict machine grammar: ISO 8601 and the slips seen in the wild (``+0700``,
    dashes in the time, ``+07:00Z``), plus unix epoch digits in ``parse_machine_date`` only.
    ``"fast"``: precompiled patterns over the month, zone and day-name tables below; a date is
    day-month-year (Indonesian order), year-month-day or month-day-year with the month in words
    ("June 24, 2022 3:44 PM"), with an optional clock before or after it; one in digits is
    month first only when the day it names says so ("Senin, 12/07/2026": Drupal's format).
    Other words around the date ("Diperbarui", a byline) are skipped.
    ``"relative"``: "2 jam yang lalu", "kemarin", "baru saja", anchored on ``now``.
    ``"dateparser"``: the fallback for absolute dates the fast path does not know ("24/06/22":
    two-digit years). It may only return a date that names day, month and year, and never reads
    relative text, because its clock is the wall clock rather than the caller's ``now``.

Relative semantics (``now`` is first converted to the portal's ``tz``)
    seconds, minutes, hours: the instant ``now - N units``; ``has_time`` is True, and the
    precision is the unit (``reckoned_in``: "2 jam lalu" states hours, no clock).
    days, weeks: the calendar date ``N`` (or ``7 * N``) days before today, at 00:00.
    months, years: the same day ``N`` calendar months (``12 * N``) back, clamped to the end of
    a shorter month (31 March minus one month is 29 February in a leap year), at 00:00.
    "hari ini", "kemarin", "kemarin lusa": today, yesterday, the day before yesterday at 00:00,
    or at the clock that follows ("kemarin, 15:30"). "baru saja": ``now`` itself.
    Dates from days up are date-only (``has_time`` False). The bare words must be the whole
    text (after leading noise), so a headline that merely says "kemarin" is not a date.
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import Final, NamedTuple

from newscrawl.extract.date_fallback import read_with_dateparser
from newscrawl.extract.date_value import Method, ParsedDate, Precision
from newscrawl.extract.date_words import (
    BYLINE_WORDS,
    DAY_NAMES,
    DAYS_BACK_WORDS,
    MONTHS,
    NOISE_WORDS,
    NOW_WORDS,
    RELATIVE_COUNTS,
    RELATIVE_ENDINGS,
    RELATIVE_UNITS,
    WEEKDAYS,
    WIB,
    WIT,
    WITA,
    ZONE_NAMES,
    ZONES,
    Unit,
)
from newscrawl.extract.date_zones import zone, zone_from_text
from newscrawl.extract.text import word_alternation

__all__ = [
    "MAX_INPUT_CHARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "WIB",
    "WIT",
    "WITA",
    "ZONES",
    "Method",
    "ParsedDate",
    "Precision",
    "date_margins",
    "is_clock",
    "is_relative",
    "parse_date",
    "parse_machine_date",
    "zone",
]

MAX_INPUT_CHARS: Final = 200
"""Only this many leading characters are read, so a hostile huge string costs no more."""
MIN_YEAR: Final = 1970
MAX_YEAR: Final = 2100
"""Years outside this range are not publication dates (a future date inside it is kept)."""


# ---------------------------------------------------------------------------------------------
# Patterns built from the tables.


# What may stand between a date and its clock: punctuation, brackets, bullets and dashes.
_GAP = r"[\s,|/()@\u00b7\u2022\-\u2013\u2014]"
_ZONE = (
    r"(?P<zone>(?:gmt|utc)\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?|[+-][0-9]{2}:?[0-9]{2}|"
    rf"{word_alternation(ZONE_NAMES)})(?![a-z0-9])"
)
_CLOCK = (
    r"(?<![0-9])(?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})"
    r"(?:[:.](?P<second>[0-9]{2})(?:[.,][0-9]{1,9})?)?(?![0-9])"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?(?![a-z]))?"
    rf"(?:\s*\(?{_ZONE}\)?)?"
)
# Between a date and its clock: gaps, a label ("pukul", "Waktu:"), a Hijri date ("26 Jumadil Akhir 1448 H").
_HIJRI = r"[0-9]{1,2}\s+[a-z'\s]{3,24}?\s*1[34][0-9]{2}\s*h(?:ijriah)?\.?(?![a-z])"
_CLOCK_AFTER: Final = re.compile(rf"(?:{_GAP}|:|pukul|pkl\.?|jam|waktu|at|t(?=[0-9])|{_HIJRI})*{_CLOCK}")
_CLOCK_BEFORE: Final = re.compile(rf"{_CLOCK}(?:{_GAP}|{word_alternation(DAY_NAMES)})*$")
# Day-month-year with a month word, day/month/year in digits, or year-month-day. The digit
# look-arounds keep a day or a year from being cut out of a longer number ("32 Januari").
_DATE: Final = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<day_t>[0-9]{1,2})(?:st|nd|rd|th)?[\s.\-/]*(?P<month_t>[a-z]+)\.?[\s,.\-/]*"
    r"(?P<year_t>[0-9]{4})"
    r"|(?P<day_n>[0-9]{1,2})(?P<sep_n>[/.\-])(?P<month_n>[0-9]{1,2})(?P=sep_n)(?P<year_n>[0-9]{4})"
    r"|(?P<year_i>[0-9]{4})(?P<sep_i>[/.\-])(?P<month_i>[0-9]{1,2})(?P=sep_i)(?P<day_i>[0-9]{1,2})"
    # Month first, in words ("June 24, 2022", "Januari 30, 2017"): only a month's name opens it.
    rf"|(?<![a-z])(?P<month_f>{word_alternation(MONTHS)})\.?\s+(?P<day_f>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+"
    r"(?P<year_f>[0-9]{4})"
    r")(?![0-9])"
)
_YEAR_FIRST: Final = re.compile(r"[0-9]{4}")
_FULL_YEAR: Final = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_WEEKDAY: Final = re.compile(rf"(?<![a-z])(?:{word_alternation(WEEKDAYS)})(?![a-z])")
_ISO: Final = re.compile(
    r"(?P<year>[0-9]{4})(?P<sep>[-/])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    # The same separator throughout the clock, so the "-07" of "15:13-07" is an offset, while
    # "14-05-11" (a slip seen in real markup) is still a time.
    r"(?:[t ](?P<hour>[0-9]{1,2})(?P<tsep>[:.\-])(?P<minute>[0-9]{2})"
    r"(?:(?P=tsep)(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]{1,9}))?)?)?"
    # "+07:00Z" happens: the explicit offset wins and the stray Z is dropped.
    r" ?(?P<zone>z|utc|gmt|[+-][0-9]{2}(?::?[0-9]{2})?)?z?"
)
_ISO_FIELDS: Final = ("year", "month", "day", "hour", "minute", "second", "fraction", "zone")
_EPOCH: Final = re.compile(r"(?P<seconds>[0-9]{9,10})(?:\.(?P<fraction>[0-9]{1,9}))?|(?P<ms>[0-9]{13})")
_RELATIVE_COUNTED: Final = re.compile(
    rf"(?<![a-z0-9])(?P<count>[0-9]{{1,4}}|{word_alternation(RELATIVE_COUNTS)})\s*"
    rf"(?P<unit>{word_alternation(RELATIVE_UNITS)})\s+(?:{word_alternation(RELATIVE_ENDINGS)})"
    r"(?![a-z])"
)
_RELATIVE_WORD: Final = re.compile(rf"(?P<word>{word_alternation((*NOW_WORDS, *DAYS_BACK_WORDS))})(?![a-z'])")
_LEADING_NOISE: Final = re.compile(
    rf"(?:[\s\-\u2013\u2014|\u00b7\u2022:,;.]|(?:{word_alternation(NOISE_WORDS)})(?![a-z])"
    rf"|(?:{word_alternation(BYLINE_WORDS)})(?![a-z])[^|\-\u2013\u2014,]*[|\-\u2013\u2014,])*"
)
_TRAILING_GAP: Final = " ,.|-\u2013\u2014"

_UNIT_LENGTHS: Final[Mapping[Unit, timedelta]] = MappingProxyType(
    {
        "seconds": timedelta(seconds=1),
        "minutes": timedelta(minutes=1),
        "hours": timedelta(hours=1),
        "days": timedelta(days=1),
        "weeks": timedelta(weeks=1),
    }
)
_CLOCK_UNITS: Final = frozenset({"seconds", "minutes", "hours"})
_RECKONED_IN: Final[Mapping[Unit, Precision]] = MappingProxyType(
    {"seconds": "second", "minutes": "minute", "hours": "hour"},
)


class _Clock(NamedTuple):
    wall: time
    zone: tzinfo | None
    seconds: bool = False
    # "24:00" is the next day's 00:00.
    days: int = 0


# ---------------------------------------------------------------------------------------------
# Public API.


def parse_date(text: str | None, *, tz: tzinfo = WIB, now: datetime | None = None) -> ParsedDate | None:
    """Read a date as a portal prints it; None when unreadable. Never raises.

    ``tz`` is the portal's own zone, used when the text names none. ``now`` (timezone-aware;
    a naive one is taken to be in ``tz``) anchors relative text and defaults to the current
    time in ``tz``.
    """
    cleaned = _normalise(text)
    if not cleaned:
        return None
    return (
        _parse_iso(cleaned, tz)
        or _parse_fast(cleaned, tz)
        or _parse_relative(cleaned, tz, now)
        or _parse_with_dateparser(cleaned, tz)
    )


def parse_machine_date(text: str | None, *, tz: tzinfo = WIB) -> ParsedDate | None:
    """Read a machine-readable date (JSON-LD, meta tags, ``<time datetime>``). Never raises.

    Accepts ISO 8601 with or without a colon in the offset, "Z", naive times (taken to be in
    ``tz``), dashes in the time, "+07:00Z" (the offset wins), date-only, fractional seconds,
    and unix epoch digits (seconds; 13 digits are milliseconds). A value that does not open
    with a year is read as an absolute date with a four-digit year, as ``parse_date`` reads one
    ("Senin, 07 Desember 2026 08:46 WIB", "07-12-2026 08:46", "Mon, 07 Dec 2026 01:46:00 GMT"):
    some CMSs put the printed date in their markup. One that opens with a year and breaks the
    grammar further on ("2016-02-23 T16:00:20Z", a clock of 25:00, "2020-13-01") is refused:
    which part is wrong cannot be told. Never relative text: markup has no "now".
    """
    cleaned = _normalise(text)
    if not cleaned:
        return None
    read = _parse_iso(cleaned, tz) or _parse_epoch(cleaned, tz)
    if read is not None or _YEAR_FIRST.match(cleaned) or not _FULL_YEAR.search(cleaned):
        return read
    return _parse_fast(cleaned, tz) or _parse_with_dateparser(cleaned, tz)


def is_clock(text: str) -> bool:
    """Whether `text` is a clock alone, with its zone or "pukul" ("08:46 WITA", "Pukul 08.46 WIB")."""
    return _CLOCK_AFTER.fullmatch(_normalise(text)) is not None


def date_margins(text: str) -> tuple[str, str] | None:
    """What stands before and after the first calendar date `text` states with its clock, if any.

    Lower case, and what follows without its trailing gaps: "Makassar, 7 Desember 2026 - 08:46
    WITA" -> ("makassar, ", ""). The date is found as `parse_date` finds it.
    """
    text = _normalise(text)
    for match in _DATE.finditer(text):
        if _date_from(match, text) is not None:
            clock = _CLOCK_AFTER.match(text, match.end())
            after = text[clock.end() if clock is not None else match.end() :]
            return text[: match.start()], after.strip(_TRAILING_GAP)
    return None


# ---------------------------------------------------------------------------------------------
# The routes.


def _normalise(text: str | None) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(text[:MAX_INPUT_CHARS].split()).lower()


def _parse_iso(text: str, tz: tzinfo) -> ParsedDate | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    year, month, day_text, hour, minute, second, fraction, zone_text = match.group(*_ISO_FIELDS)
    found_zone = zone_from_text(zone_text) if zone_text else None
    if zone_text and found_zone is None:
        return None
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if hour is None or hour == "24":  # a date alone, or the end of the day (00:00 of the next)
        day = _calendar_date(int(year), int(month), int(day_text))
        wall = _wall_clock(24, int(minute), int(second or 0)) if hour else None
        if day is None or (hour and wall is None):
            return None
        clock = _Clock(wall[0].replace(microsecond=micro), found_zone, second is not None, wall[1]) if wall else None
        return _compose(day, clock, found_zone or tz, "iso")
    # Any other clock, built at once: datetime() refuses the dates `_calendar_date` refuses (`_result` the
    # years out of range) and the clocks `_wall_clock` refuses (an hour past 23, a minute or second past 59).
    try:
        value = datetime(int(year), int(month), int(day_text), int(hour), int(minute), int(second or 0), micro,
                         found_zone or tz)
    except ValueError:
        return None
    return _result(value, "iso", has_time=True, seconds=second is not None)


def _parse_epoch(text: str, tz: tzinfo) -> ParsedDate | None:
    match = _EPOCH.fullmatch(text)
    if match is None:
        return None
    if match["ms"] is not None:
        offset = timedelta(milliseconds=int(match["ms"]))
    else:
        fraction = (match["fraction"] or "")[:6].ljust(6, "0")
        offset = timedelta(seconds=int(match["seconds"]), microseconds=int(fraction))
    try:
        value = (datetime(1970, 1, 1, tzinfo=UTC) + offset).astimezone(tz)
    except (OverflowError, ValueError):
        return None
    return _result(value, "iso", has_time=True, seconds=True)


def _parse_fast(text: str, tz: tzinfo) -> ParsedDate | None:
    for match in _DATE.finditer(text):
        day = _date_from(match, text)
        if day is None:
            continue
        clock_match = _CLOCK_AFTER.match(text, match.end()) or _CLOCK_BEFORE.search(text, 0, match.start())
        clock = _clock_from(clock_match) if clock_match is not None else None
        parsed = _compose(day, clock, tz, "fast")
        if parsed is not None:
            return parsed
    return None


def _parse_relative(text: str, tz: tzinfo, now: datetime | None) -> ParsedDate | None:
    counted = _RELATIVE_COUNTED.search(text)
    if counted is not None:
        base = _anchor(now, tz)
        if base is None:
            return None
        count_text = counted["count"]
        count = int(count_text) if count_text.isdigit() else RELATIVE_COUNTS[count_text]
        return _shift(base, RELATIVE_UNITS[counted["unit"]], count, tz)
    return _parse_relative_word(_strip_noise(text), tz, now)


def is_relative(text: str | None) -> bool:
    """Whether `text` is a date reckoned from when it is read, and nothing else but a label before it.

    "2 jam yang lalu", "Diposting 3 hari lalu", "Kemarin, 08:46", "baru saja"; not a sentence that
    holds one ("Kasus yang terjadi 3 tahun lalu"), nor a date with more after it.
    """
    text = _strip_noise(_normalise(text))
    counted = _RELATIVE_COUNTED.match(text)
    if counted is not None:
        return not text[counted.end() :].strip(_TRAILING_GAP)
    return _relative_word(text) is not None


def _relative_word(text: str) -> tuple[str, re.Match[str] | None] | None:
    """The relative word `text` is ("kemarin", "baru saja") and the clock after it, if it is one and nothing more."""
    match = _RELATIVE_WORD.match(text)
    if match is None:
        return None
    word = match["word"]
    end = match.end()
    clock_match = None if word in NOW_WORDS else _CLOCK_AFTER.match(text, end)
    if clock_match is not None:
        end = clock_match.end()
    if text[end:].strip(_TRAILING_GAP):
        return None
    return word, clock_match


def _parse_relative_word(text: str, tz: tzinfo, now: datetime | None) -> ParsedDate | None:
    found = _relative_word(text)
    if found is None:
        return None
    word, clock_match = found
    base = _anchor(now, tz)
    if base is None:
        return None
    if word in NOW_WORDS:
        parsed = _result(base, "relative", has_time=True)
        return parsed and replace(parsed, reckoned_in="minute")
    clock = _clock_from(clock_match) if clock_match is not None else None
    try:
        day = base.date() - timedelta(days=DAYS_BACK_WORDS[word])
    except OverflowError:
        return None
    return _compose(day, clock, tz, "relative")


def _parse_with_dateparser(text: str, tz: tzinfo) -> ParsedDate | None:
    read = read_with_dateparser(_strip_noise(text), tz)
    return _result(read[0], "dateparser", has_time=read[1]) if read is not None else None


# ---------------------------------------------------------------------------------------------
# Helpers.


def _calendar_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_from(match: re.Match[str], text: str) -> date | None:
    day, month_word, year = match.group("day_t", "month_t", "year_t")
    if month_word is not None:
        month = MONTHS.get(month_word)
        if month is None:
            return None
        return _calendar_date(int(year), month, int(day))
    if match["month_f"] is not None:
        return _calendar_date(int(match["year_f"]), MONTHS[match["month_f"]], int(match["day_f"]))
    if match["month_n"] is not None:
        first, second, year_n = int(match["day_n"]), int(match["month_n"]), int(match["year_n"])
        read = _calendar_date(year_n, second, first)
        if read is None and second > 12:  # no 13th month: the month stands first ("11/13/2026", US order)
            return _calendar_date(year_n, first, second)
        # The day could be the month: a weekday named may tell.
        return _by_weekday(read, text, match) if read is not None and first != second and first <= 12 else read
    return _calendar_date(int(match["year_i"]), int(match["month_i"]), int(match["day_i"]))


def _by_weekday(read: date, text: str, match: re.Match[str]) -> date:
    """`read` (day first), or its month-first reading when only that one falls on the day `text` names.

    The day named is the last one before the date, else the first after it.
    """
    swapped = _calendar_date(read.year, read.day, read.month)
    if swapped is None:
        return read
    before = _WEEKDAY.findall(text, 0, match.start())
    named = before[-1] if before else (after.group() if (after := _WEEKDAY.search(text, match.end())) else None)
    if named is not None and read.weekday() != WEEKDAYS[named] == swapped.weekday():
        return swapped
    return read


def _wall_clock(hour: int, minute: int, second: int) -> tuple[time, int] | None:
    """The clock and the days it adds: "24:00" is 00:00 of the next day."""
    if hour == 24 and minute == second == 0:  # the end of the day
        return time(), 1
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second), 0


def _clock_from(match: re.Match[str]) -> _Clock | None:
    """Read a clock matched by ``_CLOCK``; None when it is no valid time (the date still is)."""
    hour_text, minute, second, ampm, zone_text = match.group("hour", "minute", "second", "ampm", "zone")
    hour = int(hour_text)
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    wall = _wall_clock(hour, int(minute), int(second or 0))
    found_zone = zone_from_text(zone_text) if zone_text else None
    if wall is None or (zone_text and found_zone is None):
        return None
    return _Clock(wall[0], found_zone, second is not None, wall[1])


def _compose(day: date, clock: _Clock | None, tz: tzinfo, method: Method) -> ParsedDate | None:
    if clock is None:
        return _result(datetime.combine(day, time(), tzinfo=tz), method, has_time=False)
    value = datetime.combine(day, clock.wall, tzinfo=clock.zone or tz)
    if clock.days:
        try:
            value += timedelta(days=clock.days)
        except OverflowError:
            return None
    return _result(value, method, has_time=True, seconds=clock.seconds)


def _result(value: datetime, method: Method, *, has_time: bool, seconds: bool = False) -> ParsedDate | None:
    if value.utcoffset() is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return ParsedDate(value, method, has_time, seconds)


def _anchor(now: datetime | None, tz: tzinfo) -> datetime | None:
    if now is None:
        return datetime.now(tz)
    if now.utcoffset() is None:
        now = now.replace(tzinfo=tz)
    try:
        return now.astimezone(tz)
    except (OverflowError, ValueError):
        return None


def _shift(base: datetime, unit: Unit, count: int, tz: tzinfo) -> ParsedDate | None:
    try:
        if unit in _CLOCK_UNITS:
            parsed = _result(base - count * _UNIT_LENGTHS[unit], "relative", has_time=True)
            return parsed and replace(parsed, reckoned_in=_RECKONED_IN[unit])
        today = base.date()
        if unit in _UNIT_LENGTHS:
            day: date | None = today - count * _UNIT_LENGTHS[unit]
        else:
            day = _months_back(today, count * (12 if unit == "years" else 1))
    except OverflowError:
        return None
    return _compose(day, None, tz, "relative") if day is not None else None


def _months_back(day: date, months: int) -> date | None:
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < MIN_YEAR:
        return None
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def _strip_noise(text: str) -> str:
    match = _LEADING_NOISE.match(text)
    return text[match.end() :] if match is not None else text
