"""Dated archives, pure: a backfill's spans, an archive's URL for a span and page, the dates a URL states.

What it is for
    A backfill walks each portal's dated archive (`newscrawl.networks.base.DatedArchive`, profile
    data) once per *span*: a day, or a month or year when the archive lists that much at once,
    always clamped to the backfill's range. This module cuts the range into spans, fills an
    archive's URL template for a span and page, picks the archive a site offers from its home
    page's markers, and reads the date an article URL (``/2024/01/15/``) or a child sitemap's name
    (``sitemap-2024-01.xml``) states, so that what lies outside the range is skipped unfetched. The
    days a listing or a sitemap entry states are read here for a crawl's ``-a since`` too.

What it must never do
    Fetch anything, know a portal's host, or decide what is delivered (the one date rule is
    `newscrawl.extract.clean.before_since` / `after_until` on ``published_at``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from newscrawl.extract import dates
from newscrawl.extract.candidates import url_candidate
from newscrawl.extract.clean import on_local_clock
from newscrawl.extract.links import absolute, is_denied, link_kind

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import tzinfo

    from newscrawl.extract.doc import Doc
    from newscrawl.extract.sitemap import SitemapEntry
    from newscrawl.networks.base import DatedArchive, Profile

# The span key of a portal's sitemap walk (it covers the whole range at once).
SITEMAPS = "sitemaps"
# Months by their English names, whatever the process's locale (strftime's %B/%b follow LC_TIME).
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)
# A month in a child sitemap's URL: /2024/01/, sitemap-2024-01.xml, post-sitemap-2024_01.
_MONTH_IN_URL = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/](0[1-9]|1[0-2])(?!\d)")
# Offsets of Indonesia's zones (registry names), URL-encoded for a query.
_ZONES = {"WIB": "%2B07:00", "WITA": "%2B08:00", "WIT": "%2B09:00"}


@dataclass(frozen=True, slots=True)
class Span:
    """What one walk of a dated archive covers: `first`..`last`, within the backfill's range."""

    first: date
    last: date
    unit: str  # "day", "month", "year" or SITEMAPS

    @property
    def key(self) -> str:
        """How the span is named in the journal and the log: 2024-01-15, 2024-01, 2024 or "sitemaps"."""
        if self.unit == "day":
            return self.first.isoformat()
        if self.unit == "month":
            return self.first.isoformat()[:7]
        if self.unit == "year":
            return str(self.first.year)
        return SITEMAPS

    def days(self) -> Iterator[date]:
        """Every day of the span."""
        return days(self.first, self.last)


def days(first: date, last: date) -> Iterator[date]:
    """Every day from `first` to `last`, both included."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def spans(unit: str, since: date, until: date) -> list[Span]:
    """The range `since`..`until` cut into walks of one `unit` ("day", "month", "year"), oldest first."""
    if unit == "day":
        return [Span(day, day, "day") for day in days(since, until)]
    out = []
    start = since
    while start <= until:
        if unit == "month":
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        else:
            end = start.replace(month=12, day=31)
        end = min(end, until)
        out.append(Span(start, end, unit))
        start = end + timedelta(days=1)
    return out


def span_of(key: str, since: date, until: date) -> Span:
    """The span a journal key names, within `since`..`until` (the inverse of `Span.key`)."""
    if key == SITEMAPS:
        return Span(since, until, SITEMAPS)
    if len(key) == len("2024-01-15"):
        day = date.fromisoformat(key)
        return Span(day, day, "day")
    if len(key) == len("2024-01"):
        first = date.fromisoformat(key + "-01")
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return Span(max(first, since), min(last, until), "month")
    return Span(max(date(int(key), 1, 1), since), min(date(int(key), 12, 31), until), "year")


class Walked:
    """Which spans of each portal were walked to their end, and so which of the range's days (the progress)."""

    def __init__(self, since: date, until: date, portals: int) -> None:
        self.since, self.until, self.portals = since, until, portals
        self._spans: dict[str, set[str]] = {}
        self._days: dict[str, set[date]] = {}
        self._portals_per_day: dict[date, int] = {}

    def has(self, portal: str, key: str) -> bool:
        """Whether the walk of span `key` of `portal` reached its end."""
        return key in self._spans.get(portal, ())

    def add(self, portal: str, key: str) -> tuple[int, int]:
        """Note a walk's end; (the portal's days it completes, the days it completes for every portal)."""
        self._spans.setdefault(portal, set()).add(key)
        done = self._days.setdefault(portal, set())
        portal_days = all_portals = 0
        for day in span_of(key, self.since, self.until).days():
            if day not in done:
                done.add(day)
                portal_days += 1
                self._portals_per_day[day] = self._portals_per_day.get(day, 0) + 1
                all_portals += self._portals_per_day[day] == self.portals
        return portal_days, all_portals


class _EnglishDate(date):
    """A date whose ``%B``/``%b`` are English month names in every locale (templates name months so)."""

    def __format__(self, spec: str) -> str:
        name = _MONTHS[self.month - 1]
        return super().__format__(spec.replace("%B", name).replace("%b", name[:3]))


def _english(day: date) -> _EnglishDate:
    return _EnglishDate(day.year, day.month, day.day)


def archive_url(home: str, archive: DatedArchive, span: Span, page: int, timezone: str) -> str:
    """The URL of page `page` of `archive` for `span`, under the portal's `home` (no trailing slash)."""
    template = archive.first if archive.first and page == archive.first_page else archive.template
    path = template.format(
        date=_english(span.first),
        end=_english(span.last),
        after=_english(span.last + timedelta(days=1)),
        page=page,
        index=1 + (page - archive.first_page) * archive.per_page,
        zone=_ZONES.get(timezone, _ZONES["WIB"]),
    )
    return home.rstrip("/") + path


def choose(archives: tuple[DatedArchive, ...], home: Doc | None) -> DatedArchive | None:
    """The first archive the site offers: no markers, or a marker its `home` page shows (None: no home read)."""
    for archive in archives:
        if not archive.when or (home is not None and any(home.css(marker) for marker in archive.when)):
            return archive
    return None


def needs_home(archives: tuple[DatedArchive, ...]) -> bool:
    """Whether choosing among `archives` needs the portal's home page (some archive has markers)."""
    return any(archive.when for archive in archives)


def url_day(url: str) -> date | None:
    """The publication day an article URL's path states (``/2024/01/15/``, Kompas ``/read/2024/01/15/…``)."""
    found = url_candidate(url)
    if found is None:
        return None
    try:
        return date.fromisoformat(found.raw[:10])
    except ValueError:
        return None


def url_month(url: str) -> tuple[date, date] | None:
    """The month a child sitemap's URL names (``sitemap-2024-01.xml``), as its first and last day."""
    match = _MONTH_IN_URL.search(url)
    if match is None:
        return None
    first = date(int(match[1]), int(match[2]), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def outside(day: date, first: date, last: date, *, slack: int = 1) -> bool:
    """Whether `day` lies more than `slack` days outside `first`..`last`.

    A date a URL or a listing states is a hint, not the article's ``published_at``: one day of
    slack keeps an article published near midnight, written on another clock, from being lost.
    """
    return day < first - timedelta(days=slack) or day > last + timedelta(days=slack)


# --- what an archive page, a feed or a sitemap lists ------------------------------------------------


def listed_links(doc: Doc, base: str, archive: DatedArchive) -> list[tuple[str, str | None]]:
    """Every link (href, its absolute URL or None) among the archive's items (else on the whole page)."""
    queries = [f"{css}::attr(href)" for css in archive.items] or ["a::attr(href)"]
    return [(str(href), absolute(str(href), base)) for query in queries for href in doc.css(query)]


def listing_days(doc: Doc, profile: Profile, tz: tzinfo, *, relative: bool = False) -> list[date]:
    """The days the listing shows beside its articles (the family's listing dates; relative ones only if asked)."""
    found: list[date] = []
    for css in profile.listing_date:
        for el in doc.elements_of(css):
            parsed = dates.parse_date(el.text(), tz=tz)
            if parsed is not None and (relative or parsed.method != "relative"):
                found.append(on_local_clock(parsed.value, tz).date())
        if found:
            break
    return found


def listing_before_since(doc: Doc, profile: Profile, tz: tzinfo, since: date | None) -> bool:
    """Whether a listing is older than `since`: the newest day it shows ("2 jam lalu" counts), before it.

    A listing without a readable date is never older (its links are followed).
    """
    if since is None:
        return False
    days = listing_days(doc, profile, tz, relative=True)
    return bool(days) and max(days) < since


def stamp_day(stamp: str | None, tz: tzinfo) -> date | None:
    """The day a machine-readable date (a sitemap's ``lastmod`` or ``publication_date``) names, on its own clock."""
    parsed = dates.parse_machine_date(stamp, tz=tz) if stamp else None
    return on_local_clock(parsed.value, tz).date() if parsed is not None else None


def stamp_before_since(stamp: str | None, tz: tzinfo, since: date | None) -> bool:
    """Whether a sitemap entry's date is older than `since` (no date is never older)."""
    if since is None:
        return False
    day = stamp_day(stamp, tz)
    return day is not None and day < since


def entry_day(entry: SitemapEntry, url: str, tz: tzinfo, since: date) -> date | None:
    """The day a feed's or sitemap's entry says it was published: its publication date, else its URL's.

    A lastmod dates an entry only when it is before `since`: what last changed then was published
    before it. A later lastmod says nothing of when the article was published.
    """
    day = stamp_day(entry.date, tz)
    if entry.published and day is not None:
        return day
    return url_day(url) or (day if day is not None and day < since else None)


def child_outside(entry: SitemapEntry, url: str, tz: tzinfo, since: date, until: date) -> bool:
    """Whether a child sitemap lies wholly outside `since`..`until`: the month it names, or its lastmod.

    Nothing in a sitemap last changed before `since` was published after it.
    """
    month = url_month(url)
    return (month is not None and (month[1] < since or month[0] > until)) or stamp_before_since(entry.date, tz, since)


def is_entry_article(url: str, profile: Profile) -> bool:
    """Whether a feed's or sitemap's entry is worth fetching as an article of the family.

    The generic family's article patterns are guesses: there, any entry that is not denied, a tag
    or a section is taken (a feed or a post sitemap lists posts).
    """
    kind = link_kind(url, profile)
    return kind == "article" or (kind is None and profile.name == "generic" and not is_denied(url, profile))
