"""A backfill's walk: each portal's dated archive, span by span and page by page, and the articles it lists.

What it is for
    In a backfill (``-a since=… -a until=…``) `Backfill` decides what `kabar` fetches: for every
    span of the range (a day, or the month or year an archive lists at once) and every portal,
    the first page of its family's `DatedArchive` (for the generic family, chosen from its home
    page: Blogger's feed, its sitemaps, WordPress's day archives). A walk goes on while a page
    lists an article the page before did not, and stops at the span's edge; an unverified
    archive that keeps failing sends the portal to its sitemaps too. Articles a URL, feed or
    sitemap dates outside the range are skipped unfetched; `keep` applies the one date rule to
    the others (``published_at``, `before_since` / `after_until`). With a JOBDIR, the journal
    (newscrawl/crawl/journal.py) lets a restarted backfill skip what was walked and replay what
    was found but not delivered.

What it must never do
    Read an article's fields itself, follow links out of articles, or leave a portal's hosts.
    Its requests carry all a walk needs (span, page, the page before's links), so that any
    process of a cluster can take the next page.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.config import Config
from newscrawl.crawl.journal import Journal, article_digest, identity
from newscrawl.crawl.middlewares import page_source
from newscrawl.extract import dates
from newscrawl.extract.archive import (
    SITEMAPS,
    Span,
    Walked,
    archive_url,
    child_outside,
    choose,
    days,
    entry_day,
    is_entry_article,
    listed_links,
    listing_days,
    needs_home,
    outside,
    span_of,
    spans,
    url_day,
)
from newscrawl.extract.clean import after_until, before_since
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import absolute, canonical_url, link_kind
from newscrawl.extract.sitemap import SitemapEntry, is_sitemap, read_sitemap
from newscrawl.networks import get_profile

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator
    from datetime import date, tzinfo

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

    from newscrawl.networks.base import DatedArchive, Profile
    from newscrawl.params import KabarParams
    from newscrawl.spiders.targets import Target, Targets

logger = logging.getLogger(__name__)

# Request priorities: a walk under way finishes before new walks start; articles before both.
_CONTINUE = 5
_STATS = "newscrawl/backfill/"
NOT_FOUND = 404
# Walks of an unverified archive that must fail, none listing anything, before its sitemaps are walked too.
FAILURES_BEFORE_FALLBACK = 3


class ArchiveSpider(Protocol):
    """What a backfill needs of the `kabar` spider (newscrawl/spiders/kabar.py)."""

    crawler: Crawler
    targets: Targets
    _followed: set[int]

    def _request(self, url: str, target: Target, *, kind: str, depth: int = 0, **meta: Any) -> Request:
        """A request for a page of `target` (its meta under "kabar")."""

    def _article_request(self, url: str, target: Target) -> Request:
        """A request for an article (its canonical URL, or the family's single-page view)."""

    def _count(self, key: str, target: Target | None = None) -> None:
        """Count ``newscrawl/<key>``."""

    def _profile(self, doc: Doc, target: Target) -> Profile:
        """The target's family, detected from `doc` when not known."""

    def _skip_link(self, href: str, url: str | None) -> None:
        """Count a link never followed, once."""

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by reason."""

    def backfill_home(self, response: Response) -> Iterator[Request]:
        """Callback: `Backfill.home`."""

    def backfill_page(self, response: Response) -> Iterator[Request]:
        """Callback: `Backfill.page`."""

    def backfill_sitemap(self, response: Response) -> Iterator[Request]:
        """Callback: `Backfill.sitemap`."""

    def backfill_failed(self, failure: Failure) -> Iterator[Request]:
        """Errback of every backfill request: `Backfill.failed`."""


def _stable(url: str) -> int:
    """A link's hash that every process and every run agree on (the page before's links travel in requests)."""
    return int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big")


class Backfill:
    """The walk of every portal's dated archives over the backfill's range (one per crawl)."""

    def __init__(self, spider: ArchiveSpider, params: KabarParams, journal: Journal | None) -> None:
        assert params.since is not None  # noqa: S101 - a backfill always has one (KabarParams)
        self.spider = spider
        self.since: date = params.since
        self.until: date = params.last_day
        self.journal = journal
        self.max_pages = Config.of(spider.crawler).backfill_max_pages
        # The walks that reached their end, and so the days (from the journal, then this run).
        self.walked = Walked(self.since, self.until, len(spider.targets.all))
        # Sitemap walks under way in this process (requests outstanding), and portals sent to them.
        self._sitemaps_open: dict[str, int] = {}
        self._fell_back: set[str] = set()
        # An unverified archive's walks that listed nothing, per portal, while none has listed anything.
        self._failures: dict[str, int] = {}
        self._listed: set[str] = set()
        spider.crawler.signals.connect(self._opened, signal=signals.spider_opened)

    @property
    def stats(self) -> StatsCollector:
        """The crawl's stats (they exist once the crawl has started)."""
        stats = self.spider.crawler.stats
        assert stats is not None  # noqa: S101 - callbacks run after the crawl started
        return stats

    def _opened(self) -> None:
        number = len(list(days(self.since, self.until)))
        self.stats.set_value(f"{_STATS}portal_days", number * len(self.spider.targets.all))
        self.stats.set_value(f"{_STATS}days", number)
        self.stats.set_value(f"{_STATS}portal_days_walked", 0)
        self.stats.set_value(f"{_STATS}days_walked", 0)
        for portal, key in self.journal.walked if self.journal else ():
            self._mark_walked(portal, key)

    @classmethod
    def create(cls, spider: ArchiveSpider, params: KabarParams) -> Backfill:
        """The crawl's backfill, with a journal in JOBDIR when one is set (not in cluster mode)."""
        crawler = spider.crawler
        jobdir = crawler.settings.get("JOBDIR")
        journal = None
        if jobdir and not Config.of(crawler).cluster:
            name = identity(params.since, params.until, (t.portal.id for t in spider.targets))
            journal = Journal.start(crawler, Path(jobdir), name)
            # At engine stop: after the feeds' last commits (an S3 batch) were recorded.
            crawler.signals.connect(journal.close, signal=signals.engine_stopped)
        return cls(spider, params, journal)

    # --- what to fetch first ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """What the journal left over, the home pages that choose an archive, then every span, oldest first."""
        spider = self.spider
        for portal, url in self.journal.left_over() if self.journal else ():
            target = spider.targets.by_id(portal)
            if target is not None and hash(url) not in spider._followed:  # noqa: SLF001 - the spider's own set
                spider._followed.add(hash(url))  # noqa: SLF001
                yield spider._article_request(url, target)  # noqa: SLF001
        walks: list[Iterator[tuple[date, int, Request]]] = []
        for n, target in enumerate(spider.targets):
            profile = target.profile
            if profile is None or needs_home(profile.archives):
                yield self._home_request(target)
            else:
                walks.append(self._begin(target, profile, choose(profile.archives, None), n))
        engine = spider.crawler.engine
        # Lazily, as Scrapy's docs show (start-requests-lazy): a long range does not fill this
        # process's queue. In cluster mode the queue is shared: every walk goes there at once, so
        # that every process finds days to take.
        lazy = not Config.of(spider.crawler).cluster
        for _, _, request in heapq.merge(*walks, key=lambda walk: walk[:2]):
            if lazy and engine is not None and engine.needs_backout():
                await spider.crawler.signals.wait_for(signals.scheduler_empty)
            yield request

    def _begin(
        self, target: Target, profile: Profile, archive: DatedArchive | None, order: int,
    ) -> Iterator[tuple[date, int, Request]]:
        """(first day, portal's place, request) of every walk of `target` not walked yet, oldest first.

        `archive` is the one the portal offers (None: none); one that comes after the sitemaps is
        walked only if they list nothing (`_sitemap_missing`).
        """
        if archive is None or archive.sitemaps_first:
            then = profile.archives.index(archive) if archive is not None else None
            if not self.walked.has(target.portal.id, SITEMAPS):
                yield self.since, order, self._sitemap_root(target, profile, profile.archive_sitemaps, then)
            return
        yield from self._walks(target, profile, profile.archives.index(archive), order)

    def _walks(self, target: Target, profile: Profile, index: int, order: int) -> Iterator[tuple[date, int, Request]]:
        archive = profile.archives[index]
        for span in spans(archive.span, self.since, self.until):
            if not self.walked.has(target.portal.id, span.key):
                yield span.first, order, self._archive_request(target, index, span, archive.first_page)

    def _home_request(self, target: Target) -> Request:
        return self.spider._request(self._home(target) + "/", target, kind="start").replace(  # noqa: SLF001
            callback=self.spider.backfill_home, errback=self.spider.backfill_failed,
        )

    @staticmethod
    def _home(target: Target) -> str:
        parts = urlsplit(target.start_urls[0]) if target.start_urls else urlsplit(target.portal.home_url)
        return f"{parts.scheme}://{parts.netloc}{target.portal.path_prefix}"

    def _archive_request(
        self, target: Target, index: int, span: Span, page: int, prev: list[int] | None = None,
    ) -> Request:
        profile = self._family(target)
        archive = profile.archives[index]
        url = archive_url(self._home(target), archive, span, page, target.portal.timezone)
        walk = {"network": profile.name, "archive": index, "span": span.key, "page": page, "prev": prev or []}
        request = self.spider._request(url, target, kind="archive", depth=page, backfill=walk)  # noqa: SLF001
        return request.replace(
            callback=self.spider.backfill_page, errback=self.spider.backfill_failed,
            priority=_CONTINUE if prev is not None else 0,
        )

    def _sitemap_root(self, target: Target, profile: Profile, paths: tuple[str, ...], then: int | None) -> Request:
        """The first of the portal's sitemap paths; the others are tried in turn if it lists nothing."""
        walk = {"network": profile.name, "span": SITEMAPS, "try": list(paths[1:]), "then": then}
        self._sitemaps_open[target.portal.id] = self._sitemaps_open.get(target.portal.id, 0) + 1
        return self._sitemap_request(self._home(target) + paths[0], target, walk)

    def _sitemap_request(self, url: str, target: Target, walk: dict[str, Any]) -> Request:
        request = self.spider._request(url, target, kind="sitemap", backfill=walk)  # noqa: SLF001
        return request.replace(callback=self.spider.backfill_sitemap, errback=self.spider.backfill_failed)

    # --- callbacks ---------------------------------------------------------------------------------

    def home(self, response: Response) -> Iterator[Request]:
        """A portal's home page: its family (when not known) and the archive it offers."""
        target = self._target(response)
        if target is None:
            return
        doc = Doc.parse(page_source(response)) if isinstance(response, TextResponse) else None
        profile = self.spider._profile(doc, target) if doc is not None else get_profile("generic")  # noqa: SLF001
        target.profile = target.profile or profile
        for _, _, request in self._begin(target, profile, choose(profile.archives, doc), 0):
            yield request

    def page(self, response: Response) -> Iterator[Request]:
        """One page of a walk: its articles in the range, then the next page or the end of the walk."""
        target, walk = self._target(response), response.meta["kabar"]["backfill"]
        if target is None or not isinstance(response, TextResponse):
            return
        self.stats.inc_value(f"{_STATS}archive_pages")
        profile = self._profile_of(target, walk)
        archive = profile.archives[walk["archive"]]
        span, page = span_of(walk["span"], self.since, self.until), walk["page"]
        entries, listed = self._entries(response, target, profile, archive)
        known = [day for _, day in entries if day is not None] or listed
        slack = timedelta(days=1)
        # A day or month archive answering with later articles only has ignored the date asked for.
        ignored = span.unit != "year" and page == archive.first_page and bool(known) and min(known) > span.last + slack
        if ignored:
            self.spider._count("warnings/archive_ignored_date", target)  # noqa: SLF001
        else:
            yield from self._articles(target, profile, span, entries)
        ids = [_stable(url) for url, _ in entries]
        new = set(ids) - set(walk["prev"])
        # Past the span's start: what this page adds (not the links every page repeats) is older.
        added = [day for (_, day), i in zip(entries, ids, strict=True) if i in new and day is not None] or listed
        past_edge = bool(added) and max(added) < span.first - slack
        if page == archive.first_page:
            yield from self._judged(target, profile, archive, listed=bool(entries) and not ignored)
        if new and not ignored and not past_edge and page - archive.first_page + 1 < self.max_pages:
            yield self._archive_request(target, walk["archive"], span, page + 1, ids)
        else:
            self._walk_ended(target, span)

    def sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap (index) of a portal's sitemap walk: child sitemaps and articles in the range."""
        target, walk = self._target(response), response.meta["kabar"]["backfill"]
        if target is None:
            return
        profile = self._profile_of(target, walk)
        sitemap = None
        if isinstance(response, TextResponse) and is_sitemap(response.body[:4096]):
            sitemap = read_sitemap(response.text)
        if sitemap is None or not sitemap.entries:
            self.stats.inc_value(f"{_STATS}sitemap_not_found")  # not a sitemap (a soft 404), or an empty one
            yield from self._sitemap_missing(target, profile, walk)
            return
        walk = {"network": profile.name, "span": SITEMAPS}
        tz = dates.zone(target.portal.timezone)
        if sitemap.is_index:
            children = [url for entry in sitemap.entries if (url := self._child(response.url, entry, target, tz))]
            self._sitemaps_open[target.portal.id] = self._sitemaps_open.get(target.portal.id, 0) + len(children)
            for url in children:
                yield self._sitemap_request(url, target, walk)
        else:
            entries = self._feed_entries(sitemap.entries, response.url, target, profile)
            yield from self._articles(target, profile, Span(self.since, self.until, SITEMAPS), entries)
        self._sitemap_settled(target)

    def failed(self, failure: Failure) -> Iterator[Request]:
        """A walk's page or a sitemap could not be fetched: count it, and end (or redirect) the walk."""
        request = failure.request  # type: ignore[attr-defined]
        kabar = request.meta.get("kabar", {})
        walk, target = kabar.get("backfill"), self.spider.targets.by_id(kabar.get("portal"))
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if target is None:
            return
        kind = kabar.get("kind")
        # A 404 in a walk is an answer, not a failure: no page for that day (WordPress), a pager past
        # its last page, a sitemap path the site does not use. Anything else is counted as an error.
        if isinstance(failure.value, HttpError) and status == NOT_FOUND and kind in ("archive", "sitemap"):
            self.stats.inc_value(f"{_STATS}{kind}_not_found")
        else:
            self.spider.on_error(failure)
        if kind == "start":  # the home page: its markers are unknown; sitemaps, then nothing
            profile = target.profile or get_profile("generic")
            yield self._sitemap_root(target, profile, profile.archive_sitemaps, None)
            return
        profile = self._profile_of(target, walk)
        if kind == "sitemap":
            yield from self._sitemap_missing(target, profile, walk)
            return
        archive = profile.archives[walk["archive"]]
        if walk["page"] == archive.first_page:
            yield from self._judged(target, profile, archive, listed=False)
        self._walk_ended(target, span_of(walk["span"], self.since, self.until))

    def keep(self, url: str, published: str | None) -> bool:
        """Whether the article at `url` is delivered: `published` (its portal's clock) in range, not delivered yet."""
        digest = article_digest(url)
        if before_since(published, self.since) or after_until(published, self.until):
            self.spider._count("skipped/out_of_range")  # noqa: SLF001
            if self.journal is not None:
                self.journal.note_done(digest)
            return False
        if self.journal is not None and digest in self.journal.done:
            self.spider._count("skipped/already_delivered")  # noqa: SLF001
            return False
        return True

    # --- reading archive pages ---------------------------------------------------------------------

    def _entries(
        self, response: TextResponse, target: Target, profile: Profile, archive: DatedArchive,
    ) -> tuple[list[tuple[str, date | None]], list[date]]:
        """The article URLs a page lists, each with the day it states, and the absolute dates the listing shows."""
        tz = dates.zone(target.portal.timezone)
        if archive.kind == "feed" or is_sitemap(response.body[:4096]):
            return self._feed_entries(read_sitemap(response.text).entries, response.url, target, profile), []
        doc = Doc.parse(page_source(response))
        entries: dict[str, date | None] = {}
        for href, url in listed_links(doc, response.url, archive):
            if url is None or self.spider.targets.owner(url) is not target:
                self.spider._skip_link(href, url)  # noqa: SLF001
            elif url not in entries and (archive.items or link_kind(url, profile) == "article"):
                entries[url] = url_day(url)
        return list(entries.items()), listing_days(doc, profile, tz)

    def _feed_entries(
        self, listed: Iterable[SitemapEntry], base: str, target: Target, profile: Profile,
    ) -> list[tuple[str, date | None]]:
        """The articles of the portal a feed or sitemap lists, each with the day it states."""
        tz = dates.zone(target.portal.timezone)
        return [(url, entry_day(entry, url, tz, self.since)) for entry in listed
                if (url := absolute(entry.loc, base)) and self.spider.targets.owner(url) is target
                and is_entry_article(url, profile)]

    def _articles(
        self, target: Target, profile: Profile, span: Span, entries: list[tuple[str, date | None]],
    ) -> Iterator[Request]:
        """Requests for the listed articles not seen before, skipping (unfetched) those dated outside the range."""
        spider, found = self.spider, []
        for listed, day in entries:
            url = canonical_url(listed, profile)
            if hash(url) in spider._followed:  # noqa: SLF001 - the spider's own set of requested links
                continue
            spider._followed.add(hash(url))  # noqa: SLF001
            if day is not None and outside(day, self.since, self.until):
                spider._count("skipped/out_of_range")  # noqa: SLF001
            elif self.journal is not None and article_digest(url) in self.journal.done:
                spider._count("skipped/already_delivered")  # noqa: SLF001
            else:
                found.append(url)
        if self.journal is not None and found:
            self.journal.note_found(target.portal.id, span.key, found)
        for url in found:
            yield spider._article_request(url, target)  # noqa: SLF001

    def _child(self, base: str, entry: SitemapEntry, target: Target, tz: tzinfo) -> str | None:
        """A child sitemap's URL, unless its name or its lastmod puts it wholly outside the range."""
        url = absolute(entry.loc, base)
        if url is None or self.spider.targets.owner(url) is not target:
            return None
        if child_outside(entry, url, tz, self.since, self.until):
            self.stats.inc_value(f"{_STATS}sitemaps_skipped")
            return None
        return url

    # --- ends of walks -----------------------------------------------------------------------------

    def _judged(
        self, target: Target, profile: Profile, archive: DatedArchive, *, listed: bool,
    ) -> Iterator[Request]:
        """A walk's first page listed articles, or not (an error, nothing, other dates).

        An unverified archive whose first `FAILURES_BEFORE_FALLBACK` walks of a portal all failed,
        none having listed anything, is taken for a pattern the portal does not use: its sitemaps
        are walked as well (once). A day with no article does not count against one that worked.
        """
        portal = target.portal.id
        if listed:
            self._listed.add(portal)
            return
        self._failures[portal] = self._failures.get(portal, 0) + 1
        if archive.verified or portal in self._listed or portal in self._fell_back:
            return
        if self._failures[portal] < FAILURES_BEFORE_FALLBACK:
            return
        self._fell_back.add(portal)
        self.stats.inc_value(f"{_STATS}fell_back_to_sitemaps")
        logger.info("backfill: %s's dated archive (%s, unverified) failed; walking its sitemaps as well",
                    target.portal.id, profile.name)
        if not self.walked.has(target.portal.id, SITEMAPS):
            yield self._sitemap_root(target, profile, profile.archive_sitemaps, None)

    def _sitemap_missing(self, target: Target, profile: Profile, walk: dict[str, Any]) -> Iterator[Request]:
        """A sitemap answered nothing: try the next path; after the last, the archive to use instead, if any."""
        if walk.get("try"):
            self._sitemaps_open[target.portal.id] = self._sitemaps_open.get(target.portal.id, 0) + 1
            yield self._sitemap_request(self._home(target) + walk["try"][0], target, {**walk, "try": walk["try"][1:]})
        elif "try" in walk and walk.get("then") is not None:
            logger.info("backfill: %s has no sitemap; walking its %s", target.portal.id,
                        profile.archives[walk["then"]].template)
            for _, _, request in self._walks(target, profile, walk["then"], 0):
                yield request
        elif "try" in walk and target.portal.id not in self._fell_back:
            self.spider._count("warnings/no_dated_archive", target)  # noqa: SLF001
            logger.warning("backfill: %s offers no dated archive and no sitemap; nothing to walk", target.portal.id)
        self._sitemap_settled(target)

    def _sitemap_settled(self, target: Target) -> None:
        portal = target.portal.id
        self._sitemaps_open[portal] = self._sitemaps_open.get(portal, 1) - 1
        if self._sitemaps_open[portal] <= 0:
            self._walk_ended(target, Span(self.since, self.until, SITEMAPS))

    def _walk_ended(self, target: Target, span: Span) -> None:
        if self.journal is not None:
            self.journal.note_walked(target.portal.id, span.key)
        self._mark_walked(target.portal.id, span.key)

    def _mark_walked(self, portal: str, key: str) -> None:
        """Count the days of a finished walk (a sitemap walk covers them all) towards the progress."""
        portal_days, all_portals = self.walked.add(portal, key)
        self.stats.inc_value(f"{_STATS}portal_days_walked", portal_days)
        self.stats.inc_value(f"{_STATS}days_walked", all_portals)

    # --- helpers -----------------------------------------------------------------------------------

    def _target(self, response: Any) -> Target | None:
        target = self.spider.targets.by_id(response.meta.get("kabar", {}).get("portal"))
        if target is not None:
            self.stats.set_value(f"newscrawl/portals/{target.stats_key}", "reached")
        return target

    @staticmethod
    def _profile_of(target: Target, walk: dict[str, Any]) -> Profile:
        """The family a walk reads (carried by its requests: another process may not have detected it)."""
        if target.profile is None:
            target.profile = get_profile(walk["network"])
        return target.profile

    @staticmethod
    def _family(target: Target) -> Profile:
        """The family of a target whose walks have begun (known by then: given, or read off its home page)."""
        assert target.profile is not None  # noqa: S101 - set before any walk of the target begins
        return target.profile
