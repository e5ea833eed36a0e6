"""The pages of one article: whether a page is read as an article, which pages follow page 1, how each is merged in.

Pure: fields in, fields out; no Scrapy. The spider fetches the pages in order and hands each
extracted page here, so a crawl and an offline re-extraction (``newscrawl extract``) read a page
and merge an article the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newscrawl.extract.article import extract_article
from newscrawl.extract.links import is_article_url, with_query

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from newscrawl.extract.article import ArticlePage
    from newscrawl.extract.doc import Doc
    from newscrawl.networks.base import Profile

# The spider's request kinds whose page is read as an article when it looks like one, whatever its
# URL (a start URL, a Baca Juga or news sitemap link); a listing's page is an article only by its URL.
MAYBE_ARTICLE_KINDS = frozenset({"start", "article"})


def article_page(
    doc: Doc, url: str, kind: str | None, profile: Profile, *, zone_unknown: bool = False,
) -> ArticlePage | None:
    """The page at `url`, fetched as a request of `kind`, extracted when it is read as an article; None: a listing.

    `zone_unknown`: no one registered the site's zone (`extract_article`).
    """
    by_url = is_article_url(url, profile)
    if not by_url and kind not in MAYBE_ARTICLE_KINDS:
        return None
    page = extract_article(doc, url, profile, zone_unknown=zone_unknown)
    return page if by_url or page.looks_like_article else None


def later_pages(page: ArticlePage, profile: Profile) -> list[str]:
    """The URLs of pages 2..last of the article whose page 1 is `page` (none for single-page views)."""
    if page.last_page <= 1 or profile.single_page_query:
        return []
    return [
        page.page_urls.get(n) or with_query(page.url, [(profile.page_param, str(n))])
        for n in range(2, page.last_page + 1)
    ]


def merge_page(fields: MutableMapping[str, Any], page: ArticlePage) -> None:
    """Add a later `page` to the article's `fields`: its paragraphs, links and what page 1 lacked."""
    if page.paragraphs:
        fields["body"] = "\n\n".join([fields["body"], *page.paragraphs] if fields["body"] else page.paragraphs)
    fields["pages"] += 1
    fields["related_urls"] = _union(fields["related_urls"], page.related_urls)
    if not fields["tags"] and page.tags:
        fields["tags"] = page.tags
        if "_routes" in fields:
            fields["_routes"]["tags"] = page.routes["tags"]
    fields["image_caption"] = fields["image_caption"] or page.image_caption
    for name in ("editor", "source"):
        if not fields.get(name) and getattr(page, name):
            fields[name] = getattr(page, name)


def _union(first: list[str], more: list[str]) -> list[str]:
    """`first`, then the URLs of `more` not already in it, in order."""
    seen = set(first)
    out = list(first)
    for url in more:
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out
