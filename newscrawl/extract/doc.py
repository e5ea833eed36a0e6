"""One parsed page: lexbor's HTML5 tree (selectolax) and the few questions extraction asks it besides CSS.

What it is for
    Parsing a page once (UTF-8 bytes as they came, or text) into the tree a browser would build,
    and answering on it: CSS selectors (lexbor, in C; a trailing ``::attr(name)`` or ``::text``,
    as parsel spells them, is split off here and read from the elements lexbor found), document
    order, whether an element lies inside another or one the page hides, the page's text nodes
    holding a word, and an element's text read around left-out subtrees.

What it must never do
    Match selectors itself, or modify the tree: the family check, the extraction and the spider's
    link finding all read the same tree, and a body is read *around* left-out elements.

Elements are wrappers made afresh at each access: whether two are one element is `same` (their
lexbor node). selectolax's ``==`` compares serialized HTML (two equal paragraphs are "equal", at
the cost of two serializations); sets and dicts are safe, they hash the node.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newscrawl.extract.textrun import TextRun

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["Doc", "Element", "Node", "TextNodes", "hidden", "lineage", "same", "text_of"]

Element: TypeAlias = LexborNode
# What a selector yields: elements, or strings for ``::attr(name)`` and ``::text``.
Node: TypeAlias = "Element | str"
TextNodes: TypeAlias = "list[tuple[Element, str]]"

# Elements whose own text is code, not page text (searches leave it out).
NOT_TEXT = frozenset({"script", "style", "noscript", "template"})

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PSEUDO = re.compile(r"^(?P<css>.*?)::(?:attr\(\s*(?P<attr>[^)\s]+)\s*\)|(?P<text>text))\s*$", re.DOTALL)


@lru_cache(maxsize=1024)
def split_pseudo(query: str) -> tuple[str, str | None, bool]:
    """The CSS part of `query`, the attribute of its ``::attr(name)``, whether it ends in ``::text``.

    ``'a::attr(href)'`` -> ``('a', 'href', False)``; ``'p::text'`` -> ``('p', None, True)``.

    The pseudo-element applies to every selector of a group (``a, b::text`` is read as ``a, b`` then ``::text``).
    """
    match = _PSEUDO.match(query)
    if match is None:
        return query, None, False
    return match["css"], match["attr"], match["text"] is not None


def hidden(el: Element) -> bool:
    """Whether `el` sits inside an element the page hides (``display:none``, ``visibility:hidden``, ``hidden``)."""
    node: Element | None = el
    while node is not None and node.is_element_node:
        attrs = node.attributes
        style = attrs.get("style")
        if (style and _HIDDEN.search(style)) or "hidden" in attrs:
            return True
        node = node.parent
    return False


def lineage(el: Element | None, levels: int) -> Iterator[Element]:
    """`el` and its ancestors, `levels` elements in all at most, nearest first."""
    for _ in range(levels):
        if el is None:
            return
        yield el
        el = el.parent


def same(a: Element, b: Element) -> bool:
    """Whether `a` and `b` are the same element of the tree."""
    return a.mem_id == b.mem_id


def parse_html(page: str | bytes) -> LexborHTMLParser:
    """The page as a browser builds it. Bytes are read as UTF-8 (an invalid byte becomes U+FFFD).

    Never fails: anything, even nothing, gives a document with ``html``, ``head`` and ``body``.
    """
    return LexborHTMLParser(page)


class Doc:
    """A parsed page, with its document order and text nodes computed when first asked for."""

    __slots__ = ("_answers", "_elements", "_firsts", "_order", "_page_runs", "_runs", "_subtrees", "root", "tree")

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        root = tree.root
        if root is None:  # a document always has <html>; this keeps mypy and a broken build honest
            raise ValueError("lexbor built a document without a root element")
        self.root: Element = root
        self._elements: list[Element] | None = None
        # Document order, filled as far as a lookup needed (the elements after an article's end are seldom asked).
        self._order: dict[Element, int] = {}
        self._subtrees: dict[Element, set[Element]] = {}
        self._runs: dict[Element, TextRun] = {}
        self._page_runs: list[TextRun] | None = None
        self._answers: dict[str, list[Element]] = {}
        # The first match of a selector asked only for its first (rel=canonical: for the URL and the identity).
        self._firsts: dict[str, Element] = {}

    @classmethod
    def parse(cls, page: str | bytes) -> Doc:
        """Parse an HTML page."""
        return cls(parse_html(page))

    @classmethod
    def of(cls, page: str | bytes | Doc) -> Doc:
        """A Doc for whatever the caller has: HTML text or bytes, or a Doc."""
        return page if isinstance(page, Doc) else cls.parse(page)

    # --- CSS --------------------------------------------------------------------------------------

    def css(self, query: str, scope: Element | None = None) -> list[Node]:
        """What `query` selects in the page (or in `scope`, itself included), in document order."""
        css, attr, text = split_pseudo(query)
        found = self._select(css, scope)
        if attr is not None:
            return [value for el in found if (value := el.attributes.get(attr)) is not None]
        if text:
            return [t for el in found for t in own_texts(el)]
        return list(found)

    def elements_of(self, query: str, scope: Element | None = None) -> list[Element]:
        """The elements `query` selects (a query with a pseudo-element gives none)."""
        css, attr, text = split_pseudo(query)
        if attr is not None or text:
            return []
        return self._select(css, scope)

    def _select(self, css: str, scope: Element | None) -> list[Element]:
        if scope is not None:
            return _select(scope, css)
        # Extraction asks the page some selectors twice (a title selector for the headline and
        # for its element, rel=canonical for the URL and for the page's identity).
        found = self._answers.get(css)
        if found is None:
            found = self._answers[css] = _select_page(self.root, css)
        return list(found)

    def has(self, query: str) -> bool:
        """Whether `query` selects anything in the page (lexbor stops at the first match)."""
        return bool(self._first(query))

    def first(self, queries: Iterable[str], scope: Element | None = None) -> Node | None:
        """The first match of the first query that matches anything."""
        for query in queries:
            found = self.css(query, scope) if scope is not None else self._first(query)
            if found:
                return found[0]
        return None

    def _first(self, query: str) -> list[Node]:
        """The page's first match of `query` (or none): lexbor stops at the first, unless the answer is known."""
        css, attr, text = split_pseudo(query)
        if css in self._answers:
            return self.css(query)[:1]
        el = self._firsts.get(css)
        if el is None:
            el = self.root.css_first(css)
            if el is None:
                self._answers[css] = []
                return []
            self._firsts[css] = el
        if attr is not None:
            value = el.attributes.get(attr)
            # An element without the attribute: the first that has it may come later.
            return [value] if value is not None else self.css(query)[:1]
        if text:
            texts: list[Node] = [*own_texts(el)[:1]]
            return texts or self.css(query)[:1]
        return [el]

    def each_of(self, queries: tuple[str, ...]) -> list[Element]:
        """What each query selects, one query's elements after the other's (an element two select comes twice).

        ``[el for q in queries for el in doc.elements_of(q)]``. A few queries (a family's date selectors
        mostly find the same element) are asked in one pass of lexbor over the page: the group's few
        elements are then asked which queries they answer (an element is the first match of a query
        from itself). Asking an element that a query does not select walks the element's subtree:
        with many queries, written to catch any site (the generic family's 18), those walks cost
        more than one pass per query (saved real pages: 0.93 against 0.37 ms a page).
        """
        plain = tuple(q for q in queries if split_pseudo(q)[0] == q)
        if not 2 <= len(plain) <= _MAX_GROUPED:  # one query, or many: a pass each
            return [el for q in plain for el in self.elements_of(q)]
        found = self._select(_group(plain), None)
        return [el for q in plain for el in found if (first := el.css_first(q)) is not None and same(first, el)]

    def matching(self, queries: tuple[str, ...], scope: Element | None = None) -> set[Element]:
        """Every element any of `queries` selects, as a set (for leaving elements out): one lexbor pass."""
        group = _group(queries)
        if not group:
            return set()
        return set((scope if scope is not None else self.root).css(group))

    @property
    def is_amp(self) -> bool:
        """Whether the page is an AMP page (``<html amp>`` or ``<html ⚡>``), whose own elements hold dates too."""
        attrs = self.root.attributes
        return "amp" in attrs or "\u26a1" in attrs

    def tagged(self, tag: str) -> list[Element]:
        """Every element of the page with this (lower-case) tag, in document order."""
        return self.tree.tags(tag)

    # --- document order ---------------------------------------------------------------------------

    @property
    def elements(self) -> list[Element]:
        """Every element of the page, in document order (comments and text left out)."""
        if self._elements is None:
            self._elements = self.root.css("*")
        return self._elements

    def position(self, el: Element) -> int:
        """Where `el` stands in document order (0 for an element not in the document)."""
        found = self.position_within(el, len(self.elements) - 1)
        return found if found is not None else 0

    def position_within(self, el: Element, last: int) -> int | None:
        """`el`'s position if it is one of the first elements up to position `last`, else None.

        The order is filled only as far as asked: an element after `last` costs no lookup of the rest.
        """
        order = self._order
        found = order.get(el)
        if found is not None:
            return found if found <= last else None
        elements = self.elements
        filled, stop = len(order), min(last + 1, len(elements))
        while filled < stop:
            upto = min(stop, filled + _ORDER_STEP)
            order.update(zip(elements[filled:upto], range(filled, upto), strict=True))
            filled = upto
            found = order.get(el)
            if found is not None:
                return found
        return None

    def last_position(self, el: Element) -> int:
        """The position of the last element inside `el` (its own when it holds none): its subtree ends there.

        Found by going down the last element children, not by counting the subtree's elements.
        """
        node = el
        while True:
            child = node.last_child
            while child is not None and not child.is_element_node:
                child = child.prev
            if child is None:
                break
            node = child
        position = self.position(node)
        if not same(node, el) and position == 0:  # not in document order (a template's content): count instead
            return self.position(el) + len(el.css("*")) - 1
        return position

    def contains(self, scope: Element, el: Element) -> bool:
        """Whether `el` is `scope` or inside it (a set lookup, after the first call for a scope)."""
        if same(scope, self.root):
            return True
        inside = self._subtrees.get(scope)
        if inside is None:
            # A body is asked about many elements (Baca Juga lines, dates): one C-level walk of it
            # beats walking up from each of them.
            inside = self._subtrees[scope] = set(scope.traverse())
        return el in inside

    # --- text -------------------------------------------------------------------------------------

    def search(
        self,
        words: tuple[str, ...],
        *,
        ignore_case: bool = False,
        scope: Element | None = None,
        where: Callable[[str], bool] | None = None,
    ) -> TextNodes:
        """The text nodes (owner element, text) of the page (or of `scope`) holding any of `words`, in order.

        The text of ``script``, ``style`` and ``noscript`` is code, not page text. With `ignore_case`,
        `words` must be lower case. With `where`, only the texts it accepts (their owners are found
        only for those: the walk to a text node is the costly part).
        """
        out: TextNodes = []
        for run in self._runs_of(scope):
            hits = run.hits(words, ignore_case=ignore_case)
            if where is not None:
                hits = [hit for hit in hits if where(hit[1])]
            if not hits:
                continue
            for (_, text), node in zip(hits, run.nodes([i for i, _ in hits]), strict=True):
                # A run is walked only as far as its hits: each hit's node must hold the hit's text,
                # or lexbor's text and its walk would disagree on which node is which.
                if node.text_content != text:
                    raise AssertionError("lexbor's text walk and traverse() disagree on a page's text nodes")
                owner = node.parent
                if owner is not None and owner.tag not in NOT_TEXT:
                    out.append((owner, text))
        return out

    def texts_holding(self, words: tuple[str, ...]) -> list[str]:
        """The texts of the page's text nodes holding any of `words`, in order (`search` without owners)."""
        return [text for _, text in self.search(words)]

    def _runs_of(self, scope: Element | None) -> list[TextRun]:
        """The text of `scope`; of the page: its title and its body (what else a head holds is code)."""
        if scope is None:
            if self._page_runs is None:
                head, body = self.tree.head, self.tree.body
                tops = [*(head.css("title")[:1] if head is not None else ()), *((body,) if body is not None else ())]
                self._page_runs = [self._run(top) for top in tops]
            return self._page_runs
        return [self._run(scope)]

    def _run(self, top: Element) -> TextRun:
        run = self._runs.get(top)
        if run is None:
            # A subtree of the body (the article's) can take its nodes from the body's run, if walked.
            body = self.tree.body
            within = self._runs.get(body) if body is not None and _inside(top, body) else None
            run = self._runs[top] = TextRun(top, within)
        return run


# `Doc.each_of` asks at most this many queries in one pass (Kompas: 7; the generic family's 18 are asked one by one).
_MAX_GROUPED = 8

# How many elements the document order is filled by at a time.
_ORDER_STEP = 64

# "A tag": a compound narrowed by a class, id or attribute, then a bare tag name ("div.author a").
_INSIDE = re.compile(r"^\s*([^\s,>+~()]*[.#\[][^\s,>+~()]*)\s+([a-z][a-z0-9]*)\s*$")


def _select_page(root: Element, css: str) -> list[Element]:
    """`_select` over the page; "A tag" found as the tags inside each A (the same elements, in the same order).

    lexbor matches right to left: for ``div.author a`` it walks up from every link of the page.
    The few A found first, and then their tags, cost half as much. The tags of nested A's are kept
    once, in document order (an outer A's come first and hold the inner's); a scoped search
    includes the A itself, which "A tag" never selects.
    """
    split = _INSIDE.match(css) if " " in css else None
    if split is None:
        return _select(root, css)
    outer, tag = split.groups()
    found: dict[Element, None] = {}
    for a in root.css(outer):
        found.update(dict.fromkeys(x for x in a.css(tag) if not same(x, a)))
    return list(found)


def _select(scope: Element, css: str) -> list[Element]:
    found = scope.css(css)
    # lexbor reports an element once per selector of a group that it matches.
    return list(dict.fromkeys(found)) if "," in css and len(found) > 1 else found


@lru_cache(maxsize=256)
def _group(queries: tuple[str, ...]) -> str:
    return ", ".join(q for q in queries if split_pseudo(q)[0] == q)


def _inside(el: Element, top: Element) -> bool:
    """Whether `el` lies below `top` (a walk up its ancestors)."""
    node = el.parent
    while node is not None:
        if same(node, top):
            return True
        node = node.parent
    return False


def own_texts(el: Element) -> list[str]:
    """The text nodes directly inside `el` (``::text``)."""
    return [t for child in el.iter(include_text=True) if child.is_text_node and (t := child.text_content)]


def text_of(el: Element, skip: set[Element] | frozenset[Element] | None = None) -> str:
    """All the text of `el` (comments left out), without the subtrees of `skip`'s elements."""
    if not skip:
        return el.text()
    parts: list[str] = []
    _gather(el, skip, parts)
    return "".join(parts)


def _gather(node: Element, skip: set[Element] | frozenset[Element], parts: list[str]) -> None:
    # Not a closure: a nested function calling itself is a reference cycle.
    for child in node.iter(include_text=True):
        text = child.text_content  # None for anything but a text node
        if text is not None:
            if text:
                parts.append(text)
        elif child.is_element_node and child not in skip:
            _gather(child, skip, parts)
