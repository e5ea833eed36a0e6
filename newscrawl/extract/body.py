"""The article's own text and its related links, inside the block that holds them.

Pure: a parsed page and a family profile in, paragraphs and links out (used by
`extract.article`). Reads the body around what is never article text (scripts, embeds, ad slots,
the family's ``body_drop``, link boxes, related-article cards), and the "Baca juga" lines and boxes
whose links are the article's ``related_urls``. It must never clean boilerplate text (that is
`extract.boilerplate`, run by the pipelines) or import Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newscrawl.extract.density import densest_block
from newscrawl.extract.doc import Doc, Element, lineage, same, text_of
from newscrawl.extract.links import absolute, canonical_url, host_of, is_article_url, path_query
from newscrawl.extract.text import block_texts, fold, text_head

if TYPE_CHECKING:
    from newscrawl.networks.base import Profile

# A paragraph that announces related articles; its links are the article's `related_urls`.
RELATED_LEAD = re.compile(
    r"^\W{0,3}(?:baca\s*juga|baca\s+pula|simak\s+juga|lihat\s+juga|read\s+also|see\s+also|jangan\s+lewatkan)\b",
    re.IGNORECASE,
)
_LEADS = ("baca juga", "baca pula", "simak juga", "lihat juga", "bacajuga")
# Elements that can hold a "Baca juga" line with its links, and a credit line ("Editor: X").
_RELATED_TAGS = frozenset({"p", "div", "strong", "b", "span", "li", "h2", "h3", "h4", "h5", "table"})
_MAX_RELATED_BOX = 600
# Never article text, whatever the family: embedded posts are rendered by scripts as cards.
ALWAYS_DROP = (
    "script", "style", "noscript", "iframe", "template", "blockquote.twitter-tweet", "blockquote.instagram-media",
    "blockquote.tiktok-embed", "ins.adsbygoogle", "[class*=sharethis]",
)
# A list or box whose text is mostly links (breadcrumbs, related lists, tag clouds) inside a body.
_LINK_BOXES = frozenset({"ul", "ol", "div", "table", "section", "aside", "nav", "dl"})
# Blocks that can be a "Baca juga:" box with its links.
_RELATED_BOXES = frozenset({"p", "div", "section", "aside", "table", "ul"})
_LINK_BOX_DENSITY = 0.7
# A related-article card (headline link + one-line teaser) in a body: this short, its link this much of it.
_CARDS = frozenset({"div", "section", "aside", "figure", "li", "table", "p"})
# Every block that may be left out as one of the three.
_BOXES = _LINK_BOXES | _RELATED_BOXES | _CARDS
_MAX_CARD = 400
_CARD_LINK_SHARE = 0.4
# How far up from a text node a "Baca juga" line or a credit line is looked for.
_ANCESTORS = 4


def dedupe(items: list[str]) -> list[str]:
    """`items` without repeats, in their first order."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def ancestors(el: Element | None, tags: frozenset[str]) -> list[Element]:
    """`el` and its next few ancestors whose tag is one of `tags`, nearest first."""
    return [node for node in lineage(el, _ANCESTORS) if node.tag in tags]


def _holding_links(node: Element, anchors: list[Element], dead: set[Element]) -> dict[Element, None]:
    """The elements below `node` that hold one of its links (`anchors`) that is not left out, in document order.

    Each link adds the holders it has that are not known yet, from the top down: links taken in
    document order give the holders in document order (each new one follows all those known).
    """
    holders: dict[Element, None] = {}
    for a in anchors:
        if a in dead or same(a, node):
            continue
        new: list[Element] = []
        parent = a.parent
        while parent is not None and not same(parent, node) and parent not in holders:
            new.append(parent)
            parent = parent.parent
        holders.update(dict.fromkeys(reversed(new)))
    return holders


def _left_out(doc: Doc, node: Element, profile: Profile, url: str) -> set[Element]:
    """The elements of a body that are not its text: furniture, "Baca juga" boxes, link lists.

    The page is never modified: the body's paragraphs are read around these elements, as if they
    had been removed (their tails, which belong to the surrounding flow, stay).
    """
    skip = doc.matching((*ALWAYS_DROP, *profile.body_drop), node)
    skip.discard(node)
    # Everything inside a left-out element: "is it left out?" becomes a set lookup, not a walk up.
    dead: set[Element] = set()
    for el in skip:
        dead.update(el.traverse())
    anchors = node.css("a")
    linked = _holding_links(node, anchors, dead)
    # Only a block holding a link can be left out as a box or a card: each is one of these, in order.
    boxes = [(el, tag) for el in linked if (tag := el.tag) in _BOXES]
    for block, tag in boxes:
        # A "Baca juga:" box with its links (the links may follow <br>s, outside any <a>-only line).
        if tag not in _RELATED_BOXES or block in dead:
            continue
        text = fold(text_of(block, skip))
        if len(text) < _MAX_RELATED_BOX and RELATED_LEAD.match(text):
            skip.add(block)
            dead.update(block.traverse())
    linked = _holding_links(node, anchors, dead)
    for box, tag in boxes:
        if tag not in _LINK_BOXES or box not in linked or box in dead:
            continue
        links = [n for a in box.css("a") if a not in dead and (n := len(fold(text_of(a, skip))))]
        if len(links) >= 2 and sum(links) >= _LINK_BOX_DENSITY * len(fold(text_of(box, skip))):
            skip.add(box)
            dead.update(box.traverse())
    for card, tag in boxes:
        if tag in _CARDS and not same(card, node) and card in linked and card not in dead and _is_card(
            card, skip, dead, url, profile,
        ):
            skip.add(card)
            dead.update(card.traverse())
    return skip


def _is_card(block: Element, skip: set[Element], dead: set[Element], url: str, profile: Profile) -> bool:
    """A related-article card: a short block whose text is mostly a link to another article of the site."""
    text = fold(text_of(block, skip))
    if not text or len(text) > _MAX_CARD:
        return False
    host, own = host_of(url), canonical_url(url, profile)
    linked = 0
    for a in block.css("a"):
        link = absolute(a.attributes.get("href"), url)
        if a in dead or link is None or host_of(link) != host or canonical_url(link, profile) == own:
            continue
        if profile.article_url and not is_article_url(link, profile):
            continue
        linked += len(fold(text_of(a, skip)))
    return linked >= _CARD_LINK_SHARE * len(text)


@dataclass(slots=True)
class Body:
    """The article's paragraphs, how they were found, and where."""

    paragraphs: list[str]
    # "selector" (a family body selector) or "density" (the fallback); None without a body.
    how: str | None
    # The first element a body selector names (the scope of the Baca Juga search), and the block
    # the paragraphs came from (the end of the article, for dates).
    first: Element | None
    block: Element | None


def read_body(doc: Doc, profile: Profile, url: str) -> Body:
    """The article's paragraphs, from the first body selector that holds real text, else by density."""
    found: list[str] = []
    first: Element | None = None
    found_in: Element | None = None
    for css in profile.body:
        for node in doc.elements_of(css):
            first = first if first is not None else node
            paragraphs = block_texts(node, _left_out(doc, node, profile, url))
            if _has_words(paragraphs, profile.min_body_words):
                return Body(paragraphs, "selector", first, node)
            if not found and paragraphs:
                found, found_in = paragraphs, node
    block = densest_block(doc)
    if block is not None:
        dense = block_texts(block, _left_out(doc, block, profile, url))
        # A short selected body stays unless the densest block clearly holds the article.
        if _has_words(dense, max(profile.min_body_words, 3 * _word_count(found))):
            return Body(dense, "density", first, block)
    return Body(found, "selector" if found else None, first, found_in)


def _word_count(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _has_words(paragraphs: list[str], least: int) -> bool:
    """Whether `paragraphs` hold at least `least` words (counted no further than that)."""
    count = 0
    for paragraph in paragraphs:
        count += len(paragraph.split())
        if count >= least:
            return True
    return count >= least


def _is_lead(text: str) -> bool:
    """Whether a block's text opens with "Baca juga" (or a sibling phrase), perhaps after a bullet or one word."""
    low = text.lower()
    if low.startswith(_LEADS):
        return True
    first, _, rest = low.partition(" ")
    return len(first) <= _MAX_BULLET and rest.startswith(_LEADS)


def _may_lead(text: str) -> bool:
    """Whether the "juga"/"pula" of a text node can be the one of a lead phrase opening a block.

    A lead opens its block, after at most one short word: the word must stand near the start of
    the node that holds it. Body sentences say "juga" all the time, further in.
    """
    head = fold(text[:_LEAD_REACH * 3]).lower()
    if len(head) < _LEAD_REACH and len(text) > _LEAD_REACH * 3:
        head = fold(text).lower()
    head = head[:_LEAD_REACH]
    return "juga" in head or "pula" in head


_OPENING = 64
_LONGEST_LEAD = max(map(len, _LEADS))
# A bullet or one word before a lead ("▶ Baca juga", "ARTIKEL: baca juga") is this short at most;
# "juga"/"pula" of a lead then ends within this many characters of its block's text.
_MAX_BULLET = 24
_LEAD_REACH = _MAX_BULLET + 1 + _LONGEST_LEAD


def _opening(el: Element) -> str:
    """The folded text `el` opens with: enough of it for `_is_lead`, without reading a whole body."""
    head, whole = text_head(el, _OPENING)
    if whole:
        return head
    first_space = head.find(" ")
    # Enough once the word after the first one can be compared with the longest lead.
    if first_space >= 0 and len(head) - first_space > _LONGEST_LEAD + 1:
        return head
    return fold(text_of(el))


def _lead_links(doc: Doc, scope: Element | None) -> list[str]:
    """The link targets of every "Baca juga" block within `scope` (None: the page), in document order."""
    hrefs: list[str] = []
    done: set[Element] = set()
    for owner, _ in doc.search(("juga", "pula"), ignore_case=True, scope=scope, where=_may_lead):
        for el in ancestors(owner, _RELATED_TAGS):
            if el in done:
                continue
            done.add(el)
            if _is_lead(_opening(el)):
                hrefs.extend(href for a in el.css("a") if (href := a.attributes.get("href")))
    return hrefs


def related_links(doc: Doc, url: str, profile: Profile, body: Element | None) -> list[str]:
    """The article's Baca Juga targets: the lines that announce them, then the family's related boxes."""
    hrefs = _lead_links(doc, body)
    for css in profile.related:
        found = [href for el in doc.elements_of(css) if (href := el.attributes.get("href")) is not None]
        if found:  # first selector that finds links wins, as for every other field
            hrefs.extend(found)
            break
    out = []
    own, host = canonical_url(url, profile), host_of(url)
    for href in hrefs:
        link = absolute(href, url)
        if not link or "//" in path_query(link):
            continue
        # On the article's own site only links that look like articles are related articles.
        if host_of(link) == host and profile.article_url and not is_article_url(link, profile):
            continue
        canonical = canonical_url(link, profile)
        if canonical != own:
            out.append(canonical)
    return dedupe(out)


