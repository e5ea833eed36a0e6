"""The `kabar` spider: decides what to fetch next on Indonesia's regional news portals.

It starts from each portal's start pages (home, index, news sitemap), follows article links,
"Baca Juga" links and tag links, walks listing pagination, and merges the pages of a multi-page
article into one item. Everything about a page's content is left to `newscrawl.extract`; this
module never parses a field itself, and never leaves the hosts of the portals it crawls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.crawl.middlewares import blank, failure_key, not_html, page_source
from newscrawl.crawl.portal_stats import portal_stat
from newscrawl.crawl.render.policy import Renderer, configure
from newscrawl.extract import dates
from newscrawl.extract.archive import listing_before_since, stamp_before_since
from newscrawl.extract.article import extract_later_page
from newscrawl.extract.clean import before_since, page_fields, published_at, set_dates
from newscrawl.extract.detect import family_after
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import (
    absolute,
    canonical_url,
    link_kind,
    listing_url,
    origin,
    unusable_link,
    with_query,
)
from newscrawl.extract.pages import article_page, later_pages, merge_page
from newscrawl.extract.sitemap import is_sitemap, read_sitemap
from newscrawl.extract.structured import identity
from newscrawl.items import WARC_META, Article
from newscrawl.networks import get_profile
from newscrawl.params import KabarParams
from newscrawl.registry import load_registry
from newscrawl.spiders.backfill import Backfill
from newscrawl.spiders.targets import Target, Targets, build_targets

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from newscrawl.extract.article import ArticlePage
    from newscrawl.networks.base import Profile


# Request priority by kind: a later page of an article first (its item waits for it), then articles.
_PRIORITY = {"article": 10, "page": 20}


class KabarSpider(scrapy.Spider):
    """Crawl registered portals (or any site given by start_urls) into Article items."""

    name = "kabar"
    # Plain HTTP unless from_crawler finds a target that may need the browser.
    renderer = Renderer(mode="http", enabled=False)
    # A backfill (-a since=... -a until=...) walks dated archives instead (newscrawl/spiders/backfill.py).
    backfill: Backfill | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        registry = load_registry()
        self.params = KabarParams.parse(kwargs, registry)
        # Arguments are not passed on: Spider.__init__ would set them as raw string attributes.
        super().__init__(*args)
        self.registry = registry
        self.targets = Targets(build_targets(self.params, registry))
        # Both sets hold the links' 64-bit hashes (str caches its own), not the links: a quarter of
        # the memory over a long crawl. Two links share a hash about once in 10^7 crawls of a
        # million links; the hash seed changes every run, so a link missed that way is not missed twice.
        # Links never followed (off-site, not HTTP, malformed), each counted once per crawl.
        self._skipped_links: set[int] = set()
        # Links already requested: Scrapy's duplicate filter would drop them again, but only after
        # a Request, the spider middlewares and a fingerprint each (~70 us a link, ~35 links a page).
        self._followed: set[int] = set()
        # The URLs requested (`_unrequested`).
        self._requested: set[int] = set()
        self.config = Config()
        # One bound method per callback for the whole crawl. Scrapy checks every response's callback
        # against a cache of weak references (scrapy.utils.misc.is_generator_with_return_value), which
        # a fresh bound method per Request kept missing: it parsed the method's source again with
        # `ast` for most responses (3.7 % of a benchmark crawl's CPU, benchmarks/run.py --profile).
        for callback in ("parse", "on_error", "_more_pages", "_page_failed"):
            self.__dict__[callback] = getattr(self, callback)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> KabarSpider:
        """Create the spider, share its arguments and portals with the crawl, decide on rendering."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, KabarSpider)  # noqa: S101 - narrows the type for mypy
        CrawlContext.bind(crawler, CrawlContext(
            spider.params,
            tuple(t.as_started for t in spider.targets),
            spider.name,
            in_scope=lambda url: spider.targets.owner(url) is not None,
        ))
        spider.config = Config.from_settings(crawler.settings)
        spider.renderer = configure(crawler.settings, spider.params, ((t.portal, t.profile) for t in spider.targets))
        if spider.params.is_backfill:
            # The range's cap is a setting: checked again now that the settings are known.
            KabarParams.parse(kwargs, spider.registry, max_years=spider.config.backfill_max_years)
            spider.backfill = Backfill.create(spider, spider.params)
        return spider

    def target_for(self, url: str) -> Target | None:
        """The target whose hosts (and path prefix) own `url`; None means off-site."""
        return self.targets.owner(url)

    async def start(self) -> AsyncIterator[Any]:
        """Yield the start pages of every target (a backfill: the first pages of its archive walks)."""
        if self.backfill is not None:
            async for request in self.backfill.start():
                yield request
            return
        for target in self.targets:
            for request in self._unrequested(self._request(url, target, kind="start") for url in target.start_urls):
                yield request

    # --- requests ------------------------------------------------------------------------------

    def _request(self, url: str, target: Target, *, kind: str, depth: int = 0, **meta: Any) -> scrapy.Request:
        url = target.on_scheme(url)
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            meta=self.renderer.decorate(
                {"kabar": {"portal": target.portal.id, "kind": kind, "depth": depth, **meta}},
                url, target.portal, target.profile,
            ),
            priority=_PRIORITY.get(kind, 0),
        )

    def _article_request(self, url: str, target: Target) -> scrapy.Request:
        profile = target.profile
        fetch = canonical_url(url, profile) if profile else url
        if profile and profile.single_page_query:
            fetch = with_query(fetch, profile.single_page_query)
        return self._request(fetch, target, kind="article")

    def _unrequested(self, outputs: Iterable[Any]) -> Iterator[Any]:
        """`outputs` without the Requests for a URL already requested (not a dont_filter one).

        Scrapy's duplicate filter drops them (same URL, same fingerprint), but only after the spider
        middlewares, the engine and a fingerprint each: a quarter of a benchmark crawl's Requests.
        """
        for output in outputs:
            if isinstance(output, scrapy.Request) and not output.dont_filter:
                key = hash(output.url)
                if key in self._requested:
                    continue
                self._requested.add(key)
            yield output

    def _count(self, key: str, target: Target | None = None) -> None:
        """Count ``newscrawl/<key>``, and for `target`'s portal too (`crawl.portal_stats`)."""
        stats = self.crawler.stats
        assert stats is not None  # noqa: S101 - set by the crawler before any callback
        stats.inc_value(f"newscrawl/{key}")
        if target is not None:
            self._count_for(target, key)
            if key.startswith("errors/"):
                stats.inc_value(f"newscrawl/portal_errors/{target.stats_key}")

    def _count_for(self, target: Target, key: str, count: int = 1) -> None:
        """Count `key` for `target`'s portal only (what the extraction health compares across crawls)."""
        self.crawler.stats.inc_value(portal_stat(key, target.stats_key), count)

    # --- callbacks -----------------------------------------------------------------------------

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> Iterator[Any]:  # noqa: ARG002
        """Classify a response (sitemap, article, listing) and hand it to the right handler."""
        info = response.meta.get("kabar", {})
        target = self.target_for(response.url) or self.targets.by_id(info.get("portal"))
        if target is None:
            self._count("skipped/offsite_redirect")
            return
        self.crawler.stats.set_value(f"newscrawl/portals/{target.stats_key}", "reached")
        self._count_for(target, "pages/answered")
        target.scheme = urlsplit(response.url).scheme or target.scheme
        if blank(response.body):
            self._count("errors/empty_response", target)
            return
        if not isinstance(response, TextResponse):
            self._count("skipped/not_html")
            return
        if is_sitemap(response.body[:4096]):
            yield from self._unrequested(self._sitemap(response, target))
            return
        if not_html(response):
            self._count("skipped/not_html")
            return
        # Parsed once, for the family check, the extraction and the links (`extract.doc`).
        doc = Doc.parse(page_source(response))
        out: list[Any] = []
        profile = self._profile(doc, target)
        if info.get("kind") == "start" and not target.family_starts_done:
            out += self._family_starts(response, target)
        page = article_page(doc, response.url, info.get("kind"), profile, zone_unknown=target.portal.zone_unknown)
        if page is not None:
            if page.jsonld_broken:
                self._count("warnings/jsonld_broken")
            out += self._article(response, doc, target, page)
        elif self.backfill is not None:
            self._count("skipped/not_an_article")  # a backfill reads archives, not the listings articles link to
        else:
            out += self._listing(response, doc, target, info.get("depth", 0))
        # The tree goes before Scrapy takes the outputs (one at a time): lexbor's tree of a 50 KB page
        # is ~1.5 MB, and held through that by every response in flight it was 48 MB of peak RSS.
        del doc
        yield from self._unrequested(out)

    def _profile(self, doc: Doc, target: Target) -> Profile:
        """The target's family: detected from its first page when not given, re-checked while generic."""
        before = target.profile
        if before is not None and target.redetect_left <= 0:
            return before
        claimed = None
        if before is None and not target.portal.registered:
            # A site reached by URL that says it is a registered portal is read by that portal's family.
            owner = self.registry.for_identity(*identity(doc))
            claimed = get_profile(owner.network) if owner is not None else None
        target.profile, target.redetect_left = family_after(doc, before, target.redetect_left, claimed)
        if target.profile is not before:
            verb = "detected network" if before is None else "network re-detected as"
            self.logger.info("%s: %s %s", target.portal.id, verb, target.profile.name)
        return target.profile

    def _family_starts(self, response: TextResponse, target: Target) -> Iterator[scrapy.Request]:
        """From a home page given as a start URL, also read the family's index and sitemap pages."""
        target.family_starts_done = True
        profile = target.profile
        if profile is None or not self.params.follow or urlsplit(response.url).path not in ("", "/"):
            return
        home = response.url.split("?")[0].rstrip("/")
        for path in (*profile.start_paths, *profile.sitemaps):
            if path != "/":
                yield self._request(home + path, target, kind="start")

    def _sitemap(self, response: TextResponse, target: Target) -> Iterator[scrapy.Request]:
        sitemap = read_sitemap(response.text)
        tz = dates.zone(target.portal.timezone)
        for entry in sitemap.entries:
            url = absolute(entry.loc, response.url)
            if not url or self.target_for(url) is not target:
                continue
            if stamp_before_since(entry.date, tz, self.params.since):
                self._count("skipped/older_than_since")
                continue
            if sitemap.is_index:
                yield self._request(url, target, kind="start")
            else:
                yield self._article_request(url, target)
        if not sitemap.entries:
            self._count("errors/empty_sitemap", target)

    def _article(self, response: TextResponse, doc: Doc, target: Target, page: ArticlePage) -> Iterator[Any]:
        profile = target.profile
        assert profile is not None  # noqa: S101 - set in parse()
        if page.page != 1:
            # A later page was linked: the article starts at page 1, whatever page was linked.
            yield self._article_request(page.url, target)
            return
        item = self._item(target, page)
        published = self._published(item, page, target)
        if self.backfill is not None and not self.backfill.keep(page.url, published):
            return
        # Where page 1 was archived (NEWSCRAWL_WARC), else None.
        item["warc"] = response.meta.get(WARC_META)
        if self._follows and not before_since(published, self.params.since):
            yield from self._follow_from_article(response, doc, target, page)
        remaining = later_pages(page, profile)
        if remaining:
            yield self._next_page_request(item, remaining, target)
        else:
            yield item

    def _next_page_request(self, item: Article, remaining: list[str], target: Target) -> scrapy.Request:
        # dont_filter: the article is already unique by its page 1, and a later page may have been
        # fetched before (when it was a start URL); filtering it here would lose the whole item.
        return self._request(remaining[0], target, kind="page").replace(
            callback=self._more_pages,
            errback=self._page_failed,
            cb_kwargs={"item": item, "remaining": remaining[1:]},
            dont_filter=True,
        )

    def _more_pages(self, response: scrapy.http.Response, item: Article, remaining: list[str]) -> Iterator[Any]:
        target = self.target_for(response.url) or self.targets.by_id(item["portal"])
        if target is None or target.profile is None or not isinstance(response, TextResponse):
            self._count("errors/page_unreadable")
            item["_pages_missing"] = (item.get("_pages_missing") or 0) + 1 + len(remaining)
            yield item
            return
        doc = Doc.parse(page_source(response))
        page = extract_later_page(doc, response.url, target.profile)
        merge_page(item, page)
        self._count("pages_merged")
        follow = list(self._follow_from_article(response, doc, target, page)) if self._follows else []
        del doc  # as in parse: the tree goes before Scrapy takes the outputs
        yield from self._unrequested(follow)
        if remaining:
            yield self._next_page_request(item, remaining, target)
        else:
            yield item

    def _page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        item: Article = request.cb_kwargs["item"]
        remaining: list[str] = request.cb_kwargs["remaining"]
        self._count("errors/page_failed")
        self.logger.warning(
            "page %s of %s failed (%s); delivering the pages fetched",
            request.url, item["url"], failure.getErrorMessage(),
        )
        item["_pages_missing"] = (item.get("_pages_missing") or 0) + 1 + len(remaining)
        yield item

    def _item(self, target: Target, page: ArticlePage) -> Article:
        portal = target.portal
        return Article(
            page_fields(page),
            # portal, portal_name, _timezone: the registered portal the page says it is, else the crawled one.
            **self.registry.page_portal(portal, page.identity, page.site_name),
            network=target.profile.name if target.profile else portal.network,
            crawled_at=datetime.now(UTC).isoformat(timespec="seconds"),
            _pages_missing=0,
        )

    def _published(self, item: Article, page: ArticlePage, target: Target) -> str | None:
        """``published_at`` on the crawled portal's clock, for the ``since``/``until`` checks; None without ``since``.

        Decided on the item, whose dates `DatesPipeline` then keeps; again only for a page that says
        it is a portal of another zone (its item's zone).
        """
        if self.params.since is None:
            return None
        item["_dated"] = set_dates(item)
        if item["_timezone"] == target.portal.timezone:
            published: str | None = item["published_at"]
            return published
        return published_at(page, target.portal.timezone)

    def _follow_from_article(
        self, response: TextResponse, doc: Doc, target: Target, page: ArticlePage,
    ) -> Iterator[scrapy.Request]:
        for url in page.related_urls:
            if hash(url) not in self._followed and self.target_for(url) is target:
                self._followed.add(hash(url))
                yield self._article_request(url, target)
        for url in page.tag_urls:
            if hash(url) not in self._followed and self.target_for(url) is target:
                self._followed.add(hash(url))
                yield self._request(listing_url(url), target, kind="tag", depth=0)
        yield from self._links(response, doc, target, depth=0, listings=False)

    def _listing(self, response: TextResponse, doc: Doc, target: Target, depth: int) -> Iterator[scrapy.Request]:
        profile = target.profile
        assert profile is not None  # noqa: S101 - set in parse()
        target.listings_seen += 1
        self._count_for(target, "listings/fetched")
        yield from self._links(response, doc, target, depth=depth, listings=True)
        if self._listing_is_old(doc, target):
            self._count("skipped/listing_older_than_since")
            return
        if depth + 1 > self.config.max_listing_depth:
            self._count("skipped/listing_depth")
            return
        for css in profile.listing_next:
            href = next((h for el in doc.elements_of(css) if (h := el.attrs.get("href")) is not None), None)
            url = absolute(href, response.url)
            if url and self.target_for(url) is target:
                yield self._request(listing_url(url), target, kind="listing", depth=depth + 1)
                break

    def _listing_is_old(self, doc: Doc, target: Target) -> bool:
        profile = target.profile
        return profile is not None and listing_before_since(
            doc, profile, dates.zone(target.portal.timezone), self.params.since,
        )

    def _links(
        self, response: TextResponse, doc: Doc, target: Target, *, depth: int, listings: bool,
    ) -> Iterator[scrapy.Request]:
        profile = target.profile
        assert profile is not None  # noqa: S101 - set in parse()
        max_listings = self.config.max_listings_per_portal
        max_depth = self.config.max_listing_depth
        capped = False
        listed = 0  # new article links
        for href, url in self._unseen(doc, response.url):
            if url is None or self.target_for(url) is not target:
                self._skip_link(href, url)
                continue
            kind = link_kind(url, profile)
            if kind == "article":
                listed += 1
                self._followed.add(hash(url))
                yield self._article_request(url, target)
                continue
            if kind != "tag" and not (listings and kind == "listing"):
                continue
            # A tag or listing linked from a listing is one more step of the same walk (pagination,
            # calendars, tag clouds), so traps hit the depth cap; a tag on an article starts afresh.
            # The page at the cap counts its stop once, in _listing.
            next_depth = depth + 1 if listings else 0
            if next_depth > max_depth:
                continue
            if target.listings_seen >= max_listings:
                capped = True
                continue
            self._followed.add(hash(url))
            yield self._request(listing_url(url), target, kind=kind, depth=next_depth)
        if capped:
            self._count("skipped/listing_cap")
        if listings and listed:
            self._count_for(target, "listings/article_links", listed)

    def _unseen(self, doc: Doc, base: str) -> Iterator[tuple[str, str | None]]:
        """The links of a page (href, its URL) not already requested nor counted as skipped, each once.

        Most were seen on earlier pages, and a root-relative or absolute href usually is, as written,
        the URL `absolute` makes of it: looked up first, it is not resolved.
        """
        root = origin(base)  # what `absolute` puts before a root-relative href
        followed, skipped = self._followed, self._skipped_links
        for href in dict.fromkeys(h for a in doc.tagged("a") if (h := a.attrs.get("href")) is not None):
            rooted = root is not None and href.startswith("/") and not href.startswith("//")
            raw = hash(f"{root}{href}" if rooted else href)
            if raw in followed or raw in skipped:
                continue
            url = absolute(href, base)
            if url is None or hash(url) not in followed:
                yield href, url

    def _skip_link(self, href: str, url: str | None) -> None:
        """Count a link that is never followed (off-site, not HTTP, malformed), each distinct one once."""
        # A link to another portal of this crawl is that portal's business, not a skip.
        key = unusable_link(href) if url is None else "offsite_link" if self.target_for(url) is None else None
        if key is None or hash(url or href) in self._skipped_links:
            return
        self._skipped_links.add(hash(url or href))
        self._count(f"skipped/{key}")

    @property
    def _follows(self) -> bool:
        """Whether links out of articles are followed (never in a backfill: it walks archives)."""
        return self.params.follow and self.backfill is None

    # --- a backfill's callbacks (newscrawl/spiders/backfill.py; spider methods, so requests can be stored) ---

    def backfill_home(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        """A portal's home page, read for the archive it offers."""
        assert self.backfill is not None  # noqa: S101 - only a backfill's requests come here
        yield from self.backfill.home(response)

    def backfill_page(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        """A page of a dated archive."""
        assert self.backfill is not None  # noqa: S101
        yield from self.backfill.page(response)

    def backfill_sitemap(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        """A sitemap of a portal's sitemap walk."""
        assert self.backfill is not None  # noqa: S101
        yield from self.backfill.sitemap(response)

    def backfill_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A page of a walk that could not be fetched."""
        assert self.backfill is not None  # noqa: S101
        yield from self.backfill.failed(failure)

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by reason (`newscrawl.middlewares.failure_key`); the crawl goes on."""
        request = failure.request  # type: ignore[attr-defined]
        key = failure_key(failure.value)
        if key is not None:
            self._count(key, self.target_for(request.url))
        self.logger.info("failed %s: %s", request.url, failure.getErrorMessage())

