"""Turn one article page (HTML) into raw fields, guided by a family profile.

Pure: HTML (or a parsel Selector) and a URL in, an `ArticlePage` out. Nothing here makes a request,
touches Scrapy's engine, or cleans boilerplate text (that is `extract.boilerplate`, run by the
pipelines): the paragraphs come out as the page shows them, so every cleaning step can be traced.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsel import Selector

from newscrawl.extract.links import absolute, canonical_url, host_of, is_tag_url, page_number
from newscrawl.extract.structured import ARTICLE_TYPES, read_structured
from newscrawl.extract.text import block_texts, element_text, fold

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from newscrawl.networks.base import Profile

# A paragraph that announces related articles; its links are the article's `related_urls`.
RELATED_LEAD = re.compile(r"^\W{0,3}(?:baca\s*juga|baca\s+pula|simak\s+juga|lihat\s+juga)\b", re.IGNORECASE)
_RELATED_XPATH = (
    ".//*[self::p or self::div or self::strong or self::b or self::span or self::li or self::h3 "
    "or self::h4][starts-with(translate(normalize-space(.), 'BACJUGPLSIMKHT', 'bacjugplsimkht'), "
    "'baca juga') or starts-with(translate(normalize-space(.), 'BACJUGPLSIMKHT', "
    "'bacjugplsimkht'), 'baca pula') or starts-with(translate(normalize-space(.), "
    "'BACJUGPLSIMKHT', 'bacjugplsimkht'), 'simak juga') or starts-with(translate("
    "normalize-space(.), 'BACJUGPLSIMKHT', 'bacjugplsimkht'), 'lihat juga')]//a/@href"
)
# "Editor: X" / "Sumber: Y" lines anywhere on the page (PRMN puts them after the pager).
_CREDIT_XPATH = (
    "//*[self::p or self::div or self::span or self::li][string-length(normalize-space(.)) < 160]"
    "[starts-with(normalize-space(.), '{label}:') or starts-with(normalize-space(.), '{label} :')]"
)
_AUTHOR_PREFIX = re.compile(r"^(?:penulis|reporter|oleh|by|author|pewarta|kontributor)\s*:?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b|\|)\s*", re.IGNORECASE)
_DATE_DECOR = re.compile(r"^[\s\-–—|•·:]+|[\s\-–—|•·]+$")
_PAGE_LABEL = re.compile(r"halaman\s+(\d+)\s*(?:/|dari|of)\s*(\d+)", re.IGNORECASE)


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
    structured_type: str | None = None
    jsonld_broken: int = 0

    @property
    def looks_like_article(self) -> bool:
        """A page with a title and article text (or one that says it is an article)."""
        words = sum(len(p.split()) for p in self.paragraphs)
        typed = (self.structured_type or "").lower() in ARTICLE_TYPES
        return bool(self.title) and (words >= 60 or (typed and words > 0))


def _first(sel: Selector, selectors: tuple[str, ...]) -> Selector | None:
    for css in selectors:
        found = sel.css(css)
        if found:
            return found[0]
    return None


def _first_text(sel: Selector, selectors: tuple[str, ...]) -> str | None:
    for css in selectors:
        for node in sel.css(css):
            text = element_text(node.root) if not isinstance(node.root, str) else fold(node.root)
            if text:
                return text
    return None


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _drop(el: HtmlElement) -> None:
    """Remove `el` but keep its tail text, which belongs to the surrounding flow."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def split_authors(text: str) -> list[str]:
    """'Penulis: A, B dan C' -> ['A', 'B', 'C']."""
    text = _AUTHOR_PREFIX.sub("", fold(text))
    return [a for a in (fold(x) for x in _AUTHOR_SPLIT.split(text)) if a and len(a) < 80]


def _authors(sel: Selector, profile: Profile, fallback: list[str]) -> list[str]:
    for css in profile.author:
        nodes = sel.css(css)
        names: list[str] = []
        for node in nodes:
            names.extend(split_authors(element_text(node.root)))
        if names:
            return _dedupe(names)
    return fallback


def _credit(sel: Selector, labels: tuple[str, ...]) -> str | None:
    for label in labels:
        for node in sel.xpath(_CREDIT_XPATH.format(label=label)):
            text = element_text(node.root)
            value = fold(text.split(":", 1)[1]) if ":" in text else ""
            if value:
                return value
    return None


def _pages(sel: Selector, url: str, profile: Profile) -> tuple[int, dict[int, str]]:
    current = page_number(url, profile)
    urls: dict[int, str] = {}
    for css in profile.pager:
        for href in sel.css(css).xpath("@href").getall():
            link = absolute(href, url)
            if link and host_of(link) == host_of(url):
                urls.setdefault(page_number(link, profile), link)
        if urls:
            break
    last = max([current, *urls])
    label = _PAGE_LABEL.search(" ".join(sel.css(",".join(profile.pager) or "nothing").xpath("string()").getall()))
    if label:
        last = max(last, int(label.group(2)))
    return last, urls


def _body(sel: Selector, profile: Profile) -> list[str]:
    node = _first(sel, profile.body)
    if node is None or isinstance(node.root, str):
        return []
    root = copy.deepcopy(node.root)
    if profile.body_drop:
        for dropped in Selector(root=root).css(", ".join(profile.body_drop)):
            if not isinstance(dropped.root, str):
                _drop(dropped.root)
    return block_texts(root)


def _related(sel: Selector, url: str, profile: Profile) -> list[str]:
    body = _first(sel, profile.body)
    scope = body if body is not None else sel
    hrefs = scope.xpath(_RELATED_XPATH).getall()
    for css in profile.related:
        hrefs.extend(sel.css(css).xpath("@href").getall())
    links = (absolute(h, url) for h in hrefs)
    return _dedupe([canonical_url(link, profile) for link in links if link])


def _tags(sel: Selector, url: str, profile: Profile) -> tuple[list[str], list[str]]:
    for css in profile.tags:
        nodes = sel.css(css)
        if not nodes:
            continue
        names: list[str] = []
        urls: list[str] = []
        for node in nodes:
            name = element_text(node.root)
            if name:
                names.append(name.lstrip("#").strip())
            link = absolute(node.attrib.get("href"), url)
            if link and is_tag_url(link, profile):
                urls.append(link)
        if names:
            return _dedupe(names), _dedupe(urls)
    return [], []


def extract_article(page: str | bytes | Selector, url: str, profile: Profile) -> ArticlePage:
    """Extract the raw fields of one article page."""
    if isinstance(page, Selector):
        sel = page
    elif isinstance(page, bytes):
        sel = Selector(body=page, type="html", encoding="utf-8")
    else:
        sel = Selector(text=page, type="html")
    meta = read_structured(sel)
    canonical_href = sel.css('link[rel="canonical"]::attr(href)').get() or meta.url
    canonical = absolute(canonical_href, url)
    # Trust a canonical link only on the same host: some CMSs point every page at the home page.
    same_host = canonical is not None and host_of(canonical) == host_of(url)
    base = canonical if same_host and canonical else url
    out = ArticlePage(url=canonical_url(base, profile), page=page_number(url, profile))
    out.last_page, out.page_urls = _pages(sel, url, profile)
    out.title = _first_text(sel, profile.title) or meta.headline
    date_node = _first(sel, profile.date)
    if date_node is not None and not isinstance(date_node.root, str):
        raw = _DATE_DECOR.sub("", element_text(date_node.root))
        out.published_raw = raw or None
        machine = date_node.attrib.get("datetime")
        if machine and not meta.date_published:
            meta.date_published, meta.published_from = fold(machine), "time"
    out.published_meta = meta.date_published
    out.published_meta_from = meta.published_from
    out.modified_meta = meta.date_modified
    out.author = _authors(sel, profile, meta.authors)
    out.editor = _first_text(sel, profile.editor) or _credit(sel, ("Editor", "Redaktur"))
    out.source = _first_text(sel, profile.source) or _credit(sel, ("Sumber",))
    out.section = _first_text(sel, profile.section) or meta.section
    out.tags, out.tag_urls = _tags(sel, url, profile)
    if not out.tags:
        out.tags = meta.keywords
    out.image_url = absolute(meta.image, url)
    if out.image_url is None:
        img = _first(sel, profile.image)
        if img is not None:
            out.image_url = absolute(img.attrib.get("src") or img.attrib.get("data-src"), url)
    out.image_caption = _first_text(sel, profile.caption)
    out.paragraphs = _body(sel, profile)
    out.related_urls = _related(sel, url, profile)
    out.language = (meta.language or "").split("-")[0].lower() or None
    out.structured_type = meta.type
    out.jsonld_broken = meta.jsonld_broken
    return out
