"""Machine-readable metadata of a page: JSON-LD (schema.org NewsArticle) and meta tags.

Pure: reads a parsed page (`Doc`), returns plain values. Broken JSON-LD is reported, never raised;
what a CMS's common slips leave readable is read (`_loads`), and from a block that still does not
parse, an article's dates are salvaged (`_salvaged`): they are often the page's only statement of
its zone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newscrawl.extract.doc import own_texts
from newscrawl.extract.text import fold

if TYPE_CHECKING:
    from newscrawl.extract.doc import Doc

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
     "opinionnewsarticle", "backgroundnewsarticle", "report", "liveblogposting"},
)

# Meta tags that carry the publication time, most trusted first. A name counts under `property`,
# `name` or `itemprop` alike (portals put the same name under any of them), lower-cased.
META_PUBLISHED: tuple[str, ...] = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "content_publisheddate",
    "dtk:publishdate",
    "og:published_time",
    # Further names other CMSs and analytics tags use for the same time.
    "publish_date",
    "published_date",
    "published-date",
    "article:published",
    "og:article:published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "rnews:datepublished",
    "publication_date",
    "date_published",
    "originalpublicationdate",
    "article_date_original",
    "datecreated",
    "article.created",
    "dcterms.issued",
    "dcterms.created",
    "dcterms.date",
    "dc.date.created",
    "dc.date.publication",
    "dc:date",
    "dc.date",
    "date",
    "dc.date.issued",
    # Dublin Core's own terms, as RDFa writes them on Drupal's pages ("dc:created").
    "dc.created",
    "dc.issued",
)
META_MODIFIED: tuple[str, ...] = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "lastmod",
    "article:updated_time",
    "og:article:modified_time",
    "article.updated",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "dc.modified",
)
# name -> (rank, role): the order of trust across both lists, published first.
_META_DATES: dict[str, tuple[int, str]] = {
    **{name: (rank, "published") for rank, name in enumerate(META_PUBLISHED)},
    **{name: (len(META_PUBLISHED) + rank, "modified") for rank, name in enumerate(META_MODIFIED)},
}
_META_ATTRS: tuple[str, ...] = ("property", "name", "itemprop")

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What CMSs wrap a JSON-LD block in: an HTML comment, a CDATA section (commented out for JavaScript),
# a statement's semicolon.
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$|;\s*$")


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
    # What the site calls itself (og:site_name, or the publisher in JSON-LD).
    site_name: str | None = None
    jsonld_broken: int = 0
    # Where date_published came from: "json-ld" or "meta".
    published_from: str | None = None
    # Every date the head states, in order of trust: (source "json-ld"|"meta", role "published"|"modified", raw).
    dates: list[tuple[str, str, str]] = field(default_factory=list)
    # Where the site says it is (local SEO tags): geo.region ("ID-SN") and geo.placename ("Makassar").
    geo_region: str | None = None
    geo_placename: str | None = None
    # The page's JSON-LD breadcrumb (BreadcrumbList): its items' names in order, the home page's first.
    crumbs: list[str] = field(default_factory=list)


# One decoder for every page: json.loads(strict=False) would build a new one per call.
_DECODER = json.JSONDecoder(strict=False)


def _loads(text: str) -> Any:
    """A JSON-LD block's value; with CMSs' common slips repaired (ValueError when it still does not parse).

    The slips: trailing commas, raw control characters inside strings, an HTML comment or CDATA
    wrapper, a trailing semicolon, and two values one after the other (read as a list).
    """
    try:
        return _DECODER.decode(text.strip())
    except ValueError:
        repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", _WRAPPER.sub("", text.strip()))).strip()
        values, at = [], 0
        while at < len(repaired):
            value, at = _DECODER.raw_decode(repaired, at)
            values.append(value)
            while at < len(repaired) and repaired[at] in " \t\r\n;,":
                at += 1
        if not values:
            raise ValueError("an empty block") from None  # as before the repairs: counted as broken
        return values[0] if len(values) == 1 else values


# Salvaged from a block that does not parse: an article's @type, then its dates (values never hold quotes).
_ARTICLE_TYPE = re.compile(
    r'"@type"\s*:\s*(?:\[[^\]]*?)?"(?:schema:)?(' + "|".join(sorted(ARTICLE_TYPES)) + ')"', re.IGNORECASE,
)
_DATE_KEY = re.compile(r'"(datePublished|dateCreated|dateModified)"\s*:\s*(?:"([^"\\]{4,64})"|(\d{9,13})\b)')


def _salvaged(text: str) -> dict[str, Any] | None:
    """The dates of the article a broken block names (each key's first value after its @type), or None."""
    typed = _ARTICLE_TYPE.search(text)
    if typed is None:
        return None
    found: dict[str, Any] = {}
    for match in _DATE_KEY.finditer(text, typed.end()):
        found.setdefault(match[1], match[2] or int(match[3]))
    return {"@type": typed[1], **found} if found else None


def _objects(data: Any) -> list[dict[str, Any]]:
    """Flatten a JSON-LD document (lists, @graph, a page's ``mainEntity``) into its objects, in document order."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            out.append(node)
            # A WebPage's main entity is the article itself on some CMSs ({"@type": "WebPage",
            # "mainEntity": {"@type": "NewsArticle", ...}}); after the page's graph, before what follows.
            for key in ("mainEntity", "@graph"):
                inner = node.get(key)
                if isinstance(inner, (list, dict)):
                    stack.append(inner)
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


def _crumbs(objs: list[dict[str, Any]]) -> list[str]:
    """The names of the first BreadcrumbList's items, by their position (as listed where it is not a number)."""
    crumbs = next((obj for obj in objs if "breadcrumblist" in _types(obj)), None)
    items = crumbs.get("itemListElement") if crumbs is not None else None
    if not isinstance(items, list):
        return []
    named: list[tuple[int, int, str]] = []
    for order, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        thing = item.get("item")
        # An item's name, or its thing's ("item" may be a URL string rather than a thing).
        names = _names(item.get("name")) or (_names(thing) if isinstance(thing, dict) else [])
        position = item.get("position")
        rank = int(position) if isinstance(position, (int, str)) and str(position).isdigit() else order
        if names:
            named.append((rank, order, names[0]))
    return [name for _, _, name in sorted(named)]


def _date_value(value: Any) -> str | None:
    """A JSON-LD date as text: a string as written, a number (a unix timestamp some CMSs write) in digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value))
    return _first_str(value)


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


MetaIndex = dict[tuple[str, str], list[str]]


def meta_index(doc: Doc) -> MetaIndex:
    """Every ``<meta>`` content keyed by (attribute, lower-cased name), read in one pass."""
    index: MetaIndex = {}
    for meta in doc.tagged("meta"):
        attrs = meta.attributes
        content = attrs.get("content")
        if content is None:
            continue
        for attr in _META_ATTRS:
            key = attrs.get(attr)
            if key:
                index.setdefault((attr, key.lower()), []).append(content)
    return index


def date_role(name: str) -> str | None:
    """The role, "published" or "modified", a date's name gives it (`META_PUBLISHED`, `META_MODIFIED`), if any.

    One vocabulary wherever a page writes the name: a meta tag's, or an RDFa property, whose parts
    are joined by ":" where meta tags often write "." ("dcterms:created", "dcterms.created") and
    which may carry schema.org's prefix ("schema:datePublished").
    """
    key = name.lower().removeprefix("schema:")
    known = _META_DATES.get(key) or _META_DATES.get(key.replace(":", "."))
    return known[1] if known is not None else None


def _meta(index: MetaIndex, attr: str, name: str) -> str:
    for value in index.get((attr, name.lower()), ()):
        text = fold(value)
        if text:
            return text
    return ""


def _meta_dates(meta: MetaIndex) -> list[tuple[str, str]]:
    """The dates of the meta tags, (role, raw), in the order of trust: one per name, its first attribute's."""
    found: list[tuple[int, int, str, str]] = []
    for (attr, name), values in meta.items():
        known = _META_DATES.get(name)
        if known is not None:
            value = next((text for text in map(fold, values) if text), "")
            if value:
                found.append((known[0], _META_ATTRS.index(attr), known[1], value))
    found.sort()
    out: list[tuple[str, str]] = []
    ranks: set[int] = set()
    for rank, _, role, value in found:
        if rank not in ranks:
            ranks.add(rank)
            out.append((role, value))
    return out


def _head_dates(art: dict[str, Any] | None, meta_dates: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Every date of the head: JSON-LD datePublished, dateCreated, dateModified, then the meta tags."""
    out: list[tuple[str, str, str]] = []
    if art is not None:
        for key, role in (("datePublished", "published"), ("dateCreated", "published"), ("dateModified", "modified")):
            value = _date_value(art.get(key))
            if value:
                out.append(("json-ld", role, value))
    out.extend(("meta", role, value) for role, value in meta_dates)
    return out


def _json_ld(doc: Doc) -> tuple[list[dict[str, Any]], int]:
    """The objects of the page's JSON-LD blocks, what was salvaged from broken ones last; how many were broken."""
    objs: list[dict[str, Any]] = []
    salvaged: list[dict[str, Any]] = []  # after every block that parsed: those state more
    broken = 0
    for raw in (text for el in doc.elements_of('script[type="application/ld+json"]') for text in own_texts(el)):
        try:
            objs.extend(_objects(_loads(raw)))
        except ValueError:
            broken += 1
            if (dates := _salvaged(raw)) is not None:
                salvaged.append(dates)
    return objs + salvaged, broken


# A date an inline script gives the page's analytics (``dataLayer.push({"publish_date": "2026-12-07
# 08:46:00"})``, ``var pubdate = '2026-12-07T08:46:00+08:00'``): a key named for the publication (a
# `META_PUBLISHED` name with "pub" in it: publish_date, pubdate, datePublished, dtk:publishdate),
# quoted or not, then a quoted ISO date.
_SCRIPT_KEYS = sorted((name for name in META_PUBLISHED if "pub" in name), key=len, reverse=True)
_SCRIPT_DATE = re.compile(
    rf"""(?<![\w:-])(?:{"|".join(map(re.escape, _SCRIPT_KEYS))})["']?\s*[:=]\s*["']"""
    r"""(?P<value>(?:19|20)\d{2}-\d{2}-\d{2}"""
    r"""(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?)["']""",
    re.IGNORECASE,
)
# Scripts a browser runs (a data block, JSON-LD or Next.js's page data, may hold other articles' dates).
_RUN_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
# Of a script, this much is read: analytics state their page's date in a few lines, not in a bundle.
_SCRIPT_READ = 100_000


def script_date(doc: Doc) -> str | None:
    """The publication date the page's inline scripts state (`_SCRIPT_DATE`), when they state one and only one.

    Asked only of a page that states its publication nowhere else (`extract.candidates`).
    """
    found: set[str] = set()
    for el in doc.tagged("script"):
        attrs = el.attributes
        if "src" in attrs or (attrs.get("type") or "").strip().lower() not in _RUN_TYPES:
            continue
        for text in own_texts(el):
            found.update(match["value"] for match in _SCRIPT_DATE.finditer(text, 0, _SCRIPT_READ))
    return found.pop() if len(found) == 1 else None


def read_structured(doc: Doc) -> Structured:
    """Read JSON-LD and meta tags of a page."""
    out = Structured()
    objs, out.jsonld_broken = _json_ld(doc)
    art = _pick_article(objs)
    if art is not None:
        types = sorted(_types(art))
        out.type = types[0] if types else None
        out.headline = _first_str(art.get("headline"))
        out.date_published = _date_value(art.get("datePublished"))
        out.date_modified = _date_value(art.get("dateModified"))
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
    out.crumbs = _crumbs(objs)
    meta = meta_index(doc)
    meta_dates = _meta_dates(meta)
    out.dates = _head_dates(art, meta_dates)
    if not out.date_published:
        out.date_published = next((value for role, value in meta_dates if role == "published"), None)
        if out.date_published:
            out.published_from = "meta"
    if not out.date_modified:
        out.date_modified = next((value for role, value in meta_dates if role == "modified"), None)
    out.geo_region = _meta(meta, "name", "geo.region") or None
    out.geo_placename = _meta(meta, "name", "geo.placename") or None
    out.section = out.section or _meta(meta, "property", "article:section") or None
    if not out.keywords:
        out.keywords = [fold(t) for t in meta.get(("property", "article:tag"), []) if fold(t)]
    out.url = _meta(meta, "property", "og:url") or out.url
    out.image = _meta(meta, "property", "og:image") or out.image
    out.headline = out.headline or _meta(meta, "property", "og:title") or None
    if not out.type:
        og_type = _meta(meta, "property", "og:type").lower()
        out.type = og_type or None
    root = doc.root
    out.language = out.language or (fold(root.attributes.get("lang")) if root.tag == "html" else None) or None
    publisher = art.get("publisher") if art is not None else None
    out.site_name = _meta(meta, "property", "og:site_name") or (
        _first_str(publisher.get("name")) if isinstance(publisher, dict) else None
    )
    return out


def identity(doc: Doc, meta: Structured | None = None) -> tuple[tuple[str, ...], str | None]:
    """What the page says it is: its own URLs (rel=canonical, og:url, JSON-LD url) and its site name."""
    meta = meta or read_structured(doc)
    canonical = doc.first(('link[rel="canonical"]::attr(href)',))
    urls = [u for u in (canonical if isinstance(canonical, str) else None, meta.url) if u]
    return tuple(dict.fromkeys(fold(u) for u in urls if u.startswith(("http://", "https://")))), meta.site_name
