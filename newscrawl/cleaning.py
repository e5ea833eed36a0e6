"""The cleaning steps the pipelines run on an article, as pure functions over a field mapping.

The pipelines call these one per pipeline; the golden tests call them in the same order on
extracted pages, so what the tests check is what the crawl delivers. Nothing here touches Scrapy's
engine or stats: each step returns what happened and the caller counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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
    value = chosen.value.astimezone(tz) if chosen.value.utcoffset() == timedelta(0) else chosen.value
    fields["published_at"] = value.isoformat(timespec="seconds")
    fields["published_from"] = _FROM.get(reason) or fields.get("_published_meta_from") or "meta"
    return DateOutcome("ok", zone_fixed=reason == "machine_zone_fixed")
