"""The article's publication date, chosen from every date its page states (`extract.candidates`).

What it is for
    One rule, the same for every site (README, "Dates"):
    1. The page's zone: the zone the article's own dates state (an offset or "WITA" in its head
       or by its headline), else an offset of the page's own clock before the headline (a
       header's "today"), else the registry's zone for the page (by its identity, then by the
       crawled host), else WIB. Dates that name no zone are read in it; UTC and foreign offsets
       (Blogger's Pacific time) are converted to it.
    2. Published: the first machine date (JSON-LD, meta, then the article's attributes; one
       stating a local offset before one in UTC), checked against the visible date nearest the
       headline. A UTC machine time whose wall clock is the visible local clock (or whose UTC day
       is the visible day while its local day is not) is local time labelled UTC
       ("text+zone_fix"). A machine date without a clock gives way to a visible one with a clock
       on that day. Without a machine date: the visible date; a date-only one takes the clock of
       a machine time of the article on that day. Without either: the URL's date ("url").
    3. Modified: the first machine modified date, read like the published one; earlier than the
       published date it is no modification and is left out.

What it must never do
    Invent a date (never "now"), prefer a date of another part of the page over the article's,
    raise, or import Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Final

from newscrawl.extract import dates
from newscrawl.extract.candidates import Candidate, nearest_visible

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.extract.dates import ParsedDate

LOCAL_OFFSETS: Final = frozenset({timedelta(hours=7), timedelta(hours=8), timedelta(hours=9)})
# A zone read from no text at all: the marker that a date named no zone of its own.
_UNSTATED: Final = timezone(timedelta(hours=7), "unstated")
_MACHINE_ORDER: Final = {"json-ld": 0, "meta": 1, "time": 2, "attr": 3}
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
    # Something was stated but nothing could be read.
    unreadable: bool = False


@dataclass(frozen=True, slots=True)
class _Read:
    candidate: Candidate
    date: ParsedDate
    stated: bool  # the text named its own zone (an offset, "Z", "WIB")

    @property
    def local(self) -> bool:
        return self.stated and self.date.value.utcoffset() in LOCAL_OFFSETS

    @property
    def foreign(self) -> bool:
        """Stated in UTC or a non-Indonesian offset: the instant is right, the zone is not the page's."""
        return self.stated and not self.local


def _read(candidate: Candidate, tz: tzinfo, now: datetime) -> _Read | None:
    if candidate.source == "text":
        parsed = dates.parse_date(candidate.raw, tz=tz, now=now)
    else:
        parsed = dates.parse_machine_date(candidate.raw, tz=tz)
    if parsed is None:
        return None
    return _Read(candidate, parsed, parsed.value.tzinfo is not tz)


def _again(read: _Read, tz: tzinfo) -> _Read:
    """`read` (a date that states its zone) as `_read` would give it in `tz`: the same date, stated unless in `tz`."""
    return _Read(read.candidate, read.date, read.date.value.tzinfo is not tz)


def page_zone(reads: Iterable[_Read], fallback: tzinfo) -> tzinfo:
    """The zone of the article's own dates, else of the page's clock before the headline, else `fallback`."""
    before: tzinfo | None = None
    for read in reads:
        if not read.local:
            continue
        if read.candidate.place in ("head", "article"):
            return _canonical(read.date.value)
        if before is None and read.candidate.place == "before":
            before = _canonical(read.date.value)
    return before or fallback


def _canonical(value: datetime) -> tzinfo:
    offset = value.utcoffset()
    for zone in dates.ZONES.values():
        if zone.utcoffset(None) == offset:
            return zone
    return value.tzinfo or UTC


def _machine_key(read: _Read) -> tuple[int, int, int, int]:
    c = read.candidate
    place = 0 if c.place == "head" else 1
    return (read.foreign, place, _MACHINE_ORDER.get(c.source, 9), c.distance)


def _relabel(value: datetime, zone: tzinfo) -> datetime:
    """The same wall clock, in `zone` (a local time that was labelled UTC)."""
    return value.replace(tzinfo=zone)


def _same_wall_minute(a: datetime, b: datetime) -> bool:
    return a.replace(second=0, microsecond=0, tzinfo=None) == b.replace(second=0, microsecond=0, tzinfo=None)


def _mislabelled(machine: _Read, visible: _Read | None, locals_: list[_Read], zone: tzinfo) -> bool:
    """Whether a UTC machine time is the page's local time labelled UTC (WordPress, detik)."""
    if not machine.foreign or machine.date.value.utcoffset() != timedelta(0) or not machine.date.has_time:
        return False
    wall = machine.date.value
    if visible is not None and visible.date.has_time:
        return _same_wall_minute(wall, visible.date.value) and wall != visible.date.value
    others = [r for r in locals_ if r is not machine and r.date.has_time]
    if any(_same_wall_minute(wall, r.date.value) and abs(wall - r.date.value) > _SAME_INSTANT for r in others):
        return True
    if visible is not None and not visible.date.has_time:
        day = visible.date.value.date()
        return wall.date() == day and wall.astimezone(zone).date() != day
    return False


def decide(candidates: Iterable[Candidate], *, zone: tzinfo, now: datetime) -> Decision:
    """Choose the published and modified dates from `candidates` (see the module docstring)."""
    candidates = tuple(candidates)
    if not candidates:
        return Decision()
    first = [_read(c, _UNSTATED, now) for c in candidates]
    page = page_zone((r for r in first if r is not None), zone)
    # A date that states its zone reads the same in any zone: only the others are parsed again, in the page's.
    reads = [
        r for c, r0 in zip(candidates, first, strict=True)
        if c.place != "before" and (r := _again(r0, page) if r0 is not None and r0.stated else _read(c, page, now))
    ]
    machine = sorted(
        (r for r in reads if r.candidate.source in _MACHINE_ORDER and r.candidate.role == "published"),
        key=_machine_key,
    )
    modified = sorted(
        (r for r in reads if r.candidate.source in _MACHINE_ORDER and r.candidate.role == "modified"),
        key=_machine_key,
    )
    shown = nearest_visible(tuple(r.candidate for r in reads))
    visible = next((r for r in reads if r.candidate is shown), None)
    raw = shown.raw if shown is not None else None
    locals_ = [r for r in reads if r.local or (r.candidate.source == "text" and r.date.has_time)]
    fixed = False
    chosen: _Read | None = None
    value: datetime | None = None
    source: str | None = None
    if machine:
        top = machine[0]
        chosen, value, source = top, top.date.value, top.candidate.source
        if _mislabelled(top, visible, locals_, page):
            target = visible.date.value.tzinfo if visible is not None and visible.date.has_time else page
            value, source, fixed = _relabel(top.date.value, target or page), "text+zone_fix", True
        elif visible is not None and not top.date.has_time and visible.date.has_time and (
            visible.date.value.date() == top.date.value.date()
        ):
            chosen, value, source = visible, visible.date.value, "text"
    elif visible is not None:
        chosen, value, source = visible, visible.date.value, "text"
        if not visible.date.has_time:
            timed = next(
                (r for r in modified if r.date.has_time and r.date.value.astimezone(page).date() == value.date()), None,
            )
            if timed is not None:
                chosen, value, source = timed, timed.date.value, timed.candidate.source
    else:
        from_url = next((r for r in reads if r.candidate.source == "url"), None)
        if from_url is not None:
            chosen, value, source = from_url, from_url.date.value, "url"
    if chosen is None or value is None:
        stated = any(c.source != "url" and c.place != "before" for c in candidates)
        return Decision(raw=raw, unreadable=stated)
    value = _in_zone(value, page)
    return Decision(
        published=value,
        source=source,
        precision=chosen.date.precision,
        raw=raw,
        modified=_modified(modified, value, page, fixed=fixed),
        zone_fixed=fixed,
    )


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    """A value in the page's zone unless it states a local zone of its own."""
    return value if value.utcoffset() in LOCAL_OFFSETS else value.astimezone(zone)


def _modified(reads: list[_Read], published: datetime, zone: tzinfo, *, fixed: bool) -> datetime | None:
    for read in reads:
        value = read.date.value
        if fixed and read.foreign and value.utcoffset() == timedelta(0):
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
