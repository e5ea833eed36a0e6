"""Turn one article page (HTML) into raw fields, guided by a family profile.

Pure: HTML (or a parsed `Doc`) and a URL in, an `ArticlePage` out. Nothing here makes a request,
touches Scrapy's engine, or cleans boilerplate text (that is `extract.boilerplate`, run by the
pipelines): the paragraphs come out as the page shows them, so every cleaning step can be traced.
The body and its related links are read by `extract.body` (when no body selector of the profile
finds the article text, `extract.density` picks the block that holds the most paragraph text);
every date the page states is collected by `extract.candidates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from newscrawl.extract.body import Body, ancestors, dedupe, read_body, related_links
from newscrawl.extract.candidates import Candidate, collect, nearest_visible
from newscrawl.extract.date_marks import in_comment
from newscrawl.extract.doc import Doc, Element, Node
from newscrawl.extract.links import (
    absolute,
    canonical_url,
    host_of,
    is_tag_url,
    page_number,
    path_query,
)
from newscrawl.extract.site_clock import site_zone, states_local_zone
from newscrawl.extract.site_place import place_zone
from newscrawl.extract.structured import ARTICLE_TYPES, identity, read_structured
from newscrawl.extract.text import element_text, fold, looks_indonesian, site_key, text_head, without_site_name

if TYPE_CHECKING:
    from newscrawl.extract.structured import Structured
    from newscrawl.networks.base import Profile

_CREDIT_TAGS = frozenset({"p", "div", "span", "li", "tr", "td", "small"})
_CREDIT_CUT = re.compile(
    r"\s*(?:\||\b(?:sumber|editor|penulis|reporter|redaktur|pewarta|fotografer|penyunting|kontributor)\s*:).*$",
    re.IGNORECASE,
)
_CREDIT_LABEL = re.compile(r"^(?:editor|redaktur|penyunting|sumber(?: berita)?)\s*:\s*", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(
    r"^(?:penulis|reporter|oleh|by|author|pewarta|kontributor|fotografer|laporan wartawan)\s*:?\s+", re.IGNORECASE,
)
# "Bagus Kurniawan - detiknews", "Nama | Tribun": the outlet after the name is not a name.
_AUTHOR_OUTLET = re.compile(r"\s+[-–|]\s+\S*(?:detik|news|com|tribun|kompas|suara|\.id)\S*\s*$", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b|\|)\s*", re.IGNORECASE)
_PAGE_LABEL = re.compile(r"halaman\s+(\d+)\s*(?:/|dari|of)\s*(\d+)", re.IGNORECASE)
# Site names glued to a headline in <title>/og:title: "Judul - Kompas.com", "Judul | Tribunnews".
_TITLE_SUFFIX = re.compile(r"\s+[-–|:]\s+[^-–|:]{2,40}$")
_MAX_PAGES = 50
_MAX_TAG = 60
_TAG_HEADING = re.compile(r"^(?:tags?|topik|topics?|tag terkait)\s*:?$", re.IGNORECASE)


@dataclass(slots=True)
class ArticlePage:
    """Raw fields of one page of an article, before cleaning and date parsing."""

    url: str
    page: int = 1
    last_page: int = 1
    page_urls: dict[int, str] = field(default_factory=dict)
    title: str | None = None
    published_raw: str | None = None
    published_meta: str | None = None
    published_meta_from: str | None = None
    modified_meta: str | None = None
    author: list[str] = field(default_factory=list)
    editor: str | None = None
    source: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    tag_urls: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    related_urls: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    structured_type: str | None = None
    jsonld_broken: int = 0
    # Which route found each field that has a value (`ROUTES`): e.g. {"title": "selector", "body": "density"}.
    routes: dict[str, str] = field(default_factory=dict)
    # Every date the page states, with where it was found (`extract.candidates`).
    dates: tuple[Candidate, ...] = ()
    # The page's own URLs (rel=canonical, og:url, JSON-LD url): who it says it is.
    identity: tuple[str, ...] = ()
    # The zone of the site, read only for a site of unknown zone (`extract_article`'s `zone_unknown`):
    # the zone its clocks print outside the article when its own dates state none (`extract.site_clock`),
    # else the zone of the region it says it is in (`extract.site_place`); `site_zone_from` says which.
    site_zone: str | None = None
    site_zone_from: str | None = None  # "clocks" or "place"

    @property
    def looks_like_article(self) -> bool:
        """A page with a title and article text (or one that says it is an article)."""
        words = sum(len(p.split()) for p in self.paragraphs)
        typed = (self.structured_type or "").lower() in ARTICLE_TYPES
        return bool(self.title) and (words >= 60 or (typed and words > 0))


def _node_text(node: Node) -> str:
    return element_text(node) if isinstance(node, Element) else fold(node)


def _first_text(doc: Doc, selectors: tuple[str, ...]) -> str | None:
    """The first text of what the first selector finds (the first match is mostly it: found without the rest)."""
    for css in selectors:
        first = doc.first((css,))
        if first is None:
            continue
        text = _node_text(first)
        if text:
            return text
        for node in doc.css(css)[1:]:
            text = _node_text(node)
            if text:
                return text
    return None


_WORD = re.compile(r"\w+")


def _fold_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _repeats(paragraph: str, key: str) -> bool:
    """Whether `paragraph` folds to `key` (a title's): its first word is looked at before the rest."""
    first = _WORD.search(paragraph.lower())
    if first is None or not key.startswith(first.group()):
        return not key and first is None
    return _fold_key(paragraph) == key


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 1}


def _similarity(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / max(len(wa), len(wb))


def _similar(a: str, b: str) -> bool:
    return _similarity(a, b) >= _SIMILAR


def _title(doc: Doc, url: str, profile: Profile, meta: Structured) -> tuple[str | None, str]:
    """The headline (`_headline`) without the site's name (og:site_name) glued to it, and its route."""
    headline, route = _headline(doc, url, profile, meta)
    return without_site_name(headline, (meta.site_name,)), route


def _headline(doc: Doc, url: str, profile: Profile, meta: Structured) -> tuple[str | None, str]:
    """The headline: the first title selector whose text agrees with the page's own metadata.

    A page often has several ``<h1>`` (the channel name, a "TAG" box); the machine-readable
    headline tells which one is the article's. Without metadata, the first match wins, unless it
    does not read like the page's ``<title>`` and another heading does (`_titled_heading`). The
    route says which: "selector" (a title element) or "meta" (the metadata, the ``<title>``).
    """
    headline = meta.headline
    first: str | None = None
    for css in profile.title:
        texts = [t for t in (_node_text(node) for node in doc.css(css)) if t]
        if texts and headline is None:
            first = texts[0]
            break
        scored = sorted(((_similarity(t, headline or ""), -i, t) for i, t in enumerate(texts)), reverse=True)
        if scored and scored[0][0] >= _SIMILAR:
            return scored[0][2], "selector"
        first = first or (texts[0] if texts else None)
    if headline and not _similar(headline, first or ""):
        return _TITLE_SUFFIX.sub("", headline), "meta"
    if headline is None and (titled := _titled_heading(doc, url, first)) is not None:
        return titled, "meta"
    return first, "selector"


def _titled_heading(doc: Doc, url: str, first: str | None) -> str | None:
    """Without metadata: the heading that reads like the page's ``<title>``, when `first` does not.

    A blog's ``<h1>`` is the blog's name and its post's title an ``<h3 class="post-title">``, under
    ``<title>Judul - Nama Blog</title>``: the ``<title>`` says which heading is the article's, the
    heading gives its words. None when `first` (the first title element's text) reads like it,
    when the ``<title>`` is the site's name (its host's: a CMS that titles every page so has a
    ``.site-title`` showing it), or when no heading reads like it (a listing's ``<title>``).
    """
    title = next((el for el in doc.tagged("title") if el.parent is not None and el.parent.tag == "head"), None)
    wanted = _TITLE_SUFFIX.sub("", fold(title.text())) if title is not None else ""
    if not wanted or (first is not None and _similarity(first, wanted) >= _SIMILAR_TITLE):
        return None
    name = site_key(wanted)
    if len(name) >= _MIN_NAME and name in _NOT_ALNUM.sub("", host_of(url) or ""):
        return None
    scored = [
        (score, -i, text)
        for i, node in enumerate(doc.elements_of(_HEADING_CSS))
        if (text := _node_text(node)) and (score := _similarity(text, wanted)) >= _SIMILAR_TITLE
    ]
    return max(scored)[2] if scored else None


# A heading that shows the page's <title> has its words, nearly all.
_SIMILAR_TITLE = 0.8
# What may show a headline besides the family's title elements (one query: the page answers it once).
_HEADING_CSS = "h1, h2, h3, [class*=judul], [class*=title]"
_HEADINGS = frozenset({"h1", "h2", "h3"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_MIN_NAME = 4


_SIMILAR = 0.5


def _headline_node(doc: Doc, profile: Profile, headline: str | None) -> Element | None:
    """The element showing the headline: the best title match, else any heading that reads like it."""
    if headline:
        # The headline was read from one of the family's title elements: that one, found cheaply
        # (the selectors after the one that shows it are not asked).
        found = (n for css in profile.title for n in doc.elements_of(css))
        shown = next((n for n in found if headline in _node_text(n) and n.css_first("a") is None), None)
        if shown is not None:
            return shown
    nodes = [n for css in profile.title for n in doc.elements_of(css)]
    if headline:
        headings = nodes + doc.elements_of(_HEADING_CSS)
        # A heading that is a link points to the article from elsewhere on the page (a header, a list).
        nodes = [n for n in headings if len(fold(" ".join(a.text() for a in n.css("a")))) < len(_node_text(n))]
        scored = [(s, -i, n) for i, n in enumerate(nodes) if (s := _similarity(_node_text(n), headline)) >= _SIMILAR]
        if scored:
            return max(scored, key=lambda x: (x[0], x[1]))[2]
        # Else the first heading that shows the headline, a link to its own page (a blog's <h3><a>);
        # a link styled as a title (`a.judul`) is another article's teaser.
        showing = (n for n in headings if n.tag in _HEADINGS and _similarity(_node_text(n), headline) >= _SIMILAR_TITLE)
        linked = next(showing, None)
        if linked is not None:
            return linked
    return nodes[0] if nodes else None


def split_authors(text: str) -> list[str]:
    """'Penulis: A, B dan C' -> ['A', 'B', 'C']."""
    text = _AUTHOR_OUTLET.sub("", _AUTHOR_PREFIX.sub("", fold(text)))
    return [a for a in (fold(x) for x in _AUTHOR_SPLIT.split(text)) if a and len(a) < 80]


def _authors(doc: Doc, profile: Profile, meta: Structured) -> tuple[list[str], str]:
    """The writers and their route: the family's author selectors (not in comments), else the metadata, else credits."""
    for css in profile.author:
        nodes = doc.css(css)
        names: list[str] = []
        for node in nodes:
            if isinstance(node, Element) and in_comment(node):
                continue  # a reader's comment names its commenter (schema.org Comment, WordPress's comment-author)
            names.extend(split_authors(_node_text(node)))
        if names:
            return dedupe(names), "selector"
    if meta.authors:
        return meta.authors, "meta"
    return split_authors(_credit(doc, ("Penulis", "Reporter", "Pewarta", "Fotografer")) or ""), "credit"


_MAX_CREDIT_LINE = 160


def _short_text(el: Element, limit: int) -> str | None:
    """The folded text of `el` if it is shorter than `limit`, else None (read no further than that)."""
    text, whole = text_head(el, limit)
    return text if whole and len(text) < limit else None


def _credit(doc: Doc, labels: tuple[str, ...]) -> str | None:
    found: dict[str, str] = {}
    for owner, _ in doc.search(labels):
        for el in ancestors(owner, _CREDIT_TAGS):
            line = _short_text(el, _MAX_CREDIT_LINE)
            if line is None:
                break
            label = next((lb for lb in labels if line.startswith((f"{lb}:", f"{lb} :"))), None)
            if label is None or label in found:
                continue
            value = fold(line.split(":", 1)[1])
            value = _CREDIT_CUT.sub("", value).strip(" :")
            if value:
                found[label] = value
                break
        if labels[0] in found:
            break
    return next((found[label] for label in labels if label in found), None)


def _unlabel(text: str | None) -> str | None:
    """'Editor: Hanang Yuwono' -> 'Hanang Yuwono' (a credit element that repeats its label)."""
    if not text:
        return None
    value = _CREDIT_CUT.sub("", _CREDIT_LABEL.sub("", text)).strip(" :")
    return value or None


def _crumbed_section(crumbs: list[str], title: str | None) -> str | None:
    """The section a breadcrumb names, from its crumbs after the home page's: the last, unless that is the article.

    "Ekonomi > KPK tak Temukan…" (the article's title) -> "Ekonomi"; the article's crumb alone names none.
    """
    named = crumbs[:-1] if crumbs and title and _similar(crumbs[-1], title) else crumbs
    return named[-1] if named else None


# A breadcrumb trail, as sites name it ("breadcrumb", Bootstrap's "breadcrumb-item", "entry-crumbs").
_TRAILS = "[class*=breadcrumb], [id*=breadcrumb], [class*=crumbs]"
# What the home page's crumb says when its link does not go to the site's root.
_HOME_WORDS = frozenset({"home", "beranda", "index", "halaman utama", "depan"})
# A trail holds a few crumbs; more links and it is a menu.
_MAX_CRUMBS = 6


def _trail_crumbs(doc: Doc, url: str) -> list[str]:
    """The crumbs of the page's breadcrumb trail after the home page's: the texts of its links elsewhere.

    ``<ol class="breadcrumb"><li><a href="/">Beranda</a></li><li><a href="/daerah">Daerah</a></li>
    <li class="active">Judul</li></ol>`` -> ["Daerah"]. The first trail of the page is its own; a
    link to the page itself or to ``#`` is no crumb.
    """
    trails = doc.elements_of(_TRAILS)  # in document order: a trail before the items inside it
    links = trails[0].css("a") if trails else []
    if len(links) > _MAX_CRUMBS:  # a menu named so (superfish's "sf-breadcrumb")
        return []
    crumbs = [
        (text, link)
        for a in links
        if (text := element_text(a)) and (link := absolute(a.attributes.get("href"), url)) and link != url
    ]
    if crumbs and (crumbs[0][0].lower() in _HOME_WORDS or _is_root(crumbs[0][1])):
        crumbs.pop(0)
    return [text for text, _ in crumbs]


def _is_root(link: str | None) -> bool:
    return link is not None and path_query(link) in ("", "/")


def _pages(doc: Doc, url: str, profile: Profile) -> tuple[int, dict[int, str]]:
    """The last page number of the article and the links to its pages that the pager shows."""
    current = page_number(url, profile)
    urls: dict[int, str] = {}
    numbers: list[int] = []
    host, own = host_of(url), canonical_url(url, profile)
    for css in profile.pager:
        for node in doc.css(css):
            label = _node_text(node)
            if label.isdigit() and int(label) <= _MAX_PAGES:
                numbers.append(int(label))
            link = absolute(node.attributes.get("href"), url) if isinstance(node, Element) else None
            if link and host_of(link) == host:
                number = page_number(link, profile)
                if number > 1 or canonical_url(link, profile) == own:
                    urls.setdefault(number, link)
        if urls or numbers:
            break
    last = max([current, *urls, *numbers])
    for text in doc.texts_holding(("alaman", "ALAMAN")):
        found = _PAGE_LABEL.search(fold(text))
        if found and int(found.group(2)) <= _MAX_PAGES:
            last = max(last, int(found.group(2)))
    return last, {n: u for n, u in urls.items() if n <= last}


def _tags(doc: Doc, url: str, profile: Profile) -> tuple[list[str], list[str]]:
    for css in profile.tags:
        nodes = doc.css(css)
        if not nodes:
            continue
        names: list[str] = []
        urls: list[str] = []
        for node in nodes:
            name = _node_text(node)
            if name:
                names.append(name.lstrip("#").strip())
            link = absolute(node.attributes.get("href"), url) if isinstance(node, Element) else None
            if link and is_tag_url(link, profile):
                urls.append(link)
        names = [n for n in names if n and len(n) <= _MAX_TAG and not _TAG_HEADING.match(n)]
        if names:
            return dedupe(names), dedupe(urls)
    return [], []


def _keyword_tags(keywords: list[str]) -> list[str]:
    """Tags from metadata keywords: split run-together lists, leave out taxonomy ("Editor:X", "News:")."""
    out = []
    for keyword in keywords:
        for part in keyword.split(","):
            tag = fold(part)
            if tag and ":" not in tag and len(tag) <= _MAX_TAG:
                out.append(tag)
    return dedupe(out)


def _canonical(doc: Doc, url: str, meta: Structured) -> str:
    """The page's own idea of its address, when it can be trusted; else `url`.

    Trusted only on the same host (some CMSs point every page at the home page) and when it does
    not point up the path (an AMP page's ``rel=canonical href="."``).
    """
    canonical_link = doc.first(('link[rel="canonical"]::attr(href)',))
    for href in (canonical_link if isinstance(canonical_link, str) else None, meta.url):
        canonical = absolute(href, url)
        if canonical is None or host_of(canonical) != host_of(url):
            continue
        path, own = path_query(canonical).split("?")[0].rstrip("/"), path_query(url).split("?")[0].rstrip("/")
        # Pointing up the path, or the page's own path with junk glued on (query text pasted into og:url).
        if path != own and (own.startswith(path + "/") or (own and path.startswith(own))):
            continue
        return canonical
    return url


def _site_zone(out: ArticlePage, doc: Doc, block: Element | None, meta: Structured) -> None:
    """Fill `out.site_zone` for a site of unknown zone whose article states none: its clocks', else its place's."""
    if states_local_zone(out.dates):
        return
    clocks = site_zone(doc, block)
    place = None if clocks else place_zone(
        (out.url, *out.identity), out.site_name, region=meta.geo_region, placename=meta.geo_placename,
    )
    out.site_zone = clocks or place
    out.site_zone_from = "clocks" if clocks else "place" if place else None


def extract_article(page: str | bytes | Doc, url: str, profile: Profile, *, zone_unknown: bool = False) -> ArticlePage:
    """Extract the raw fields of one article page (HTML, or a parsed `Doc`).

    With `zone_unknown` (a site no one registered), also the site's zone (`ArticlePage.site_zone`):
    its clocks' (a search of the whole page's text, asked only where it can be used), else its place's.
    """
    doc = Doc.of(page)
    meta = read_structured(doc)
    out, body, routes = _content(doc, url, profile, meta)
    out.last_page, out.page_urls = _pages(doc, url, profile)
    out.published_meta = meta.date_published
    out.published_meta_from = meta.published_from
    out.modified_meta = meta.date_modified
    out.author, author_from = _authors(doc, profile, meta)
    out.section = _first_text(doc, profile.section)
    if out.section is not None and out.section.lower() in _HOME_WORDS:
        out.section = None  # a trail of the home page alone ("Beranda") names no section
    section_from = "selector"
    if out.section is None:
        # A JSON-LD breadcrumb's first item is the home page (schema.org's BreadcrumbList from the site's root).
        out.section, section_from = meta.section or _crumbed_section(meta.crumbs[1:], out.title), "meta"
    if out.section is None:
        out.section, section_from = _crumbed_section(_trail_crumbs(doc, url), out.title), "selector"
    out.image_url = absolute(meta.image, url)
    image_from = "meta"
    if out.image_url is None:
        img = doc.first(profile.image)
        image_from = "selector"
        if isinstance(img, Element):
            out.image_url = absolute(img.attributes.get("src") or img.attributes.get("data-src"), url)
    out.dates = collect(
        doc,
        out.url,
        meta=meta,
        headline=_headline_node(doc, profile, out.title),
        body=body.block,
        date_nodes=doc.each_of(profile.date),
    )
    shown = nearest_visible(out.dates)
    out.published_raw = shown.raw if shown is not None else None
    out.language = (meta.language or "").split("-")[0].lower() or None
    # A CMS left on its default "en-US" does not make Indonesian text English.
    if out.language not in (None, "id") and looks_indonesian(" ".join(out.paragraphs)):
        out.language = "id"
    out.identity, out.site_name = identity(doc, meta)
    if zone_unknown:
        _site_zone(out, doc, body.block, meta)
    # A site that signs as itself ("Mediariau.com") names no writer.
    site = {site_key(out.site_name), site_key(host_of(out.url).removeprefix("www."))}
    out.author = [name for name in out.author if site_key(name) not in site]
    out.structured_type = meta.type
    out.jsonld_broken = meta.jsonld_broken
    found = {
        **routes, "author": (out.author, author_from), "section": (out.section, section_from),
        "image": (out.image_url, image_from),
    }
    out.routes = {name: route for name, (value, route) in found.items() if value and route}
    return out


def extract_later_page(page: str | bytes | Doc, url: str, profile: Profile) -> ArticlePage:
    """A later page of an article whose page 1 is read: only what `extract.pages.merge_page` takes.

    Its paragraphs, related and tag links, tags, caption, editor and source are those
    `extract_article` gives; its dates, pager, authors, section, image and identity are not read.
    """
    doc = Doc.of(page)
    out, _, routes = _content(doc, url, profile, read_structured(doc))
    out.routes = {name: route for name, (value, route) in routes.items() if value and route}
    return out


_Routes: TypeAlias = "dict[str, tuple[object, str | None]]"


def _content(doc: Doc, url: str, profile: Profile, meta: Structured) -> tuple[ArticlePage, Body, _Routes]:
    """What every page of an article has: title, credits, tags, caption, paragraphs, related links.

    With the routes of the title, tags and body (field -> (value, route)).
    """
    out = ArticlePage(url=canonical_url(_canonical(doc, url, meta), profile), page=page_number(url, profile))
    out.title, title_from = _title(doc, url, profile, meta)
    out.editor = _unlabel(_first_text(doc, profile.editor)) or _credit(doc, ("Editor", "Redaktur"))
    out.source = _unlabel(_first_text(doc, profile.source)) or _credit(doc, ("Sumber",))
    out.tags, out.tag_urls = _tags(doc, url, profile)
    tags_from = "selector"
    if not out.tags:
        out.tags, tags_from = _keyword_tags(meta.keywords), "meta"
    out.image_caption = _first_text(doc, profile.caption)
    body = read_body(doc, profile, url)
    out.paragraphs = body.paragraphs
    title_key = _fold_key(out.title) if out.title else ""
    while out.paragraphs and out.title and _repeats(out.paragraphs[0], title_key):
        out.paragraphs.pop(0)
    out.related_urls = related_links(doc, url, profile, body.first)
    routes: _Routes = {
        "title": (out.title, title_from), "tags": (out.tags, tags_from), "body": (out.paragraphs, body.how),
    }
    return out, body, routes
