"""Find the article text on a page no selector knows: the block holding the most paragraph text.

A readability-style score: every paragraph (a ``<p>``, or a run of text separated by ``<br>``)
credits its container fully and the container's parent by half, by how much non-link text it
has and how many clauses (commas); a container is then discounted by its share of link text and
by class or id names that mark page furniture (comments, sidebars, related lists). Pure: reads a
parsed page (`Doc`), never modifies it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newscrawl.extract.text import SKIP_TAGS, fold

if TYPE_CHECKING:
    from newscrawl.extract.doc import Doc, Element

# Class/id words of page furniture, and of article containers.
FURNITURE = re.compile(
    r"comment|komentar|footer|sidebar|side-bar|widget|related|terkait|rekomendasi|populer|popular|"
    r"trending|terpopuler|terkini|latest|nav|menu|breadcrumb|share|social|sosmed|advert|ads?[-_]|banner|"
    r"promo|sponsor|newsletter|subscribe|cookie|modal|popup|tag|bacajuga|baca-juga|most|recommend|footnote",
    re.IGNORECASE,
)
ARTICLE_HINT = re.compile(
    r"article|artikel|content|konten|body|entry|post|story|detail|read|txt|text|isi|berita|news",
    re.IGNORECASE,
)
_NOT_CONTAINER = frozenset({"nav", "header", "footer", "aside", "form", "menu", "ul", "ol", "li", "a", "h1", "h2"})
_MIN_PARAGRAPH = 25


_INLINE = frozenset({"b", "strong", "i", "em", "span", "u", "a"})
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})


def _attrs(el: Element) -> str:
    attrs = el.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _direct_text(el: Element) -> str:
    """Text that sits directly in `el` (its text nodes, its inline children's text), as read: ``<br>`` paragraphs."""
    parts = []
    for child in el.iter(include_text=True):
        text = child.text_content  # None for anything but a text node
        if text is not None:
            parts.append(text)
            continue
        tag = child.tag
        if tag in _INLINE:
            parts.append(child.text())
        elif tag == "br":
            parts.append(" ")
    return "".join(parts)


def _link_text_len(el: Element) -> int:
    return sum(len(fold(a.text())) for a in el.css("a"))


def _under_furniture(el: Element) -> bool:
    node: Element | None = el
    while node is not None:
        if node.tag in _FURNITURE_TAGS:
            return True
        node = node.parent
    return False


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + min(len(text) / 100, 3)


def densest_block(doc: Doc) -> Element | None:
    """The element that most likely holds the article's paragraphs; None on a page without prose."""
    return best_container(list(paragraph_scores(doc).items()))


def paragraph_scores(doc: Doc) -> dict[Element, float]:
    """Each container's paragraph score (its own paragraphs fully, its children's by half), in document order."""
    scores: dict[Element, float] = {}
    for el in doc.elements:
        tag = el.tag
        if tag in SKIP_TAGS:
            continue
        if tag == "p":
            text = el.text()
            container = el.parent
        else:
            text = _direct_text(el)
            container = el
        # Folding never lengthens a text: one too short as read (most of a page's) is skipped unfolded.
        if container is None or len(text) < _MIN_PARAGRAPH or len(text := fold(text)) < _MIN_PARAGRAPH:
            continue
        links = _link_text_len(el) if tag == "p" else 0
        if links > len(text) / 2:
            continue
        score = _paragraph_score(text)
        scores[container] = scores.get(container, 0.0) + score
        parent = container.parent
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score / 2
    return scores


def best_container(scored: list[tuple[Element, float]]) -> Element | None:
    """The container whose score, weighted by its names and discounted by its link text, is highest.

    The first of equals wins (in the order of `scored`), and a container scoring 0 never does.
    Containers are looked at by paragraph score, highest first: the weighted score is at most
    `_MAX_WEIGHT` times that, so once that bound is below the best so far no later one can win,
    and their text (a container high up holds the whole page's) is never read.
    """
    best: Element | None = None
    best_score = 0.0
    best_index = -1
    for index in sorted(range(len(scored)), key=lambda i: -scored[i][1]):
        el, score = scored[index]
        if score * _MAX_WEIGHT < best_score:
            break
        final = weighed(el, score)
        if final is None:
            continue
        if final > best_score or (final == best_score and best is not None and index < best_index):
            best, best_score, best_index = el, final, index
    return best


def weighed(el: Element, score: float) -> float | None:
    """`el`'s paragraph score weighted by its names and its share of link text; None for no container."""
    tag = el.tag
    if tag in _NOT_CONTAINER or tag in {"html", "body", "-document"} or _under_furniture(el):
        return None
    return score * _weight(_attrs(el)) * (1 - min(_link_text_len(el) / (len(fold(el.text())) or 1), 1))


_MAX_WEIGHT = 1.25


def _weight(names: str) -> float:
    """How much a container's class and id names make it the article's: furniture 0.3, an article hint 1.25."""
    if FURNITURE.search(names) and not ARTICLE_HINT.search(names):
        return 0.3
    return _MAX_WEIGHT if ARTICLE_HINT.search(names) else 1.0
