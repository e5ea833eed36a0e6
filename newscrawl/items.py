"""The Article item: one news article, all of its pages merged, as delivered in the feeds.

Fields are documented in the README's "The item" table; keep both in step. Fields whose names
start with an underscore are working values for the pipelines and are never exported.
"""

from __future__ import annotations

import scrapy

# Exported fields, in the order they appear in every JSONL line.
EXPORT_FIELDS: tuple[str, ...] = (
    "url",
    "portal",
    "portal_name",
    "network",
    "title",
    "published_at",
    "published_raw",
    "published_from",
    "published_precision",
    "modified_at",
    "author",
    "editor",
    "source",
    "dateline",
    "section",
    "tags",
    "image_url",
    "image_caption",
    "body",
    "pages",
    "related_urls",
    "language",
    "crawled_at",
    "content_hash",
    "warc",
    "story_id",
    "copy_of",
)

# The request meta key under which the WARC archive (newscrawl/delivery/warc/) notes where a
# response was archived (``<file name>#<offset>``); the spider copies page 1's into ``warc``.
WARC_META = "newscrawl_warc"


class Article(scrapy.Item):
    """A news article; see the README for what each field holds."""

    url = scrapy.Field()
    portal = scrapy.Field()
    portal_name = scrapy.Field()
    network = scrapy.Field()
    title = scrapy.Field()
    published_at = scrapy.Field()
    published_raw = scrapy.Field()
    published_from = scrapy.Field()
    published_precision = scrapy.Field()
    modified_at = scrapy.Field()
    author = scrapy.Field()
    editor = scrapy.Field()
    source = scrapy.Field()
    dateline = scrapy.Field()
    section = scrapy.Field()
    tags = scrapy.Field()
    image_url = scrapy.Field()
    image_caption = scrapy.Field()
    body = scrapy.Field()
    pages = scrapy.Field()
    related_urls = scrapy.Field()
    language = scrapy.Field()
    crawled_at = scrapy.Field()
    # 32 hex digits: BLAKE2b-128 of the article's content (newscrawl.delivery.state.CONTENT_FIELDS); a new
    # value for the same url is an updated version.
    content_hash = scrapy.Field()
    # Where page 1 of the article is archived as fetched: ``<WARC file name>#<offset>`` of its response
    # record (NEWSCRAWL_WARC); null when the crawl keeps no archive.
    warc = scrapy.Field()
    # 16 hex digits: the story (group of near-duplicate articles, across portals and crawls) the article is in;
    # copy_of: the canonical URL of the story's earliest published article known when delivered (None for it).
    # Set by newscrawl.delivery.stories.
    story_id = scrapy.Field()
    copy_of = scrapy.Field()
    # Working values, not exported.
    _published_meta = scrapy.Field()
    _published_meta_from = scrapy.Field()
    _modified_meta = scrapy.Field()
    _dates = scrapy.Field()
    # The dates already decided by the spider (`extract.clean.DateOutcome`; a crawl with ``since``
    # needs them to choose what to follow): the dates pipeline takes them instead of deciding again.
    _dated = scrapy.Field()
    _timezone = scrapy.Field()
    # True when `_timezone` is WIB for want of any zone (a site no registry entry names, no ``-a timezone``);
    # then the site's own zone (`_site_zone`: its clocks' elsewhere on the page, `extract.site_clock`, or
    # its region's, `extract.site_place`; `_site_zone_from` says which) reads its dates.
    _zone_unknown = scrapy.Field()
    _site_zone = scrapy.Field()
    _site_zone_from = scrapy.Field()
    _pages_missing = scrapy.Field()
    # Which route found each field ({"body": "density", ...}, `extract.article.ArticlePage.routes`): for the
    # extraction health (newscrawl/delivery/health/).
    _routes = scrapy.Field()
    # What the stories made of the article (newscrawl/delivery/stories/): new, copy, known, short.
    _story_kind = scrapy.Field()
