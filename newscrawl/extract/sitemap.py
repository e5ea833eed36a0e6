"""Sitemaps and feeds: which URLs a news sitemap, sitemap index, RSS or Atom feed lists, with dates.

Pure: bytes or text in, entries out; no Scrapy, no requests. Portals write these files loosely
(CDATA, namespaces, no XML declaration, single-quoted attributes as Blogger does), so they are read
with tolerant patterns, entry by entry (``<url>``, ``<sitemap>``, ``<item>``, ``<entry>``): a date in
an entry belongs to that entry's URL, never to the file's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENTRY = re.compile(r"<(url|sitemap|item|entry)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_CDATA = r"(?:<!\[CDATA\[)?\s*([^<\]]+?)\s*(?:\]\]>)?"
# Where an entry's URL is: a sitemap's <loc>, an RSS <link>text</link>, an Atom <link href> (rel
# "alternate", or no rel at all, which means the same).
_LOCATIONS = (
    re.compile(rf"<loc>\s*{_CDATA}\s*</loc>", re.IGNORECASE),
    re.compile(rf"<link>\s*{_CDATA}\s*</link>", re.IGNORECASE),
    re.compile(r"""<link\b(?=[^>]*\brel\s*=\s*["']alternate["'])[^>]*\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE),
    re.compile(r"""<link\b(?![^>]*\brel\s*=)[^>]*\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE),
)
# A publication date is preferred to a modification date in the same entry.
_PUBLISHED = re.compile(r"<(?:news:publication_date|pubDate|published|dc:date)>\s*([^<]+?)\s*<", re.IGNORECASE)
_MODIFIED = re.compile(r"<(?:lastmod|updated)>\s*([^<]+?)\s*<", re.IGNORECASE)
_XML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(urlset|sitemapindex|rss|feed)\b", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One listed URL (as written, not yet resolved) and the date written beside it, if any.

    ``published`` says whether that date is the publication date (``news:publication_date``,
    ``pubDate``, ``published``) rather than a modification date (``lastmod``, ``updated``).
    """

    loc: str
    date: str | None
    published: bool = False


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
    for match in _ENTRY.finditer(text):
        body = match.group(2)
        loc = next((found.group(1) for pattern in _LOCATIONS if (found := pattern.search(body))), None)
        if not loc:
            continue
        published = _PUBLISHED.search(body)
        stamp = published or _MODIFIED.search(body)
        entries.append(SitemapEntry(loc, stamp.group(1) if stamp else None, published is not None))
    return Sitemap("<sitemapindex" in text[:2000], tuple(entries))
