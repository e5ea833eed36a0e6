"""Machine-readable metadata of a page: JSON-LD (schema.org NewsArticle) and meta tags.

Pure: reads a parsel Selector, returns plain values. Broken JSON-LD is reported, never raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newscrawl.extract.text import fold

if TYPE_CHECKING:
    from parsel import Selector

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
     "opinionnewsarticle", "backgroundnewsarticle", "report", "liveblogposting"},
)

# Meta tags that carry the publication time, most trusted first.
META_PUBLISHED = (
    'meta[property="article:published_time"]::attr(content)',
    'meta[itemprop="datePublished"]::attr(content)',
    'meta[name="pubdate"]::attr(content)',
    'meta[name="publishdate"]::attr(content)',
    'meta[name="publish-date"]::attr(content)',
    'meta[name="content_PublishedDate"]::attr(content)',
    'meta[name="dtk:publishdate"]::attr(content)',
    'meta[name="article:published_time"]::attr(content)',
    'meta[property="og:published_time"]::attr(content)',
    'meta[name="date"]::attr(content)',
    'meta[name="DC.date.issued"]::attr(content)',
)
META_MODIFIED = (
    'meta[property="article:modified_time"]::attr(content)',
    'meta[itemprop="dateModified"]::attr(content)',
    'meta[property="og:updated_time"]::attr(content)',
    'meta[name="lastmod"]::attr(content)',
)

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(slots=True)
class Structured:
    """What the page says about itself in machine-readable form."""

    type: str | None = None
    headline: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    image: str | None = None
    url: str | None = None
    language: str | None = None
    jsonld_broken: int = 0
    # Where date_published came from: "json-ld" or "meta".
    published_from: str | None = None


def _loads(text: str) -> Any:
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # Common CMS slips: trailing commas and raw control characters inside strings.
        repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
        return json.loads(repaired, strict=False)


def _objects(data: Any) -> list[dict[str, Any]]:
    """Flatten a JSON-LD document (lists, @graph) into its objects."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            out.append(node)
            graph = node.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [fold(value)] if fold(value) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _first_str(value: Any) -> str | None:
    if isinstance(value, str):
        return fold(value) or None
    if isinstance(value, list) and value:
        return _first_str(value[0])
    if isinstance(value, dict):
        return _first_str(value.get("url") or value.get("@id") or value.get("name"))
    return None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k for k in (fold(x) for x in value.split(",")) if k]
    if isinstance(value, list):
        return [k for v in value for k in _keywords(v)]
    return []


def _pick_article(objs: list[dict[str, Any]]) -> dict[str, Any] | None:
    best = None
    for obj in objs:
        types = _types(obj)
        if types & ARTICLE_TYPES:
            return obj
        if best is None and "datePublished" in obj and "headline" in obj:
            best = obj  # e.g. PRMN's "WebPage" with a datePublished
    return best


def read_structured(sel: Selector) -> Structured:  # noqa: C901, PLR0912 - one fallback chain per field, read in order
    """Read JSON-LD and meta tags of a page."""
    out = Structured()
    objs: list[dict[str, Any]] = []
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            objs.extend(_objects(_loads(raw)))
        except ValueError:
            out.jsonld_broken += 1
    art = _pick_article(objs)
    if art is not None:
        types = sorted(_types(art))
        out.type = types[0] if types else None
        out.headline = _first_str(art.get("headline"))
        out.date_published = _first_str(art.get("datePublished"))
        out.date_modified = _first_str(art.get("dateModified"))
        out.authors = _names(art.get("author"))
        out.section = _first_str(art.get("articleSection"))
        out.keywords = _keywords(art.get("keywords"))
        out.image = _first_str(art.get("image"))
        for candidate in (art.get("url"), art.get("mainEntityOfPage")):
            value = _first_str(candidate)
            # mainEntityOfPage often holds a bare id ("808737"), which is not a URL.
            if value and value.startswith(("http://", "https://")):
                out.url = value
                break
        out.language = _first_str(art.get("inLanguage"))
        if out.date_published:
            out.published_from = "json-ld"
    if not out.date_published:
        for css in META_PUBLISHED:
            value = fold(sel.css(css).get())
            if value:
                out.date_published = value
                out.published_from = "meta"
                break
    if not out.date_modified:
        for css in META_MODIFIED:
            value = fold(sel.css(css).get())
            if value:
                out.date_modified = value
                break
    out.section = out.section or fold(sel.css('meta[property="article:section"]::attr(content)').get()) or None
    if not out.keywords:
        out.keywords = [fold(t) for t in sel.css('meta[property="article:tag"]::attr(content)').getall() if fold(t)]
    out.url = fold(sel.css('meta[property="og:url"]::attr(content)').get()) or out.url
    out.image = fold(sel.css('meta[property="og:image"]::attr(content)').get()) or out.image
    out.headline = out.headline or fold(sel.css('meta[property="og:title"]::attr(content)').get()) or None
    if not out.type:
        og_type = fold(sel.css('meta[property="og:type"]::attr(content)').get()).lower()
        out.type = og_type or None
    out.language = out.language or fold(sel.xpath("/html/@lang").get()) or None
    return out
