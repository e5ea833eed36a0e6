"""``newscrawl extract --warc``: today's extraction and cleaning over archived pages, offline.

Reads the response records of WARC files written by a crawl (``NEWSCRAWL_WARC``) in the order
they were fetched, and reads each page as the crawl reads it, with the crawl's own functions: the
portal that owns the URL (the registry, else a site given by URL: `build_targets`), its family
(``-a network``, else detected from its first page: `family_after`), whether the page is an
article for the request that fetched it (`article_page`, by the kind each record carries), its
later pages merged in order from the archive (`later_pages`, `merge_page`; a page missing from
the archive is counted as a crawl counts a failed one), then the pipelines' steps: `clean_body`,
`set_dates` (at the time of the fetch, so "2 jam yang lalu" reads as it did then),
`missing_content`, ``since``, the dedup key, `content_hash` and the story (``story_id``,
``copy_of``: the stories of this run, kept in memory as for a crawl without a crawl state, taken in
the order the pages were fetched). Items are written as the crawl's feed writes them;
``crawled_at`` is the WARC-Date of page 1, ``warc`` where page 1 is archived.

Nothing here fetches: a page that is not in the archive is missing, never downloaded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import Headers, HtmlResponse, TextResponse
from scrapy.responsetypes import responsetypes

from newscrawl.config import Config
from newscrawl.crawl.middlewares import blank, not_html, page_source, real_encoding
from newscrawl.delivery.state import content_hash, key_digest
from newscrawl.delivery.stories import open_stories
from newscrawl.delivery.warc.reader import Archived, archived_responses, read_at
from newscrawl.extract import dates
from newscrawl.extract.article import extract_article
from newscrawl.extract.clean import before_since, clean_body, missing_content, page_fields, set_dates
from newscrawl.extract.detect import family_after
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import dedup_key, netloc
from newscrawl.extract.pages import article_page, later_pages, merge_page
from newscrawl.extract.sitemap import is_sitemap
from newscrawl.extract.structured import identity
from newscrawl.items import EXPORT_FIELDS
from newscrawl.networks import get_profile
from newscrawl.spiders.targets import build_targets

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from newscrawl.delivery.stories import StoryStore
    from newscrawl.networks.base import Profile
    from newscrawl.params import KabarParams
    from newscrawl.registry import Portal, Registry

# The spider arguments that mean something offline.
ARGUMENTS = ("network", "timezone", "since")
# Redirects followed inside the archive to find a later page (as REDIRECT_MAX_TIMES).
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class _Reading:
    """A portal as the offline reading knows it: its family, learnt as the crawl learns it."""

    portal: Portal
    profile: Profile | None
    checks_left: int = 0


@dataclass
class Reextraction:
    """One offline run over the WARC files at `path`; `counts` says what happened, as crawl stats do."""

    path: Path
    params: KabarParams
    registry: Registry
    counts: Counter[str] = field(default_factory=Counter)
    _index: dict[str, tuple[Path, int, int, str | None]] = field(default_factory=dict)
    _readings: dict[str, _Reading] = field(default_factory=dict)
    _seen: set[bytes] = field(default_factory=set)
    _stories: StoryStore = field(
        default_factory=lambda: open_stories(None, min_words=Config.from_settings({}).story_min_words),
    )

    def write(self, out: Path) -> int:
        """Write the articles to `out` (JSON lines, as the crawl's feed); return how many."""
        written = 0
        with out.open("wb") as file:
            exporter = JsonLinesItemExporter(
                file,  # type: ignore[arg-type] # Scrapy annotates BytesIO; the feeds give it any binary file
                fields_to_export=list(EXPORT_FIELDS), encoding="utf-8",
            )
            exporter.start_exporting()
            for item in self.articles():
                exporter.export_item(item)
                written += 1
            exporter.finish_exporting()
        return written

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article of the archive, in the order page 1 was fetched."""
        for archived in archived_responses(self.path):
            self._index[archived.url] = (archived.file, archived.offset, archived.status, archived.header("Location"))
        for archived in archived_responses(self.path):
            self.counts["responses"] += 1
            if archived.kind == "page" or not 200 <= archived.status < 300:
                continue  # later pages are read with their page 1; redirects and errors were never parsed
            item = self._article(archived)
            if item is not None and self._delivered(item):
                yield {name: item.get(name) for name in EXPORT_FIELDS}

    def _article(self, archived: Archived) -> dict[str, Any] | None:
        response = _response(archived)
        if not isinstance(response, TextResponse) or blank(response.body) or is_sitemap(response.body[:4096]):
            return None
        if not_html(response):
            return None
        doc = Doc.parse(page_source(response))
        reading = self._reading(archived.url, doc)
        profile = reading.profile
        assert profile is not None  # noqa: S101 - set by _reading
        page = article_page(doc, response.url, archived.kind, profile, zone_unknown=reading.portal.zone_unknown)
        if page is None or page.page != 1:
            return None
        item = page_fields(page)
        item.update(
            self.registry.page_portal(reading.portal, page.identity, page.site_name),
            network=profile.name,
            crawled_at=archived.fetched.isoformat(timespec="seconds"),
            warc=archived.location,
            _fetched=archived.fetched,
        )
        remaining = later_pages(page, profile)
        for n, url in enumerate(remaining):
            later = self._find(url)
            if later is None:
                self.counts["pages_missing"] += len(remaining) - n
                break
            merge_page(item, extract_article(Doc.parse(page_source(later)), later.url, profile))
            self.counts["pages_merged"] += 1
        return item

    def _delivered(self, item: dict[str, Any]) -> bool:
        """The pipelines' steps; False (counted) when the article is dropped."""
        clean_body(item)
        tz = dates.zone(item.get("_timezone") or "WIB")
        outcome = set_dates(item, now=item["_fetched"].astimezone(tz))
        if outcome.status != "ok":
            self.counts[f"date_{outcome.status}"] += 1
        reason = missing_content(item)
        if reason is None and before_since(item.get("published_at"), self.params.since):
            reason = "older_than_since"
        key = key_digest(dedup_key(item["url"]))
        if reason is None and key in self._seen:
            reason = "duplicate"
        if reason is not None:
            self.counts[f"dropped/{reason}"] += 1
            return False
        self._seen.add(key)
        item["content_hash"] = content_hash(item).hex()
        assigned = self._stories.assign(self._stories.article(item["url"], item["body"], item.get("published_at")))
        item["story_id"], item["copy_of"] = assigned.story_id, assigned.copy_of
        self.counts["articles"] += 1
        return True

    def _reading(self, url: str, doc: Doc) -> _Reading:
        """The portal owning `url` and its family, detected as the crawl detects it."""
        host = netloc(url)
        reading = self._readings.get(host)
        if reading is None:
            params = self.params
            registered = self.registry.for_url(url)
            # Not registered: the portal a crawl given this URL as start_urls makes of it.
            by_url = params.model_copy(update={"start_urls": (url,)})
            portal = registered or build_targets(by_url, self.registry)[0].portal
            network = params.network or (registered.network if registered else None)
            reading = self._readings[host] = _Reading(portal, get_profile(network) if network else None)
        if reading.profile is None or reading.checks_left > 0:
            claimed = None
            if reading.profile is None:
                owner = self.registry.for_identity(*identity(doc))
                claimed = get_profile(owner.network) if owner is not None else None
            reading.profile, reading.checks_left = family_after(doc, reading.profile, reading.checks_left, claimed)
        return reading

    def _find(self, url: str) -> TextResponse | None:
        """The archived 2xx response for a request of `url`, following archived redirects."""
        for _ in range(MAX_REDIRECTS + 1):
            found = self._index.get(url)
            if found is None:
                return None
            file, offset, status, location = found
            if status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            archived = read_at(file, offset) if 200 <= status < 300 else None
            response = _response(archived) if archived is not None else None
            return response if isinstance(response, TextResponse) else None
        return None


def _response(archived: Archived) -> Any:
    """The Scrapy response the crawl's spider got for `archived` (its class, its charset repaired)."""
    headers = Headers(list(archived.headers))
    cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    response = cls(url=archived.url, status=archived.status, headers=headers, body=archived.body)
    if isinstance(response, HtmlResponse) and archived.status == 200 and response.body:
        real = real_encoding(response.body, response.encoding)
        if real is not None:
            response = response.replace(encoding=real)
    return response
