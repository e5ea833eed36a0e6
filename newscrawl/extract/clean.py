"""The cleaning steps the pipelines run on an article, as pure functions over a field mapping.

The pipelines call these one per pipeline; the golden tests call them in the same order on
extracted pages, so what the tests check is what the crawl delivers. Nothing here touches Scrapy's
engine or stats: each step returns what happened and the caller counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from newscrawl.extract import boilerplate, dates
from newscrawl.extract.article import split_authors

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import MutableMapping

    from newscrawl.extract.article import ArticlePage

# Where `published_at` came from, by what `dates.choose_published` picked.
_FROM = {"visible": "text", "machine_zone_fixed": "text+zone_fix"}
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
    }


def clean_body(fields: MutableMapping[str, Any]) -> Counter[str]:
    """Strip boilerplate from ``body``; fill dateline, editor, source and author from it."""
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
    return cleaned.fired


@dataclass(frozen=True, slots=True)
class DateOutcome:
    """What `set_dates` did: "ok", "missing" (nothing to read), "unparsed" or "future"."""

    status: str
    zone_fixed: bool = False


def set_dates(fields: MutableMapping[str, Any], *, now: datetime | None = None) -> DateOutcome:
    """Fill ``published_at``, ``published_from`` and ``modified_at`` from the raw date values.

    Never invents a date: an unreadable or impossible one leaves ``published_at`` null and
    ``published_raw`` as shown.
    """
    tz = dates.zone(fields.get("_timezone") or "WIB")
    now = now or datetime.now(tz)
    meta_raw = fields.get("_published_meta")
    raw = fields.get("published_raw")
    machine = dates.parse_machine_date(meta_raw, tz=tz)
    visible = dates.parse_date(raw, tz=tz, now=now)
    chosen, reason = dates.choose_published(machine, visible)
    modified = dates.parse_machine_date(fields.get("_modified_meta"), tz=tz)
    fields["modified_at"] = modified.iso() if modified else None
    if chosen is None:
        fields["published_at"] = None
        fields["published_from"] = None
        return DateOutcome("unparsed" if (meta_raw or raw) else "missing")
    if chosen.value - now > FUTURE_TOLERANCE:
        fields["published_at"] = None
        fields["published_from"] = None
        return DateOutcome("future")
    # A machine date in UTC is shown on the portal's clock: the same instant, written as readers see it.
    # A date that names its own zone ("14:00 WITA") keeps it.
    fields["published_at"] = on_local_clock(chosen.value, tz).isoformat(timespec="seconds")
    fields["published_from"] = _FROM.get(reason) or fields.get("_published_meta_from") or "meta"
    return DateOutcome("ok", zone_fixed=reason == "machine_zone_fixed")


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


def before_since(published: str | datetime | None, since: date | None) -> bool:
    """The one ``since`` rule, for articles, listings and sitemaps alike.

    Older means: the calendar day of the publication, on the clock it was published on (the
    offset of ``published_at``, see `on_local_clock`), is before `since`. No date is never older.
    """
    if since is None or published is None:
        return False
    day = published[:10] if isinstance(published, str) else published.date().isoformat()
    return day < since.isoformat()
