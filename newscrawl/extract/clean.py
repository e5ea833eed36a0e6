"""The cleaning steps the pipelines run on an article, as pure functions over a field mapping.

The pipelines call these one per pipeline; the golden tests call them in the same order on
extracted pages, so what the tests check is what the crawl delivers. Nothing here touches Scrapy's
engine or stats: each step returns what happened and the caller counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from newscrawl.extract import boilerplate, dates, published
from newscrawl.extract.article import split_authors
from newscrawl.extract.text import without_site_name

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import MutableMapping

    from newscrawl.extract.article import ArticlePage

# A publication time further ahead than this is a CMS error, not news from the future.
FUTURE_TOLERANCE = timedelta(hours=24)


def page_fields(page: ArticlePage) -> dict[str, Any]:
    """The item fields one extracted page gives, before cleaning (no portal fields)."""
    return {
        "url": page.url,
        "title": page.title,
        "published_raw": page.published_raw,
        "author": page.author,
        "editor": page.editor,
        "source": page.source,
        "dateline": None,
        "section": page.section,
        "tags": page.tags,
        "image_url": page.image_url,
        "image_caption": page.image_caption,
        "body": "\n\n".join(page.paragraphs),
        "pages": 1,
        "related_urls": page.related_urls,
        "language": page.language or "id",
        "_published_meta": page.published_meta,
        "_published_meta_from": page.published_meta_from,
        "_modified_meta": page.modified_meta,
        "_dates": page.dates,
        "_site_zone": page.site_zone,
        "_site_zone_from": page.site_zone_from,
        "_routes": dict(page.routes),
    }


def clean_body(fields: MutableMapping[str, Any]) -> Counter[str]:
    """Strip the site's name from ``title`` and boilerplate from ``body``; fill dateline, editor, source and author."""
    # An empty or site-name-only headline is no title (the article is dropped as untitled).
    fields["title"] = without_site_name(fields.get("title"), (fields.get("portal_name"),))
    paragraphs = [p for p in (fields.get("body") or "").split("\n\n") if p.strip()]
    cleaned = boilerplate.clean(paragraphs, caption=fields.get("image_caption"))
    fields["body"] = "\n\n".join(cleaned.paragraphs)
    if cleaned.dateline and not fields.get("dateline"):
        fields["dateline"] = cleaned.dateline
    for name in ("editor", "source"):
        if not fields.get(name) and cleaned.fields.get(name):
            fields[name] = cleaned.fields[name]
    if not fields.get("author") and cleaned.fields.get("author"):
        fields["author"] = split_authors(cleaned.fields["author"])
        if fields["author"] and "_routes" in fields:
            fields["_routes"]["author"] = "credit"
    return cleaned.fired


@dataclass(frozen=True, slots=True)
class DateOutcome:
    """What `set_dates` did: "ok", "missing" (nothing to read), "unparsed" or "future"."""

    status: str
    zone_fixed: bool = False
    # A site of unknown zone read in its own zone: "clocks" (the zone its other clocks print,
    # `extract.site_clock`) or "place" (its region's, `extract.site_place`); None otherwise.
    zone_from_site: str | None = None


def set_dates(fields: MutableMapping[str, Any], *, now: datetime | None = None) -> DateOutcome:
    """Fill ``published_at``, ``published_from``, ``published_precision``, ``published_raw`` and ``modified_at``.

    The choice is `extract.published.decide` over the page's date candidates, in the portal's zone
    (``_timezone``), or, for a site of unknown zone (``_zone_unknown``), the site's own
    (``_site_zone``: its other clocks' or its region's, ``_site_zone_from``). Never invents a date:
    an unreadable or impossible one leaves ``published_at`` null and ``published_raw`` as shown.
    """
    zone_name = fields.get("_timezone") or "WIB"
    from_site = fields.get("_site_zone_from") if fields.get("_zone_unknown") and fields.get("_site_zone") else None
    if from_site:
        zone_name = fields["_site_zone"]  # a site of unknown zone: its clocks' or its place's
    tz = dates.zone(zone_name)
    now = now or datetime.now(tz)
    candidates = fields.get("_dates") or published.legacy_candidates(
        fields.get("_published_meta"), fields.get("_published_meta_from"),
        fields.get("published_raw"), fields.get("_modified_meta"),
    )
    decision = published.decide(candidates, zone=tz, now=now)
    fields["published_raw"] = decision.raw or fields.get("published_raw")
    fields["modified_at"] = decision.modified.isoformat(timespec="seconds") if decision.modified else None
    fields["published_at"] = fields["published_from"] = fields["published_precision"] = None
    if decision.published is None:
        return DateOutcome("unparsed" if decision.unreadable or fields["published_raw"] else "missing")
    if decision.published - now > FUTURE_TOLERANCE:
        return DateOutcome("future")
    fields["published_at"] = decision.published.isoformat(timespec="seconds")
    fields["published_from"] = decision.source
    fields["published_precision"] = decision.precision
    return DateOutcome("ok", zone_fixed=decision.zone_fixed, zone_from_site=from_site if decision.zone_given else None)


def missing_content(fields: MutableMapping[str, Any]) -> str | None:
    """Why an article is not delivered for lack of content: "no_title", "no_body", else None."""
    if not (fields.get("title") or "").strip():
        return "no_title"
    if not (fields.get("body") or "").strip():
        return "no_body"
    return None


def on_local_clock(value: datetime, tz: tzinfo) -> datetime:
    """A machine time in UTC shown on the portal's clock (`tz`); a time with a local offset as it is."""
    return value.astimezone(tz) if value.utcoffset() == timedelta(0) else value


def published_at(page: ArticlePage, timezone: str) -> str | None:
    """The ``published_at`` a crawl delivers for `page` of a portal in `timezone` (WIB, WITA, WIT)."""
    fields = page_fields(page)
    fields["_timezone"] = timezone
    set_dates(fields)
    value: str | None = fields["published_at"]
    return value


def before_since(when: str | datetime | None, since: date | None) -> bool:
    """The one ``since`` rule, for articles, listings and sitemaps alike.

    Older means: the calendar day of the publication, on the clock it was published on (the
    offset of ``published_at``, see `on_local_clock`), is before `since`. No date is never older.
    """
    day = _day(when)
    return since is not None and day is not None and day < since.isoformat()


def after_until(when: str | datetime | None, until: date | None) -> bool:
    """The ``until`` counterpart of `before_since`: the publication's calendar day is after `until`.

    Read the same way (the day on the clock it was published on); no date is never after.
    """
    day = _day(when)
    return until is not None and day is not None and day > until.isoformat()


def _day(when: str | datetime | None) -> str | None:
    """The calendar day (YYYY-MM-DD) of an ISO 8601 string or a datetime, as written."""
    if when is None:
        return None
    return when[:10] if isinstance(when, str) else when.date().isoformat()
