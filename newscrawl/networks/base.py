"""The shape of a network family profile: selectors, URL patterns and quirks, as plain data.

A profile describes one CMS family (PRMN, Tribun, ...). It holds no code paths of its own beyond
small derived helpers: the extractor (`newscrawl.extract`) and the spider read these fields. A
profile must never fetch anything or know about a particular portal's host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class PageAction:
    """One browser action on a JS-rendered page, declared as data (see `newscrawl.crawl.render`)."""

    kind: str  # "wait" (for selector), "click" (selector, repeat times), "scroll" (repeat times)
    selector: str = ""
    repeat: int = 1
    # Which pages it runs on: "listing" (start, section, tag pages), "article", or "any".
    on: str = "any"


@dataclass(frozen=True)
class DatedArchive:
    """Where a family lists what it published on one day (or month) of its past: URL templates, as data.

    `template` is a path (with its query) under the portal's home, filled by ``str.format`` with
    ``date`` (the first day the page covers, a `datetime.date`: ``{date:%d-%m-%Y}``, or
    ``{date.month}`` for a month without a leading zero), ``end`` (its last day), ``after`` (the day
    after ``end``), ``page`` (the page number, from `first_page`), ``index`` (the position of the
    page's first item: 1 + (page - first_page) * per_page) and ``zone`` (the portal's UTC offset,
    URL-encoded: ``%2B07:00``). A day's (or month's) pages are walked while each lists an article
    the page before did not list.
    """

    template: str
    # Page 1's own template, when it differs (WordPress: "/2024/01/15/" then "/2024/01/15/page/2/").
    first: str = ""
    first_page: int = 1
    # What one walk covers: "day" or "month" (clamped to the backfill's range).
    span: str = "day"
    # "listing": an HTML index page; "feed": an RSS or Atom feed.
    kind: str = "listing"
    # Items per page, for {index}.
    per_page: int = 0
    # CSS selectors of the listed article links (empty: every article link of the page).
    items: tuple[str, ...] = ()
    # Markers on the portal's home page (CSS) that say the site offers this archive; empty: every
    # portal of the family does.
    when: tuple[str, ...] = ()
    # Used only when the portal's sitemaps (Profile.archive_sitemaps) list nothing.
    sitemaps_first: bool = False
    # True: read off a real page of the family (shared/realworld) or the CMS's documented interface.
    # False: known from public scrapers only; a day it answers with an error or no article sends
    # the crawl to the portal's sitemaps as well.
    verified: bool = False

    @property
    def spans_months(self) -> bool:
        """Whether one walk covers a month (else a day)."""
        return self.span == "month"


@dataclass(frozen=True)
class Profile:
    """Declarative description of one network family.

    Selectors are CSS, tried in order: the first one that yields something wins. URL patterns are
    regular expressions matched (``re.search``) against the URL path (plus ``?query`` when present).
    """

    name: str
    # How to recognise the family from markup: CSS selectors that only this CMS produces.
    detect: tuple[str, ...] = ()

    # Extraction selectors.
    title: tuple[str, ...] = ("h1",)
    author: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    # Pick the date element nearest the headline instead of the first match (for broad selectors).
    date_near_title: bool = False
    modified: tuple[str, ...] = ()
    body: tuple[str, ...] = ("article",)
    # Removed from the body before its paragraphs are read: captions, ads, share widgets, pagers,
    # related-article boxes. The text rules in `extract.boilerplate` catch what markup does not.
    body_drop: tuple[str, ...] = ()
    # A body selector match with fewer words than this is checked against the densest text block.
    min_body_words: int = 20
    image: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    editor: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    # Links of related-article ("Baca Juga") boxes that are not plain paragraphs.
    related: tuple[str, ...] = ()
    # Article pager: links to the other pages of the same article.
    pager: tuple[str, ...] = ()
    # Listing pages: the "next page" link, and where a listed article's date is shown.
    listing_next: tuple[str, ...] = ('a[rel="next"]',)
    listing_date: tuple[str, ...] = ()

    # URL rules (regular expressions on path[?query]).
    article_url: tuple[str, ...] = ()
    tag_url: tuple[str, ...] = (r"/(?:tag|tags|topik|topic|label)/[^/]+",)
    listing_url: tuple[str, ...] = ()
    deny_url: tuple[str, ...] = ()
    # AMP (or mobile) paths rewritten to the canonical path: (pattern, replacement) pairs.
    amp_rewrite: tuple[tuple[str, str], ...] = ()
    # Query parameters that identify an article (kept in its canonical URL); all others dropped.
    keep_query: tuple[str, ...] = ()
    page_param: str = "page"
    # Query that makes the CMS serve every page of an article in one response, e.g. page=all.
    single_page_query: tuple[tuple[str, str], ...] = ()

    # Where a crawl of a portal starts, relative to its home URL.
    start_paths: tuple[str, ...] = ("/",)
    sitemaps: tuple[str, ...] = ()

    # Backfills: the dated archives, tried in order (the first whose `when` markers the home page
    # shows), and the sitemaps (indexes with dated child sitemaps) read when none applies or when an
    # unverified archive fails.
    archives: tuple[DatedArchive, ...] = ()
    archive_sitemaps: tuple[str, ...] = ("/sitemap.xml", "/sitemap_index.xml")

    # JS rendering: URL patterns that need a browser, and what to do on them.
    render_url: tuple[str, ...] = ()
    page_actions: tuple[PageAction, ...] = ()

    # Free-form notes for maintainers: where the rules came from.
    notes: str = field(default="", compare=False)

    @cached_property
    def article_res(self) -> tuple[re.Pattern[str], ...]:
        """Compiled `article_url` patterns."""
        return tuple(re.compile(p) for p in self.article_url)

    @cached_property
    def tag_res(self) -> tuple[re.Pattern[str], ...]:
        """Compiled `tag_url` patterns."""
        return tuple(re.compile(p, re.IGNORECASE) for p in self.tag_url)

    @cached_property
    def listing_res(self) -> tuple[re.Pattern[str], ...]:
        """Compiled `listing_url` patterns."""
        return tuple(re.compile(p, re.IGNORECASE) for p in self.listing_url)

    @cached_property
    def deny_res(self) -> tuple[re.Pattern[str], ...]:
        """Compiled `deny_url` patterns."""
        return tuple(re.compile(p, re.IGNORECASE) for p in self.deny_url)

    @cached_property
    def amp_res(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Compiled `amp_rewrite` rules."""
        return tuple((re.compile(p), r) for p, r in self.amp_rewrite)

    @cached_property
    def render_res(self) -> tuple[re.Pattern[str], ...]:
        """Compiled `render_url` patterns."""
        return tuple(re.compile(p) for p in self.render_url)
