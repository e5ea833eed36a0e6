"""The fallback reader of absolute dates the fast path does not know: dateparser, one parser per offset.

What it is for
    ``parse_date``'s last route (newscrawl/extract/dates.py): two-digit years ("24/06/22"), a year
    before its day and month in words, and the other absolute forms dateparser reads, in the
    portal's zone, with the languages and settings of `date_words` (which refuse relative text and
    a missing day, month or year). Its answer for a text and an offset is remembered for the
    process (`_read`): a site's furniture that looks like a date comes back on every page.

What it must never do
    Read relative text (dateparser's clock is the wall clock, not the crawl's ``now``); raise on
    any text (a bug in dateparser costs one date, never the crawl); return a naive datetime;
    build a parser per call (building one costs more than a parse).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any, Final, Protocol

from newscrawl.extract.date_words import DATEPARSER_LANGUAGES, DATEPARSER_SETTINGS

__all__ = ["read_with_dateparser"]

# Every date dateparser may return here names a year: text without a digit is not worth its millisecond.
_DIGIT: Final = re.compile(r"[0-9]")


class _DateDataParserLike(Protocol):
    def get_date_data(self, date_string: str) -> Any: ...


def read_with_dateparser(text: str, tz: tzinfo) -> tuple[datetime, bool] | None:
    """The date dateparser reads in `text` (leading noise already stripped) in zone `tz`, and whether it has a time.

    None for text without a digit, a zone without an offset, or anything dateparser does not read
    as an aware date.
    """
    if _DIGIT.search(text) is None:
        return None
    offset = _offset_setting(tz)
    if offset is None:
        return None
    read = _read(text, offset)
    if read is None:
        return None
    value, has_time = read
    try:
        return value.astimezone(tz), has_time
    except (OverflowError, ValueError):
        return None


# A site's furniture ("Copyright © Antara 2016" in a date-like box) comes back on every page of it,
# and dateparser takes 0.3-1 ms to refuse it each time: its answer for a text and an offset is
# remembered. It is the same every time: its settings read only absolute dates with a day, a month
# and a year, never today's date.
@lru_cache(maxsize=1024)
def _read(text: str, offset: str) -> tuple[datetime, bool] | None:
    """What dateparser reads in `text` at `offset`: an aware date and whether it has a time; None otherwise."""
    try:
        data = _dateparser_for(offset).get_date_data(text)
    except Exception:  # noqa: BLE001 - third-party code on hostile text: a bug there must cost one date, not the crawl
        return None
    value = data.date_obj
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    return value, "time" in data.parts


def _offset_setting(tz: tzinfo) -> str | None:
    """Return ``tz``'s current offset as dateparser's TIMEZONE setting, e.g. "+0700"."""
    offset = datetime.now(UTC).astimezone(tz).utcoffset()
    if offset is None:
        return None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{minutes:02d}"


@lru_cache(maxsize=16)
def _dateparser_for(offset: str) -> _DateDataParserLike:
    # One configured parser per portal offset: building one costs more than a parse. dateparser is
    # imported here, when a date first needs it (none of the benchmark's 30 does): importing it
    # compiles its patterns, 20-70 ms of every crawl's start-up.
    from dateparser.date import DateDataParser  # noqa: PLC0415 - imported when first needed, above

    parser: _DateDataParserLike = DateDataParser(
        languages=list(DATEPARSER_LANGUAGES),
        settings={**DATEPARSER_SETTINGS, "TIMEZONE": offset},
    )
    return parser
