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
