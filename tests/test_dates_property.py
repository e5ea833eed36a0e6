"""Properties of the date reader that must hold for any text, not only for the tables."""

import calendar
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.extract.date_words import (
    DAY_NAMES,
    MONTH_NAMES,
    NOISE_WORDS,
    RELATIVE_COUNTS,
    RELATIVE_ENDINGS,
    RELATIVE_UNITS,
    ZONE_NAMES,
)
from newscrawl.extract.dates import (
    MAX_YEAR,
    MIN_YEAR,
    WIB,
    WIT,
    WITA,
    ZONES,
    ParsedDate,
    parse_date,
    parse_machine_date,
)

# Text with digits reaches dateparser, whose first call loads its language data; a per-example
# deadline would fail on that one-off cost rather than on anything this module does.
THOROUGH = settings(deadline=None, max_examples=300)

METHODS = {"iso", "fast", "relative", "dateparser"}

PORTAL_ZONES: st.SearchStrategy[tzinfo] = st.one_of(
    st.sampled_from([WIB, WITA, WIT, UTC]),
    st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes))),
)
NOWS = st.none() | st.datetimes(
    min_value=datetime(1971, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive by design
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=PORTAL_ZONES,
)
MOMENTS = st.datetimes(
    min_value=datetime(1970, 1, 2),  # noqa: DTZ001
    max_value=datetime(2100, 12, 30),  # noqa: DTZ001
    timezones=PORTAL_ZONES,
).map(lambda moment: moment.replace(microsecond=0))

WORDS = sorted(
    {
        *(word for words in MONTH_NAMES for word in words),
        *DAY_NAMES,
        *ZONE_NAMES,
        *NOISE_WORDS,
        *RELATIVE_UNITS,
        *RELATIVE_COUNTS,
        *RELATIVE_ENDINGS,
        "pukul",
        "jam",
        "at",
        "kemarin",
        "hari ini",
        "baru saja",
        "gmt+7",
        "+0700",
        "+07:00",
        "t",
        "z",
        "pm",
        "am",
        "penulis:",
    }
)
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(str.upper),
    st.integers(0, 99_999).map(str),
    st.integers(0, 99).map("{:02d}".format),
)
GLUE = st.sampled_from(["", " ", ", ", " - ", " | ", ":", ".", "/", "-", "(", ") ", "T"])
DATE_ISH = st.lists(st.tuples(TOKENS, GLUE), max_size=14).map(
    lambda pairs: "".join(token + glue for token, glue in pairs)
)


def _check(parsed: ParsedDate | None) -> None:
    if parsed is None:
        return
    assert parsed.value.utcoffset() is not None
    assert parsed.method in METHODS
    assert MIN_YEAR <= parsed.value.year <= MAX_YEAR


@THOROUGH
@given(text=st.text(max_size=300), tz=PORTAL_ZONES, now=NOWS)
def test_parse_date_never_raises_on_any_text(text: str, tz: tzinfo, now: datetime | None) -> None:
    _check(parse_date(text, tz=tz, now=now))


@THOROUGH
@given(text=DATE_ISH, tz=PORTAL_ZONES, now=NOWS)
def test_parse_date_never_raises_on_date_ish_text(text: str, tz: tzinfo, now: datetime | None) -> None:
    _check(parse_date(text, tz=tz, now=now))


@THOROUGH
@given(text=st.text(max_size=300) | DATE_ISH, tz=PORTAL_ZONES)
def test_parse_machine_date_never_raises(text: str, tz: tzinfo) -> None:
    parsed = parse_machine_date(text, tz=tz)
    _check(parsed)
    # A printed date in markup ("1 Agustus 1970") is read as parse_date reads one; never as relative text.
    assert parsed is None or parsed.method in {"iso", "fast", "dateparser"}
    if parsed is not None and parsed.method != "iso":
        assert parse_date(text, tz=tz) == parsed


@given(moment=MOMENTS, tz=PORTAL_ZONES)
def test_iso_strings_round_trip(moment: datetime, tz: tzinfo) -> None:
    for parse in (parse_date, parse_machine_date):
        parsed = parse(moment.isoformat(), tz=tz)
        assert parsed is not None
        assert parsed.value == moment
        assert parsed.value.utcoffset() == moment.utcoffset()
        assert parsed.iso() == moment.isoformat()


@THOROUGH
@given(text=DATE_ISH, tz=PORTAL_ZONES)
def test_a_result_reads_back_from_its_own_iso(text: str, tz: tzinfo) -> None:
    parsed = parse_date(text, tz=tz, now=datetime(2024, 3, 31, 10, 30, tzinfo=WIB))
    if parsed is None:
        return
    again = parse_date(parsed.iso(), tz=tz)
    assert again is not None
    assert again.value == parsed.value.replace(microsecond=0)
    assert again.iso() == parsed.iso()


@st.composite
def printed_dates(draw: st.DrawFn) -> tuple[str, datetime]:
    """Render a moment the way portals print it, with any of the accepted spellings."""
    moment = draw(MOMENTS)
    zone_name = draw(st.sampled_from(sorted(ZONES)))
    month = draw(st.sampled_from(MONTH_NAMES[moment.month - 1]))
    day_name = draw(st.sampled_from(["", "- ", *(f"{name.capitalize()}, " for name in DAY_NAMES)]))
    before_clock = draw(st.sampled_from([" ", ", ", " - ", " | ", " pukul ", " jam ", " at "]))
    colon = draw(st.sampled_from([":", "."]))
    text = (
        f"{day_name}{moment.day} {month.capitalize()} {moment.year}{before_clock}"
        f"{moment.hour:02d}{colon}{moment.minute:02d} {zone_name}"
    )
    return text, moment.replace(second=0, tzinfo=ZONES[zone_name])


@given(printed=printed_dates(), tz=PORTAL_ZONES)
def test_printed_dates_read_exactly_on_the_fast_path(printed: tuple[str, datetime], tz: tzinfo) -> None:
    text, expected = printed
    parsed = parse_date(text, tz=tz)
    assert parsed is not None
    assert (parsed.value, parsed.value.utcoffset(), parsed.method) == (
        expected,
        expected.utcoffset(),
        "fast",
    )


@given(moment=MOMENTS, tz=PORTAL_ZONES, padded=st.booleans())
def test_numeric_dates_are_day_first(moment: datetime, tz: tzinfo, padded: bool) -> None:
    day, month = (
        (f"{moment.day:02d}", f"{moment.month:02d}")
        if padded
        else (
            str(moment.day),
            str(moment.month),
        )
    )
    parsed = parse_date(f"{day}/{month}/{moment.year} {moment.hour:02d}:{moment.minute:02d}", tz=tz)
    assert parsed is not None
    assert parsed.value == moment.replace(second=0, tzinfo=tz)
    assert parsed.value.utcoffset() == tz.utcoffset(None)


NOW_RANGE = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=PORTAL_ZONES,
)


@given(now=NOW_RANGE, hours=st.integers(0, 9999), tz=PORTAL_ZONES)
def test_hours_ago_is_an_exact_instant(now: datetime, hours: int, tz: tzinfo) -> None:
    parsed = parse_date(f"{hours} jam yang lalu", tz=tz, now=now)
    assert parsed is not None
    assert parsed.value == now - timedelta(hours=hours)
    assert parsed.has_time


@given(now=NOW_RANGE, months=st.integers(0, 300), tz=PORTAL_ZONES)
def test_months_ago_are_calendar_months(now: datetime, months: int, tz: tzinfo) -> None:
    parsed = parse_date(f"{months} bulan lalu", tz=tz, now=now)
    assert parsed is not None
    local_today = now.astimezone(tz).date()
    got = parsed.value
    assert (local_today.year * 12 + local_today.month) - (got.year * 12 + got.month) == months
    assert got.day == min(local_today.day, calendar.monthrange(got.year, got.month)[1])
    assert (got.hour, got.minute, got.second, parsed.has_time) == (0, 0, 0, False)
    assert got.utcoffset() == tz.utcoffset(None)
