"""Sitemaps and feeds: which URLs a news sitemap, sitemap index, RSS or Atom feed lists, with dates.

Pure: bytes or text in, entries out; no Scrapy, no requests. Portals write these files loosely
(CDATA, namespaces, no XML declaration), so they are read with tolerant patterns, entry by entry:
a date in an entry belongs to that entry's ``<loc>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOC = re.compile(r"<loc>\s*(?:<!\[CDATA\[)?\s*([^<\]]+?)\s*(?:\]\]>)?\s*</loc>", re.IGNORECASE)
_DATE = re.compile(
    r"<(?:news:publication_date|lastmod|pubDate|published|updated)>\s*([^<]+?)\s*<", re.IGNORECASE,
)
_XML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(urlset|sitemapindex|rss|feed)\b", re.DOTALL)
_ENTRY_END = re.compile(r"</(?:url|item|entry|sitemap)>")


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One listed URL (as written, not yet resolved) and the date written beside it, if any."""

    loc: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What a sitemap lists; ``is_index`` when its entries are other sitemaps."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]


def is_sitemap(head: bytes) -> bool:
    """Whether a response starting with `head` is a sitemap, sitemap index, RSS or Atom document."""
    return _XML_START.match(head) is not None


def read_sitemap(text: str) -> Sitemap:
    """The entries of a sitemap or feed, in document order."""
    entries = []
    for chunk in _ENTRY_END.split(text):
        loc = _LOC.search(chunk)
        if loc:
            stamp = _DATE.search(chunk)
            entries.append(SitemapEntry(loc.group(1), stamp.group(1) if stamp else None))
    return Sitemap("<sitemapindex" in text[:2000], tuple(entries))
