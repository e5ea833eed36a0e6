"""The article's publication date, chosen from every date its page states (`extract.candidates`).

What it is for
    One rule, the same for every site (README, "Dates"):
    1. The page's zone: the clock the article's visible date is on, the local zone it prints
       ("08:46 WITA") or the one its clock shows the machine instant in (08:46 printed for 00:46Z
       or for 07:46+07:00: WITA), else the zone the article's own dates state (an offset in its
       head or by its headline), else an offset of the page's own clock before the headline (a
       header's "today"), else the zone `decide` is given: the registry's for the page (by its
       identity, then by the crawled host), for a site no one registered the zone its other
       clocks print (`extract.site_clock`) or its region's (`extract.site_place`; chosen by
       `extract.clean.set_dates`), else WIB. Dates that name no zone are read in it; UTC and
       foreign offsets (Blogger's Pacific time) are converted to it. The dates chosen are given on
       the clock the visible date prints, when it prints a local zone (a markup's 08:46+07:00
       beside "09:46 WITA" is 09:46+08:00).
    2. Published: the first machine date (JSON-LD, meta, the article's attributes, then what
       its scripts state when nothing else does; one stating a local offset before one in UTC),
       checked against the visible date nearest the headline. A UTC machine time whose wall
       clock is the visible local clock (or whose UTC day is the visible day while its local day
       is not) is local time labelled UTC ("text+zone_fix"); so is a local offset whose wall
       clock is the visible clock printed in another local zone (08:46+07:00 beside "08:46
       WITA": a CMS's default offset). A machine date without a clock gives way to a visible
       one with a clock on that day. Without a machine date: the visible date; a date-only one
       takes the clock of a machine time of the article on that day. Without either: the URL's
       date ("url"), else the date of the dateline the body opens with ("KENDARI, Senin
       (7/12/2026) - ...": "dateline"), else of the line it closes with, a date alone
       ("Makassar, 7 Desember 2026": "signoff").
    3. Modified: the first machine modified date, read like the published one, else the visible
       date an update label names ("Diperbarui ..."); earlier than the published date it is no
       modification and is left out. A page stating only a modification keeps it (the
       publication stays unknown).

What it must never do
    Invent a date (never "now"), prefer a date of another part of the page over the article's,
    raise, or import Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Final, NamedTuple

from newscrawl.extract import dates
from newscrawl.extract.candidates import Candidate, nearest_visible

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.extract.dates import ParsedDate

LOCAL_OFFSETS: Final = frozenset({timedelta(hours=7), timedelta(hours=8), timedelta(hours=9)})
# A zone read from no text at all: the marker that a date named no zone of its own.
_UNSTATED: Final = timezone(timedelta(hours=7), "unstated")
_MACHINE_ORDER: Final = {"json-ld": 0, "meta": 1, "time": 2, "attr": 3, "script": 4}
# The lines of the body that date it, read as printed text and only as the last witnesses: the
# dateline it opens with, the sign-off it closes with.
_BODY_LINES: Final = frozenset({"dateline", "signoff"})
_SAME_INSTANT: Final = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Decision:
    """What the page's dates say: the published date, where it came from, its precision, the modified date."""

    published: datetime | None = None
    source: str | None = None
    precision: str | None = None
    raw: str | None = None
    modified: datetime | None = None
    zone_fixed: bool = False
    # The page's zone is the one `decide` was given: no date of the page stated or showed another.
    zone_given: bool = False
    # Something was stated but nothing could be read.
    unreadable: bool = False


class _Read(NamedTuple):
    candidate: Candidate
    date: ParsedDate
    stated: bool  # the text named its own zone (an offset, "Z", "WIB")
    local: bool  # stated, in an Indonesian zone

    @property
    def foreign(self) -> bool:
        """Stated in UTC or a non-Indonesian offset: the instant is right, the zone is not the page's."""
        return self.stated and not self.local


# One reading per text and reader (True for visible text) in one zone: a page states a date several times.
_Readings = dict[tuple[bool, str], "ParsedDate | None"]


def _parse(candidate: Candidate, tz: tzinfo, now: datetime, readings: _Readings) -> ParsedDate | None:
    """`candidate` read in `tz` (visible text as a portal prints it, the rest as machine dates), once per text."""
    visible = candidate.source == "text" or candidate.source in _BODY_LINES
    key = (visible, candidate.raw)
    if key in readings:
        return readings[key]
    parsed = readings[key] = (
        dates.parse_date(candidate.raw, tz=tz, now=now) if visible else dates.parse_machine_date(candidate.raw, tz=tz)
    )
    return parsed


def _as_read(candidate: Candidate, parsed: ParsedDate, first: ParsedDate | None) -> _Read:
    """`candidate`, read as `parsed` in the page's zone: stated when its first reading (`first`) named a zone."""
    stated = first is not None and first.value.tzinfo is not _UNSTATED
    return _Read(candidate, parsed, stated, stated and parsed.value.utcoffset() in LOCAL_OFFSETS)


class _Again:
    """The candidates read again in the page's zone, from their first reading in `_UNSTATED`.

    A date that states its zone reads the same in any zone, and so does every date in a zone of the
    same fixed offset (WIB, the usual page zone, against `_UNSTATED`'s +07:00): each route of the
    readers uses the zone only through its offset, and gives a date that states no zone in the zone
    it was given. Only the others, in a page of another zone, are read again.
    """

    __slots__ = ("now", "page", "readings", "same_clock")

    def __init__(self, page: tzinfo, now: datetime) -> None:
        self.page = page
        self.now = now
        self.readings: _Readings = {}
        self.same_clock = isinstance(page, timezone) and page.utcoffset(None) == _UNSTATED.utcoffset(None)

    def read(self, candidate: Candidate, first: ParsedDate | None) -> ParsedDate | None:
        """`candidate` read in the page's zone, where it first read as `first`."""
        if first is not None and first.value.tzinfo is not _UNSTATED:
            return first
        if not self.same_clock:
            return _parse(candidate, self.page, self.now, self.readings)
        return first and replace(first, value=first.value.replace(tzinfo=self.page))


def page_zone(reads: Iterable[tuple[Candidate, ParsedDate | None]], fallback: tzinfo) -> tzinfo:
    """The zone the article's dates state, else the page's clock before the headline states, else `fallback`.

    `reads`: each candidate and its date read in `_UNSTATED`, a zone no text states.
    """
    before: tzinfo | None = None
    for candidate, parsed in reads:
        if parsed is None or parsed.value.tzinfo is _UNSTATED or parsed.value.utcoffset() not in LOCAL_OFFSETS:
            continue
        if candidate.place in ("head", "article"):
            return _canonical(parsed.value)
        if before is None and candidate.place == "before":
            before = _canonical(parsed.value)
    return before or fallback


def _shown_zone(reads: list[tuple[Candidate, ParsedDate | None]], shown: ParsedDate) -> tzinfo | None:
    """The Indonesian zone in which the article's machine instant is the clock its visible date (`shown`) shows.

    The first machine publication time stating its zone, and the visible date with a clock but no
    zone: a page printing 08:46 for 00:46Z (or for 07:46+07:00) is on WITA's clock. Only the same
    minute counts; a clock that shows no Indonesian zone's time of that instant tells nothing.
    """
    machine = next(
        (parsed for candidate, parsed in reads
         if parsed is not None and parsed.has_time and parsed.value.tzinfo is not _UNSTATED
         and candidate.source in _MACHINE_ORDER and candidate.role == "published" and candidate.place != "before"),
        None,
    )
    if machine is None:
        return None
    instant = machine.value.astimezone(UTC).replace(second=0, microsecond=0, tzinfo=None)
    return _zone_at(shown.value.replace(second=0, microsecond=0, tzinfo=None) - instant)


def _zone_at(offset: timedelta | None) -> tzinfo | None:
    """The Indonesian zone (WIB, WITA, WIT) of this offset, if it is one's."""
    return next((zone for zone in dates.ZONES.values() if zone.utcoffset(None) == offset), None)


def _canonical(value: datetime) -> tzinfo:
    return _zone_at(value.utcoffset()) or value.tzinfo or UTC


def _machine_key(read: _Read) -> tuple[int, int, int, int]:
    c = read.candidate
    place = 0 if c.place == "head" else 1
    return (read.foreign, place, _MACHINE_ORDER.get(c.source, 9), c.distance)


def _relabel(value: datetime, zone: tzinfo) -> datetime:
    """The same wall clock, in `zone` (a local time that was labelled UTC)."""
    return value.replace(tzinfo=zone)


def _same_wall_minute(a: datetime, b: datetime) -> bool:
    return a.replace(second=0, microsecond=0, tzinfo=None) == b.replace(second=0, microsecond=0, tzinfo=None)


def _shows_clock(parsed: ParsedDate) -> bool:
    """Whether `parsed` holds a clock the page shows the reader, one that tells the page's zone.

    A time reckoned from the fetch ("2 jam lalu": the fetch less two hours, in whatever zone it
    was read in; `ParsedDate.reckoned_in`) is an instant, no clock of the page. One with a clock
    printed ("Kemarin, 08:46") shows it.
    """
    return parsed.has_time and parsed.reckoned_in is None


def _mislabelled(machine: _Read, visible: _Read | None, reads: list[_Read], zone: tzinfo) -> bool:
    """Whether a UTC machine time is the page's local time labelled UTC (WordPress, detik)."""
    if not machine.foreign or machine.date.value.utcoffset() != timedelta(0) or not machine.date.has_time:
        return False
    wall = machine.date.value
    if visible is not None and _shows_clock(visible.date):
        return _same_wall_minute(wall, visible.date.value) and wall != visible.date.value
    locals_ = [r for r in reads if r.local or (r.candidate.source == "text" and _shows_clock(r.date))]
    others = [r for r in locals_ if r is not machine and r.date.has_time]
    if any(_same_wall_minute(wall, r.date.value) and abs(wall - r.date.value) > _SAME_INSTANT for r in others):
        return True
    if visible is not None and not visible.date.has_time:
        day = visible.date.value.date()
        return wall.date() == day and wall.astimezone(zone).date() != day
    return False


def _default_offset(machine: _Read, visible: _Read | None) -> bool:
    """Whether a machine time's local offset, stated in its text, is its CMS's default, not the article's zone.

    The visible date names another local zone at the same wall clock: 08:46+07:00 in the markup
    beside "08:46 WITA" printed for the reader (a network's code stamping +07:00 on every site;
    an invisible slip, where a wrong printed zone would be a visible one).
    """
    if visible is None or not (machine.stated and visible.local and machine.date.has_time and visible.date.has_time):
        return False
    wall, shown = machine.date.value, visible.date.value
    offset = wall.utcoffset()
    return offset in LOCAL_OFFSETS and offset != shown.utcoffset() and _same_wall_minute(wall, shown)


def _from_machine(
    top: _Read, visible: _Read | None, reads: list[_Read], page: tzinfo,
) -> tuple[_Read, datetime, str, bool]:
    """The published date the first machine date gives, where it came from, and whether it was relabelled.

    As stated; relabelled to the zone the page shows (a local time labelled UTC, a CMS's default
    offset); or the visible date with a clock on the machine date's day when that has no clock.
    """
    if _mislabelled(top, visible, reads, page):
        target = visible.date.value.tzinfo if visible is not None and visible.date.has_time else page
        return top, _relabel(top.date.value, target or page), "text+zone_fix", True
    if visible is not None and _default_offset(top, visible):
        return top, _relabel(top.date.value, visible.date.value.tzinfo or page), "text+zone_fix", True
    if visible is not None and not top.date.has_time and visible.date.has_time and (
        visible.date.value.date() == top.date.value.date()
    ):
        return visible, visible.date.value, "text", False
    return top, top.date.value, top.candidate.source, False


def _by_kind(reads: list[_Read]) -> tuple[list[_Read], list[_Read], list[_Read]]:
    """The machine published dates and the machine modified dates (each best first, `_machine_key`), and the visible."""
    machine: list[_Read] = []
    modified: list[_Read] = []
    texts: list[_Read] = []
    for read in reads:
        candidate = read.candidate
        if candidate.source in _MACHINE_ORDER:
            if candidate.role == "published":
                machine.append(read)
            elif candidate.role == "modified":
                modified.append(read)
        elif candidate.source == "text":
            texts.append(read)
    machine.sort(key=_machine_key)
    modified.sort(key=_machine_key)
    return machine, modified, texts


def decide(candidates: Iterable[Candidate], *, zone: tzinfo, now: datetime) -> Decision:
    """Choose the published and modified dates from `candidates` (see the module docstring)."""
    candidates = tuple(candidates)
    if not candidates:
        return Decision()
    readings: _Readings = {}
    first = [(c, _parse(c, _UNSTATED, now, readings)) for c in candidates]
    shown = _visible(first)
    # The clock the page shows its date on is the one its dates naming no zone are on ("Diperbarui 10:00").
    clock = _clock(shown, first)
    page = clock or page_zone(first, zone)
    again = _Again(page, now)
    reads = [
        _as_read(c, parsed, first_read) for c, first_read in first
        if c.place != "before" and (parsed := again.read(c, first_read)) is not None
    ]
    machine, modified, texts = _by_kind(reads)
    visible = None if shown is None else next((read for read in texts if read.candidate is shown[0]), None)
    raw = visible.candidate.raw if visible is not None else None
    fixed = False
    chosen: _Read | None = None
    value: datetime | None = None
    source: str | None = None
    if machine:
        chosen, value, source, fixed = _from_machine(machine[0], visible, reads, page)
    elif visible is not None:
        chosen, value, source = visible, visible.date.value, "text"
        if not visible.date.has_time:
            timed = next(
                (r for r in modified if r.date.has_time and r.date.value.astimezone(page).date() == value.date()), None,
            )
            if timed is not None:
                chosen, value, source = timed, timed.date.value, timed.candidate.source
    else:  # the last witnesses: the URL's date, else the body's dateline or sign-off
        last = next((r for r in reads if r.candidate.source == "url"), None) or next(
            (r for r in reads if r.candidate.source in _BODY_LINES), None,
        )
        if last is not None:
            chosen, value, source = last, last.date.value, last.candidate.source
    if chosen is None or value is None:
        return _unpublished(candidates, modified, raw, page)
    wrong = chosen.date.value.utcoffset() if fixed else None  # the offset a relabelled time was stated in
    # Given on the clock the page shows its date on ("08:46 WITA"; 09:46 for 08:46+07:00), else in the page's zone.
    value = _in_zone(value, page) if clock is None else value.astimezone(clock)
    # Without a machine modification date, the visible one an update label names ("Diperbarui ...").
    shown_updates = sorted(
        (r for r in texts if r.candidate.role == "modified" and r is not chosen), key=lambda r: r.candidate.distance,
    )
    changed = _modified([*modified, *shown_updates], value, page, wrong=wrong)
    return Decision(
        published=value,
        source=source,
        precision=chosen.date.precision,
        raw=raw,
        modified=changed if changed is None or clock is None else changed.astimezone(clock),
        zone_fixed=fixed,
        zone_given=page is zone,
    )


def _visible(first: list[tuple[Candidate, ParsedDate | None]]) -> tuple[Candidate, ParsedDate] | None:
    """The article's visible date (`nearest_visible`; a lone one without asking it), with its first reading."""
    texts = [(c, parsed) for c, parsed in first if parsed is not None and c.source == "text" and c.place != "before"]
    if len(texts) < 2:  # none, or one to choose from
        return texts[0] if texts else None
    chosen = nearest_visible(tuple(c for c, _ in texts))
    pair = next(pair for pair in texts if pair[0] is chosen)
    if not pair[0].footer:
        return pair
    # The footer's clock does not outrank a day the article states above it on another day (the
    # footer may hold another's date): that day is the article's.
    above = [
        (c, parsed) for c, parsed in texts
        if c.role == "published" and not c.footer and parsed.value.date() != pair[1].value.date()
    ]
    return min(above, key=lambda p: p[0].distance) if above else pair


def _clock(
    shown: tuple[Candidate, ParsedDate] | None, first: list[tuple[Candidate, ParsedDate | None]],
) -> tzinfo | None:
    """The local zone of the clock the visible date (`shown`) is on.

    The zone it prints ("08:46 WITA"), else the one in which its clock shows the machine instant.
    """
    if shown is None:
        return None
    candidate, parsed = shown
    if parsed.value.tzinfo is not _UNSTATED:
        return _zone_at(parsed.value.utcoffset())
    usable = _shows_clock(parsed) and candidate.role == "published" and candidate.place == "article"
    return _shown_zone(first, parsed) if usable else None


def _unpublished(candidates: tuple[Candidate, ...], modified: list[_Read], raw: str | None, page: tzinfo) -> Decision:
    """No publication date read: a modification stated alone (og:updated_time) is kept, the publication unknown.

    Unreadable when something was stated and could not be read (a publication date, with a modification beside it).
    """
    stated = [c for c in candidates if c.source != "url" and c.source not in _BODY_LINES and c.place != "before"]
    if modified:
        unreadable = any(c.role == "published" for c in stated)
        return Decision(raw=raw, modified=_in_zone(modified[0].date.value, page), unreadable=unreadable)
    return Decision(raw=raw, unreadable=bool(stated))


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    """A value in the page's zone unless it states a local zone of its own."""
    return value if value.utcoffset() in LOCAL_OFFSETS else value.astimezone(zone)


def _modified(reads: list[_Read], published: datetime, zone: tzinfo, *, wrong: timedelta | None) -> datetime | None:
    """The first of `reads`, in the page's zone.

    One in the offset the published time was relabelled from (`wrong`: UTC, or a CMS's default) is
    relabelled the same way.
    """
    for read in reads:
        value = read.date.value
        if wrong is not None and value.utcoffset() == wrong and (read.foreign or read.candidate.source != "text"):
            value = _relabel(value, published.tzinfo or zone)
        value = _in_zone(value, zone)
        # A modification before the publication is no modification of it (a decoy, or a date cut to the minute).
        return value if value >= published else None
    return None


def legacy_candidates(
    published_meta: str | None, meta_from: str | None, published_raw: str | None, modified_meta: str | None,
) -> tuple[Candidate, ...]:
    """Candidates from the three raw values an item carried before candidates existed (tests, old items)."""
    out: list[Candidate] = []
    if published_meta:
        source = meta_from if meta_from in _MACHINE_ORDER else "meta"
        out.append(Candidate(published_meta, source, "published", "head"))  # type: ignore[arg-type]
    if modified_meta:
        out.append(Candidate(modified_meta, "meta", "modified", "head"))
    if published_raw:
        out.append(Candidate(published_raw, "text", "published", "article"))
    return tuple(out)
