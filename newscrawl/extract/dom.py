"""One parsed page, read once: the element tree, an index of its classes, and its text nodes.

Extraction asks a page a few dozen questions (a profile's selectors, the Baca Juga, credit and
"Halaman" searches). Asked as XPath, each is a walk over the whole document, and those walks were
most of the extraction time. A `Doc` walks the tree once, indexing elements by class and by tag and
keeping the text nodes, and answers the CSS selectors the profiles use from that index. A selector outside
the supported subset (type, ``#id``, ``.class``, ``[attr]``, ``[attr=|^=|*=|$=|~=value]``,
``:first-child``/``:last-child``/``:first-of-type``/``:last-of-type``, descendant and ``>``
combinators, ``::attr(name)`` and ``::text``) is translated to XPath as parsel would, so every CSS
selector keeps parsel's meaning (``tests/test_dom.py`` checks the two agree on every profile
selector over every fixture page).

Pages are parsed with lxml's plain HTML parser, not ``lxml.html``'s: its elements are the same
tree, but ``lxml.html`` calls a Python class lookup for every element Python touches.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, TypeAlias

from lxml import etree
from lxml.etree import _Element as Element
from parsel.csstranslator import HTMLTranslator

from newscrawl.extract.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from parsel import Selector

__all__ = ["Doc", "Element", "Node", "TextNodes", "compile_css", "parse_html", "text_head", "text_of"]

# What a selector yields: elements, or strings for ``::attr(name)`` and ``::text``.
Node: TypeAlias = "Element | str"
TextNodes: TypeAlias = "list[tuple[Element, str]]"

# Elements whose text is code, not page text.
NOT_TEXT = frozenset({"script", "style", "noscript", "template"})

_LOCAL = threading.local()


def _parser() -> etree.HTMLParser:
    # A parser is reused (creating one per page costs ~5% of the parse) but not shared between
    # threads. No id table: nothing here looks elements up by id through libxml2.
    parser: etree.HTMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    return parser


def parse_html(page: str | bytes) -> Element:
    """The root element of an HTML page, as parsel would build it (NULs dropped, never None)."""
    if isinstance(page, str):
        body = page.strip().replace("\x00", "").encode("utf-8")
    else:
        body = page.replace(b"\x00", b"").strip()
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            # libxml2 stops at the first invalid byte; a reader's browser shows a replacement mark.
            body = body.decode("utf-8", "replace").encode("utf-8")
    parser = _parser()
    root = None
    if body:
        try:
            root = etree.fromstring(body, parser=parser)
        except etree.XMLSyntaxError:
            root = None
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


# --- text ---------------------------------------------------------------------------------------


def text_of(el: Element, skip: set[Element] | None = None) -> str:
    """The string value of `el` (all its text, comments left out), without `skip`ped subtrees."""
    if not skip or not any(d in skip for d in el.iterdescendants()):
        return "".join(el.itertext())
    parts: list[str] = []
    _gather(el, skip, parts)
    return "".join(parts)


def _gather(node: Element, skip: set[Element], parts: list[str]) -> None:
    # Not a closure: a nested function calling itself is a reference cycle that would keep the page's
    # tree alive (through `skip`) until the garbage collector runs.
    if node.text and isinstance(node.tag, str):
        parts.append(node.text)
    for child in node:
        if child not in skip:
            _gather(child, skip, parts)
        if child.tail:
            parts.append(child.tail)


def _inside(el: Element, other: Element) -> bool:
    """Whether `el` (after `other` in document order) is inside `other`: a walk up no higher than it."""
    stop = other.getparent()
    node = el.getparent()
    while node is not None and node is not stop:
        if node is other:
            return True
        node = node.getparent()
    return False


def text_head(el: Element, limit: int) -> tuple[str, bool]:
    """The folded text `el` opens with (at least `limit` characters of it), and whether that is all.

    Reads no further than that: a whole body need not be read to see how it starts.
    """
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            head = fold("".join(parts))
            if len(head) >= limit:
                return head, False
    return fold("".join(parts)), True


# --- the CSS subset -----------------------------------------------------------------------------


class UnsupportedSelectorError(ValueError):
    """A selector outside the subset this module answers from its index."""


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector: ``div.a.b[x=y]:last-child``."""

    tag: str | None = None
    id: str | None = None
    classes: frozenset[str] = frozenset()
    attrs: tuple[tuple[str, str, str], ...] = ()  # (name, operator or "", value)
    pseudo: tuple[str, ...] = ()

    @property
    def one_class(self) -> str:
        """The class of a compound that names exactly one."""
        (name,) = self.classes
        return name


@dataclass(frozen=True, slots=True)
class Chain:
    """Compounds joined by combinators, left to right; ``combinators[i]`` joins compounds i and i+1."""

    compounds: tuple[Compound, ...]
    combinators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled CSS selector group."""

    chains: tuple[Chain, ...]
    pseudo_element: tuple[str, str] | None = None  # ("attr", name) or ("text", "")
    xpath: etree.XPath | None = None  # set when the selector is outside the subset


_IDENT = r"-?[A-Za-z_][\w-]*"
_TOKEN = re.compile(
    rf"""
    (?P<comb>\s*[>+~]\s*|\s+)
    |(?P<tag>{_IDENT}|\*)
    |\#(?P<id>[\w-]+)
    |\.(?P<cls>{_IDENT})
    |\[\s*(?P<attr>{_IDENT})\s*(?:(?P<op>[*^$~]?=)\s*(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^'\\]*)'|(?P<bare>{_IDENT})))?\s*\]
    |::(?:attr\((?P<pe_attr>{_IDENT})\)|(?P<pe_text>text))
    |:(?P<pc>first-child|last-child|first-of-type|last-of-type)(?![\w(-])
    """,
    re.VERBOSE,
)


@dataclass(slots=True)
class _Builder:
    """The compound being read by `_parse_chain`."""

    started: bool = False
    tag: str | None = None
    id: str | None = None
    classes: set[str] = field(default_factory=set)
    attrs: list[tuple[str, str, str]] = field(default_factory=list)
    pseudo: list[str] = field(default_factory=list)

    def build(self) -> Compound:
        return Compound(self.tag, self.id, frozenset(self.classes), tuple(self.attrs), tuple(self.pseudo))


def _parse_chain(text: str) -> tuple[Chain, tuple[str, str] | None]:  # noqa: C901, PLR0912, PLR0915 - a small tokenizer
    """One selector of a group: its compounds and combinators, and a trailing pseudo-element."""
    text = text.strip()
    compounds: list[Compound] = []
    combinators: list[str] = []
    part = _Builder()
    pseudo_element: tuple[str, str] | None = None

    def close() -> None:
        nonlocal part
        if not part.started:
            raise UnsupportedSelectorError(text)
        compounds.append(part.build())
        part = _Builder()

    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or pseudo_element is not None:
            raise UnsupportedSelectorError(text)
        pos = match.end()
        kind = match.lastgroup
        if kind == "comb":
            comb = match.group("comb").strip() or " "
            if comb not in (" ", ">"):
                raise UnsupportedSelectorError(text)
            close()
            combinators.append(comb)
            continue
        if kind in ("pe_attr", "pe_text"):
            close()
            attr = match.group("pe_attr")
            pseudo_element = ("attr", attr.lower()) if attr else ("text", "")
            continue
        if kind == "tag":
            if part.started:
                raise UnsupportedSelectorError(text)
            tag = match.group("tag").lower()
            part.tag = None if tag == "*" else tag
        elif kind == "id":
            if part.id is not None:
                raise UnsupportedSelectorError(text)
            part.id = match.group("id")
        elif kind == "cls":
            part.classes.add(match.group("cls"))
        elif kind == "pc":
            pseudo = match.group("pc")
            if pseudo.endswith("of-type") and part.tag is None:
                raise UnsupportedSelectorError(text)  # cssselect refuses *:last-of-type too
            part.pseudo.append(pseudo)
        else:  # an attribute test
            value = next((v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None), "")
            part.attrs.append((match.group("attr").lower(), match.group("op") or "", value))
        part.started = True
    if pseudo_element is None:
        close()
    if len(combinators) != len(compounds) - 1:
        raise UnsupportedSelectorError(text)
    return Chain(tuple(compounds), tuple(combinators)), pseudo_element


def _split_groups(query: str) -> list[str]:
    # Commas inside quoted attribute values do not separate selectors.
    out: list[str] = []
    buf: list[str] = []
    quote = ""
    for ch in query:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ",":
            out.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    out.append("".join(buf))
    return out


_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=4096)
def compile_css(query: str) -> Query:
    """Compile a CSS selector group; outside the subset, its XPath translation."""
    try:
        chains, pseudo_elements = [], set()
        for group in _split_groups(query):
            chain, pseudo_element = _parse_chain(group)
            chains.append(chain)
            pseudo_elements.add(pseudo_element)
        if len(pseudo_elements) != 1:
            raise UnsupportedSelectorError(query)  # noqa: TRY301 - one fallback path for every unsupported form
        return Query(tuple(chains), pseudo_elements.pop())
    except UnsupportedSelectorError:
        return Query((), None, etree.XPath(_TRANSLATOR.css_to_xpath(query)))


@lru_cache(maxsize=1024)
def _residual(compound: Compound, known: str) -> Compound | None:
    """What is left of `compound` to check on an element the index gave for its id, class or tag."""
    if known == "id":
        rest = Compound(compound.tag, None, compound.classes, compound.attrs, compound.pseudo)
    elif known == "class" and len(compound.classes) == 1:
        rest = Compound(compound.tag, compound.id, frozenset(), compound.attrs, compound.pseudo)
    elif known == "tag":
        rest = Compound(None, compound.id, compound.classes, compound.attrs, compound.pseudo)
    else:
        return compound
    return None if rest == Compound() else rest


def _element_sibling(el: Element, forward: bool) -> Element | None:
    sib = el.getnext() if forward else el.getprevious()
    while sib is not None and not isinstance(sib.tag, str):
        sib = sib.getnext() if forward else sib.getprevious()
    return sib


def _typed_sibling(el: Element, forward: bool) -> bool:
    sib = el.getnext() if forward else el.getprevious()
    while sib is not None:
        if sib.tag == el.tag:
            return True
        sib = sib.getnext() if forward else sib.getprevious()
    return False


def _attr_ok(el: Element, name: str, op: str, value: str) -> bool:  # noqa: PLR0911 - one case per operator
    got: str | None = el.get(name)
    if got is None:
        return False
    if op == "":
        return True
    if op == "=":
        return got == value
    if not value:
        return False  # cssselect: an empty substring never matches
    if op == "*=":
        return value in got
    if op == "^=":
        return got.startswith(value)
    if op == "$=":
        return got.endswith(value)
    return value in got.split()  # "~="


def matches(el: Element, compound: Compound) -> bool:  # noqa: C901 - one test per part, cheapest first
    """Whether `el` matches one compound selector."""
    if compound.tag is not None and el.tag != compound.tag:
        return False
    if compound.id is not None and el.get("id") != compound.id:
        return False
    if compound.classes:
        cls = el.get("class")
        if cls is None or not compound.classes.issubset(cls.split()):
            return False
    if compound.attrs:
        for name, op, value in compound.attrs:
            if not _attr_ok(el, name, op, value):
                return False
    if compound.pseudo:
        for pseudo in compound.pseudo:
            if not _pseudo_ok(el, pseudo):
                return False
    return True


def _pseudo_ok(el: Element, pseudo: str) -> bool:
    if pseudo == "last-child":
        return _element_sibling(el, forward=True) is None
    if pseudo == "first-child":
        return _element_sibling(el, forward=False) is None
    if pseudo == "last-of-type":
        return not _typed_sibling(el, forward=True)
    return not _typed_sibling(el, forward=False)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Selectors sorted for `Doc.matching` by how they are answered cheapest."""

    tags: tuple[str, ...]  # bare type selectors: one walk of the scope for all of them
    by_class: tuple[tuple[str, Compound], ...]  # one compound with a class: the class index
    chains: tuple[Chain, ...]
    fallbacks: tuple[str, ...]  # XPath


@lru_cache(maxsize=256)
def _plan(queries: tuple[str, ...]) -> _Plan:
    tags: list[str] = []
    by_class: list[tuple[str, Compound]] = []
    chains: list[Chain] = []
    fallbacks: list[str] = []
    for query in queries:
        compiled = compile_css(query)
        if compiled.xpath is not None:
            fallbacks.append(query)
            continue
        if compiled.pseudo_element is not None:
            continue
        for chain in compiled.chains:
            only = chain.compounds[0]
            if len(chain.compounds) == 1 and only.tag and only == Compound(tag=only.tag):
                tags.append(only.tag)
            elif len(chain.compounds) == 1 and only.classes and only.id is None:
                by_class.append((min(only.classes), only))
            else:
                chains.append(chain)
    return _Plan(tuple(dict.fromkeys(tags)), tuple(by_class), tuple(chains), tuple(fallbacks))


class Doc:
    """A parsed page with its class index and text nodes, read in one walk over the tree."""

    __slots__ = (
        "_by_class",
        "_by_id",
        "_by_tag",
        "_class_names",
        "_elements",
        "_joined",
        "_lower",
        "_order",
        "_starts",
        "_subtrees",
        "_with_attr",
        "root",
        "text_holders",
        "text_is_tail",
        "text_values",
    )

    def __init__(self, root: Element) -> None:  # noqa: C901, PLR0912, PLR0915 - the one walk, inlined: it runs per element
        self.root = root
        by_class: dict[str, list[Element]] = {}
        by_tag: dict[str, list[Element]] = {}
        # The text nodes, as parallel lists: (owner, text) tuples would cost an allocation each, and
        # the owner of a tail (its element's parent) is only looked up for the few a search finds.
        holders: list[Element] = []
        is_tail: list[bool] = []
        values: list[str] = []
        add_holder, add_is_tail, add_value = holders.append, is_tail.append, values.append
        tag_list, class_list = by_tag.get, by_class.get
        for el in root.iter():
            tag = el.tag
            if tag.__class__ is str:  # not a comment or processing instruction
                same = tag_list(tag)
                if same is None:
                    by_tag[tag] = [el]
                else:
                    same.append(el)
                cls = el.get("class")
                if cls is not None:
                    if " " not in cls and cls.isprintable():
                        # One class name (no whitespace of any kind, all of which is non-printable but
                        # " "): the common case, without a split.
                        found = class_list(cls)
                        if found is None:
                            if cls:
                                by_class[cls] = [el]
                        else:
                            found.append(el)
                    else:
                        for name in cls.split():
                            found = class_list(name)
                            if found is None:
                                by_class[name] = [el]
                            elif found[-1] is not el:  # class="a a"
                                found.append(el)
                if tag not in NOT_TEXT:  # a script's text is only read if needed: it can be long
                    text = el.text
                    if text and not text.isspace():
                        add_holder(el)
                        add_is_tail(False)  # noqa: FBT003 - a list of flags
                        add_value(text)
            tail = el.tail
            if tail and not tail.isspace():
                add_holder(el)
                add_is_tail(True)  # noqa: FBT003 - a list of flags
                add_value(tail)
        # Holding every element (in `by_tag`) keeps lxml's Python proxies alive: an element is the same
        # object each time it is reached, so identity and sets work on them.
        self._elements: list[Element] | None = None
        self.text_holders = holders
        self.text_is_tail = is_tail
        self.text_values = values
        self._by_class = by_class
        self._by_tag = by_tag
        self._by_id: dict[str, list[Element]] | None = None
        self._with_attr: dict[str, list[Element]] = {}
        self._order: dict[Element, int] | None = None
        self._subtrees: dict[Element, set[Element]] = {}
        self._class_names: str | None = None
        self._joined: str | None = None
        self._lower: str | None = None
        self._starts: list[int] = []

    @classmethod
    def parse(cls, page: str | bytes) -> Doc:
        """Parse and index an HTML page."""
        return cls(parse_html(page))

    @classmethod
    def of(cls, page: str | bytes | Selector | Doc) -> Doc:
        """A Doc for whatever the caller has: HTML text or bytes, a parsel Selector, or a Doc."""
        if isinstance(page, Doc):
            return page
        if isinstance(page, (str, bytes)):
            return cls.parse(page)
        root = page.root
        return cls(root if isinstance(root, Element) else parse_html(str(root)))

    @property
    def elements(self) -> list[Element]:
        """Every element of the page, in document order (comments left out)."""
        if self._elements is None:
            self._elements = [el for el in self.root.iter() if isinstance(el.tag, str)]
        return self._elements

    def _positions(self) -> dict[Element, int]:
        if self._order is None:
            self._order = {e: i for i, e in enumerate(self.elements)}
        return self._order

    def position(self, el: Element) -> int:
        """Where `el` stands in document order (0 for an element not in the document)."""
        return self._positions().get(el, 0)

    def contains(self, scope: Element, el: Element) -> bool:
        """Whether `el` is `scope` or inside it (a set lookup, after the first call for a scope)."""
        if scope is self.root:
            return True
        inside = self._subtrees.get(scope)
        if inside is None:
            # A body is asked about many elements (left-out furniture, Baca Juga lines): one C-level
            # walk of it beats walking up from each of them to the root.
            inside = self._subtrees[scope] = set(scope.iter())
        return el in inside

    def tagged(self, tag: str) -> list[Element]:
        """Every element of the page with this (lower-case) tag, in document order."""
        return self._by_tag.get(tag, [])

    def _ids(self) -> dict[str, list[Element]]:
        if self._by_id is None:
            self._by_id = {}
            for el in self.elements:
                value = el.get("id")
                if value is not None:
                    self._by_id.setdefault(value, []).append(el)
        return self._by_id

    def _attr_candidates(self, name: str, op: str, value: str) -> list[Element]:
        """Elements that may pass ``[name op value]``: a superset, in document order."""
        if name != "class" or op == "" or not value or not value.isprintable() or " " in value:
            return self._attr_holders(name)
        # A class attribute holding `value` (no whitespace in it) has a class name holding it.
        if self._class_names is None:
            self._class_names = "\x00".join(self._by_class)
        if value not in self._class_names:
            return []
        lists = [found for token, found in self._by_class.items() if value in token]
        if len(lists) <= 1:
            return lists[0] if lists else []
        return sorted({el for found in lists for el in found}, key=self.position)

    def _attr_holders(self, name: str) -> list[Element]:
        found = self._with_attr.get(name)
        if found is None:
            found = self._with_attr[name] = [el for el in self.elements if el.get(name) is not None]
        return found

    def _candidates(  # noqa: PLR0911 - cheapest source first
        self, compound: Compound, scope: Element | None,
    ) -> tuple[Iterable[Element], Compound | None]:
        """Elements that may match `compound`, and what is left to check on them (None: nothing)."""
        if compound.id is not None:
            return self._ids().get(compound.id, ()), _residual(compound, "id")
        if compound.classes:
            if len(compound.classes) == 1:
                return self._by_class.get(compound.one_class, ()), _residual(compound, "class")
            lists = [self._by_class.get(name, ()) for name in compound.classes]
            return min(lists, key=len), _residual(compound, "class")
        if scope is not None and scope is not self.root:
            # A small subtree: walking it is cheaper than filtering the whole document.
            if compound.tag:
                return list(scope.iter(compound.tag)), _residual(compound, "tag")
            return [e for e in scope.iter() if isinstance(e.tag, str)], compound
        if compound.tag is not None:
            return self.tagged(compound.tag), _residual(compound, "tag")
        if compound.attrs:
            return self._attr_candidates(*compound.attrs[0]), compound
        return self.elements, _residual(compound, "tag")

    def _indexed(self, compound: Compound) -> int | None:
        """How many elements the index gives for `compound`'s id or classes (None: it has neither)."""
        if compound.id is not None:
            return len(self._ids().get(compound.id, ()))
        if compound.classes:
            if len(compound.classes) == 1:
                return len(self._by_class.get(compound.one_class, ()))
            return min(len(self._by_class.get(name, ())) for name in compound.classes)
        return None

    def _chain_holds(self, el: Element, chain: Chain, i: int, scope: Element | None) -> bool:
        """Whether compounds[:i] match the ancestors of `el` (compounds[i] matched `el`)."""
        if i == 0:
            return scope is None or self.contains(scope, el)
        compound = chain.compounds[i - 1]
        parent = el.getparent()
        if chain.combinators[i - 1] == ">":
            return parent is not None and matches(parent, compound) and self._chain_holds(parent, chain, i - 1, scope)
        while parent is not None:
            if matches(parent, compound) and self._chain_holds(parent, chain, i - 1, scope):
                return True
            if parent is scope:
                return False
            parent = parent.getparent()
        return False

    def _select_chain(self, chain: Chain, scope: Element | None) -> list[Element]:  # noqa: C901 - one plan
        # Start from the rightmost compound the index answers (a class or an id), check the
        # compounds before it on its ancestors, and walk down for the ones after it: "a" in
        # "section.read__tagging ul li a" would otherwise make every link of the page a candidate.
        compounds = chain.compounds
        anchor = len(compounds) - 1
        if len(compounds) > 1:
            # Of the compounds the index answers, the one with the fewest elements on this page
            # ("div.paging--article" rather than every "a.paging__link"); ties go to the right.
            best = None
            for i, compound in enumerate(compounds):
                size = self._indexed(compound)
                if size is not None and (best is None or size <= best):
                    anchor, best = i, size
        whole = scope is None or scope is self.root
        found = []
        candidates, check = self._candidates(compounds[anchor], scope)
        for el in candidates:
            if check is not None and not matches(el, check):
                continue
            if anchor:
                if not self._chain_holds(el, chain, anchor, None if whole else scope):
                    continue
            elif scope is not None and not whole and not self.contains(scope, el):
                continue
            found.append(el)
        for i in range(anchor + 1, len(compounds)):
            if not found:
                break
            found = self._descend(found, compounds[i], chain.combinators[i - 1])
        return found

    def _descend(self, parents: list[Element], compound: Compound, combinator: str) -> list[Element]:
        """The elements matching `compound` below `parents` (children for ">"), in document order."""
        out: dict[Element, None] = {}
        for parent in parents:
            if combinator == ">":
                below: Iterable[Element] = parent
            else:
                below = parent.iterdescendants(compound.tag) if compound.tag else parent.iterdescendants()
            for el in below:
                if isinstance(el.tag, str) and matches(el, compound):
                    out[el] = None
        if len(parents) > 1 and any(_inside(b, a) for a, b in pairwise(parents)):
            # Nested parents reach their elements out of order. (Parents are in document order, and a
            # subtree is a contiguous stretch of it: checking neighbours finds any nesting.)
            return sorted(out, key=self.position)
        return list(out)

    def css(self, query: str, scope: Element | None = None) -> list[Node]:
        """What `query` selects in the document (or in `scope` and its descendants), in document order."""
        compiled = compile_css(query)
        if compiled.xpath is not None:
            found = compiled.xpath(self.root if scope is None else scope)
            return [x if isinstance(x, Element) else str(x) for x in found]
        if len(compiled.chains) == 1:
            elements = self._select_chain(compiled.chains[0], scope)
        else:
            seen: set[Element] = set()
            for chain in compiled.chains:
                seen.update(self._select_chain(chain, scope))
            elements = sorted(seen, key=self.position)
        if compiled.pseudo_element is None:
            return list(elements)
        kind, name = compiled.pseudo_element
        if kind == "attr":
            return [value for el in elements if (value := el.get(name)) is not None]
        return [t for el in elements for t in _own_texts(el)]

    def matching(self, queries: tuple[str, ...], scope: Element | None = None) -> set[Element]:
        """Every element any of `queries` selects, as a set (no order: for leaving elements out)."""
        plan = _plan(queries)
        out: set[Element] = set()
        if plan.tags:
            out.update((scope if scope is not None else self.root).iter(*plan.tags))
        whole = scope is None or scope is self.root
        for name, compound in plan.by_class:
            found = self._by_class.get(name)
            if not found:
                continue
            rest = _residual(compound, "class")
            for el in found:
                if (whole or self.contains(scope, el)) and (rest is None or matches(el, rest)):
                    out.add(el)
        for chain in plan.chains:
            out.update(self._select_chain(chain, scope))
        for query in plan.fallbacks:
            out.update(self.elements_of(query, scope))
        return out

    def elements_of(self, query: str, scope: Element | None = None) -> list[Element]:
        """The elements `query` selects (strings from ``::attr``/``::text`` left out)."""
        return [n for n in self.css(query, scope) if isinstance(n, Element)]

    def first(self, queries: Iterable[str], scope: Element | None = None) -> Node | None:
        """The first match of the first query that matches anything."""
        for query in queries:
            found = self.css(query, scope)
            if found:
                return found[0]
        return None

    def search(self, words: tuple[str, ...], *, ignore_case: bool = False) -> TextNodes:
        """The page's text nodes (owner element, text) holding any of `words`, in document order.

        `str.find` over all the text joined once, instead of a test per text node (a regular
        expression alternation is several times slower than `find` here). With `ignore_case`,
        `words` must be lower case.
        """
        if self._joined is None:
            self._joined = "\x00".join(self.text_values)
            self._starts = list(accumulate(map((1).__add__, map(len, self.text_values)), initial=0))
        hay = self._joined
        if ignore_case:
            if self._lower is None:
                self._lower = hay.lower()
            hay = self._lower
            if len(hay) != len(self._joined):  # a character whose lower case is longer: offsets would shift
                return self._text_nodes(
                    i for i, text in enumerate(self.text_values) if any(w in text.lower() for w in words)
                )
        hits: set[int] = set()
        starts = self._starts
        for word in words:
            at = hay.find(word)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                hits.add(i)
                at = hay.find(word, starts[i + 1])  # the next text node: one hit per node is enough
        return self._text_nodes(sorted(hits))

    def _text_nodes(self, indexes: Iterable[int]) -> TextNodes:
        """(owner element, text) of the text nodes at `indexes`: a tail belongs to its element's parent."""
        out: TextNodes = []
        for i in indexes:
            holder = self.text_holders[i]
            owner = holder.getparent() if self.text_is_tail[i] else holder
            if owner is not None:
                out.append((owner, self.text_values[i]))
        return out


def _own_texts(el: Element) -> list[str]:
    """The text nodes directly inside `el` (``::text``)."""
    out = [el.text] if el.text and isinstance(el.tag, str) else []
    out.extend(child.tail for child in el if child.tail)
    return out
