"""The golden pages: real article pages per family (tests/fixtures/<family>/) and how they are read.

Each page is ``<name>.html.gz`` (the page as saved, gzipped) beside ``<name>.json``:
``{"source", "url", "expected": {...}}`` where ``url`` is the address the page was fetched at and
``expected`` holds the fields a reader sees, reviewed by hand (every exported field but three, see
`FIELDS`). `extract_fields` runs
exactly the steps the crawl runs (HtmlResponse decoding, `extract_article`, then the cleaning
steps of the pipelines), so the test, the review script and the quality benchmark share one path.
Nothing here writes a file or reaches the network.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse

from newscrawl.extract import clean as cleaning
from newscrawl.extract.article import ArticlePage, extract_article
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import netloc
from newscrawl.items import EXPORT_FIELDS
from newscrawl.networks import get_profile
from newscrawl.registry import Portal, load_registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The clock the golden pages are read at; only relative dates ("2 jam yang lalu") depend on it.
NOW = datetime.fromisoformat("2026-03-01T12:00:00+07:00")
# The fields compared with the reviewed expectation, in the order the JSON files list them: every
# exported field but `crawled_at` and `warc` (the clock of the fetch and where the fetch was archived,
# not values of the page), `content_hash` (a digest of other fields: the test recomputes it from the
# expected ones) and `story_id` / `copy_of` (which other articles the page copies: the stories pipeline
# decides that across pages, and tests/test_stories.py checks it on these pages), plus the page number
# and the last page the pager shows.
FIELDS: tuple[str, ...] = (
    *(name for name in EXPORT_FIELDS if name not in ("crawled_at", "warc", "content_hash", "story_id", "copy_of")),
    "page",
    "last_page",
)


@dataclass(frozen=True)
class Golden:
    """One golden page: its family, file names and reviewed expectation."""

    family: str
    name: str
    html_path: Path
    json_path: Path
    url: str
    source: str
    expected: dict[str, Any] | None

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


def goldens() -> list[Golden]:
    """Every golden page, sorted by family and name."""
    out = []
    for json_path in sorted(FIXTURES.glob("*/*.json")):
        family = json_path.parent.name
        data = json.loads(json_path.read_text(encoding="utf-8"))
        name = json_path.name.removesuffix(".json")
        out.append(
            Golden(
                family=family,
                name=name,
                html_path=json_path.with_name(f"{name}.html.gz"),
                json_path=json_path,
                url=data["url"],
                source=data.get("source", ""),
                expected=data.get("expected"),
            ),
        )
    return out


def response_for(body: bytes, url: str) -> HtmlResponse:
    """The response the spider would get for `body` served by the test servers (utf-8)."""
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def crawled_portal(url: str) -> Portal:
    """The portal a crawl of `url` runs as: the registered one owning it, else one made up for its host."""
    found = load_registry().for_url(url)
    if found is not None:
        return found
    host_port = netloc(url)
    return Portal(
        id=host_port, host=host_port.split(":")[0], path_prefix="", name=host_port, network="generic",
        media_group="", region="", timezone="WIB", start_urls=(url,), hosts=(host_port,), render="http",
        registered=False, zone_unknown=True,
    )


def read_as_crawled(
    body: bytes, url: str, family: str, *, now: datetime = NOW,
) -> tuple[ArticlePage, dict[str, Any], cleaning.DateOutcome]:
    """`body` fetched at `url`, read as a crawl reads it: extracted by `family`, given the portal the
    registry finds for it (or one made up for an unregistered host), cleaned and dated."""
    portal = crawled_portal(url)
    page = extract_article(
        Doc.parse(response_for(body, url).text), url, get_profile(family), zone_unknown=portal.zone_unknown,
    )
    fields = cleaning.page_fields(page)
    fields.update(load_registry().page_portal(portal, page.identity, page.site_name), network=family)
    cleaning.clean_body(fields)
    return page, fields, cleaning.set_dates(fields, now=now)


def extract_fields(golden: Golden, family: str | None = None, url: str | None = None) -> dict[str, Any]:
    """Read `golden` as the crawl does (fetched at `url`, by default its own); return the compared fields."""
    page, fields, _ = read_as_crawled(golden.html(), url or golden.url, family or golden.family)
    fields["page"] = page.page
    fields["last_page"] = page.last_page
    return {name: fields.get(name) for name in FIELDS}
