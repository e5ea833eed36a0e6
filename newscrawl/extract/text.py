"""Text helpers shared by the extractors: whitespace folding, block-level text, and the opening of an element's text.

Pure functions over lexbor elements (`extract.doc`) and strings; never mutate a tree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from selectolax.lexbor import LexborNode as Element

# Elements whose start and end break a paragraph.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
        "table", "tr", "td", "th", "section", "article", "header", "footer", "figure", "dd", "dt",
        "dl", "hr", "main", "center", "address", "details", "summary", "caption", "tbody", "thead",
    },
)
# Elements whose text is never article text.
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "iframe", "template", "svg", "button", "select", "textarea",
     "input", "object", "embed", "video", "audio", "canvas", "head", "title", "meta", "link"},
)

_SPACE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
# The marks `_SPACE` folds that are no white space to str.split (zero-width space, joiners, word joiner, BOM).
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def fold(text: str | None) -> str:
    """Collapse every run of whitespace (nbsp and zero-width marks included) into one space."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text:
        # The only whitespace is single spaces (every other kind, nbsp and zero-width marks too, is
        # non-printable): nothing to collapse. Most text nodes, read without the regex.
        return text.strip()
    if _ZERO_WIDTH.search(text) is None:
        # str.split splits on exactly the white space of `\s` (nbsp included): the same runs, ~2x faster.
        return " ".join(text.split())
    return _SPACE.sub(" ", text).strip()


def block_texts(root: Element, skip: set[Element] | frozenset[Element] = frozenset()) -> list[str]:
    """Return the text of `root` as paragraphs: one string per block, inline markup flattened.

    ``<br>`` breaks a paragraph too: several portals separate paragraphs with ``<br><br>`` only.
    Elements in `skip` are read as if removed; the text after them stays in the flow.
    """
    out: list[str] = []
    buf: list[str] = []
    _walk_blocks(root, skip, out, buf)
    _flush(buf, out)
    return out


# The walk is a module-level function, not a closure: a nested function that calls itself is a
# reference cycle, which would keep the page's whole tree (through `skip`) alive until the garbage
# collector runs, instead of freeing it as soon as the page is done.
def _flush(buf: list[str], out: list[str]) -> None:
    if buf:
        text = fold("".join(buf))
        buf.clear()
        if text:
            out.append(text)


def _walk_blocks(el: Element, skip: set[Element] | frozenset[Element], out: list[str], buf: list[str]) -> None:
    tag = el.tag
    if tag in SKIP_TAGS or el in skip:
        return
    is_block = tag in BLOCK_TAGS
    if is_block or tag == "br":
        _flush(buf, out)
    for child in el.iter(include_text=True):
        text = child.text_content  # None for anything but a text node
        if text is not None:
            if text:
                buf.append(text)
        elif child.is_element_node:
            _walk_blocks(child, skip, out, buf)
    if is_block:
        _flush(buf, out)


def _text_alone(el: Element) -> bool:
    """Whether `el` holds text only: no child element or comment (a link, a heading, a date)."""
    return next(el.iter(), None) is None


def element_text(el: Element) -> str:
    """All visible text of `el`, folded into one line."""
    if el.tag not in SKIP_TAGS and _text_alone(el):
        return fold(el.text())  # lexbor's text is it
    return fold(" ".join(block_texts(el)))


_HEAD_READ = 4


def text_head(el: Element, limit: int) -> tuple[str, bool]:
    """The folded text `el` opens with (at least `limit` characters of it), and whether that is all.

    lexbor reads an element's text in C; only the folding, the slow part, stops at what decides. A
    block that may hold a whole article (a ``div`` around the body and its links) is read only as far
    as its first texts go: `el.text()` of it would copy thousands of characters to look at a few.
    """
    if el.tag in _CONTAINERS and not _text_alone(el):  # a block of text alone is read whole
        return _head_of_container(el, limit)
    return _head(iter((el.text(),)), limit)


# Blocks that may hold a page's article and more: their head is read from their first text nodes.
_CONTAINERS = frozenset({"div", "article", "section", "main", "body", "table", "tbody", "ul", "ol", "aside"})


def _head_of_container(el: Element, limit: int) -> tuple[str, bool]:
    """`text_head` of a block that may be large, its text nodes read only until what decides is read."""
    texts = (node.text_content or "" for node in el.traverse(include_text=True) if node.is_text_node)
    return _head(texts, limit)


def _head(texts: Iterator[str], limit: int) -> tuple[str, bool]:
    """`text_head` of the text `texts` make, read no further than what decides.

    The answer the whole text gives: a prefix is folded once more characters than it holds are
    known to follow (growing `_HEAD_READ` times until it folds to `limit`), and the whole is folded
    once `texts` have ended.
    """
    parts: list[str] = []
    read = 0
    size = limit * _HEAD_READ
    while True:
        for piece in texts:  # on until more than `size` characters are known, or to the end
            parts.append(piece)
            read += len(piece)
            if read > size:
                break
        if read <= size:
            return fold("".join(parts)), True
        head = fold("".join(parts)[:size])
        if len(head) >= limit:
            return head, False
        size *= _HEAD_READ


_NAME_TAGLINE = re.compile(r"\s[-|\u2013\u2014:]\s")
_DOMAIN_END = re.compile(r"\.(?:com|co\.id|id|net|org|or\.id|web\.id|news)$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
# A headline's separators before a site name: "Judul - Kompas.com", "Judul | Tribun Timur".
_TITLE_SEPARATORS = re.compile(
    r"\s*(?:\s[-|\u2013\u2014]|::|\s:)\s+|^\s*[-|\u2013\u2014:]+\s*|\s*[-|\u2013\u2014:]+\s*$",
)


# The site names and hosts of a crawl recur on every page of a portal: each is keyed once.
@lru_cache(maxsize=1024)
def site_key(name: str | None) -> str:
    """A site name compared loosely: "Tribun Timur", "Tribun-Timur.com" and "TRIBUN TIMUR" are one name.

    A tagline after " - " or " | " and a trailing domain ending are left out.
    """
    if not name:
        return ""
    head = _NAME_TAGLINE.split(fold(name), maxsplit=1)[0].lower()
    return _NOT_ALNUM.sub("", _DOMAIN_END.sub("", head))


def without_site_name(title: str | None, names: tuple[str | None, ...]) -> str | None:
    """A headline without the site's name glued before or after it; None when nothing else is left.

    "Judul - Kompas.com" -> "Judul"; "Judul | WartaSolo.com - Berita Terkini" -> "Judul";
    "- Zona Jakarta" and "Zona Jakarta" -> None. Only a part that is one of `names` (compared with
    `site_key`, so with its tagline) is removed.
    """
    title = fold(title)
    keys = {key for key in map(site_key, names) if key}
    if not title or not keys:
        return title or None
    if site_key(title) in keys and not _TITLE_SEPARATORS.search(title):
        return None
    cuts = [(m.start(), m.end()) for m in _TITLE_SEPARATORS.finditer(title)]
    start, end = 0, len(title)
    for at, after in cuts:  # the site's name (with its tagline) after a separator: cut from the first such one
        if site_key(title[after:]) in keys:
            end = at
            break
    for at, after in reversed(cuts):  # the site's name before a separator
        if at <= end and site_key(title[:at]) in keys:
            start = after
            break
    kept = fold(title[start:end])
    return None if not kept or site_key(kept) in keys else kept


# Indonesian function words: in Indonesian text they are one word in six or more, in English text none.
_INDONESIAN_WORDS = frozenset(
    {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan", "pada", "juga",
     "ke", "karena", "ada", "kata", "adalah", "saat", "oleh", "sudah", "bisa", "mereka", "kami", "telah"},
)
_WORD = re.compile(r"[a-z]+")


def looks_indonesian(text: str, *, sample: int = 300) -> bool:
    """Whether `text` reads as Indonesian: its first `sample` words hold Indonesian function words."""
    words = _WORD.findall(text[: sample * 8].lower())[:sample]
    return len(words) >= 20 and sum(w in _INDONESIAN_WORDS for w in words) >= 0.08 * len(words)


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, escaped, longest first (so "wita" wins over "wit")."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
