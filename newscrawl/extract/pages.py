"""The pages of one multi-page article: which pages follow page 1, and how each is merged in.

Pure: fields in, fields out; no Scrapy. The spider fetches the pages in order and hands each
extracted page here, so a crawl and an offline re-extraction merge an article the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newscrawl.extract.links import with_query

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from newscrawl.extract.article import ArticlePage
    from newscrawl.networks.base import Profile


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
