"""The text nodes of one subtree joined in one string, and the words searched in it: the searches of `extract.doc`.

What it is for
    `Doc.search` finds the text nodes holding a word ("Editor", "juga") with `str.find` over the
    subtree's text read by lexbor in C, and walks to the nodes themselves only as far as a hit
    needs. A case-blind search finds the same nodes as lower-casing each node alone would.

What it must never do
    Parse HTML, match selectors or modify the tree; it knows nothing of pages (that is `extract.doc`).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, AnyStr

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selectolax.lexbor import LexborNode as Element


class TextRun:
    """The text nodes of one subtree (white space only left out), read by lexbor in C.

    Their values come joined by a separator no text node holds (HTML5 drops NUL characters), so
    finding a word is one `str.find` over the whole run, and which text node holds it is counted
    from its offset. The nodes themselves are walked to only when a search needs its hits' owners,
    and only as far as its last hit (a credit line ends the article; the page's links and footer
    after it are seldom walked).
    """

    __slots__ = ("joined", "lower", "lower_bytes", "nodes_left", "raw", "size", "top", "walked", "within")

    def __init__(self, top: Element, within: TextRun | None = None) -> None:
        self.top = top
        self.joined = top.text(separator="\x00", skip_empty=True)
        self.lower: str | None = None
        # The text as UTF-8, and lower-cased in ASCII only (for words `_ascii_folds` accepts).
        self.raw = b""
        self.lower_bytes: bytes | None = None
        self.size = -1  # how many text nodes the run holds, counted when the walk begins
        # The text nodes walked to so far, and the rest of the walk (None: not begun).
        self.walked: list[Element] = []
        self.nodes_left: Iterator[Element] | None = None
        # The run of an enclosing subtree, whose walk holds this run's nodes.
        self.within = within

    def hits(self, words: tuple[str, ...], *, ignore_case: bool) -> list[tuple[int, str]]:
        """(index, text) of the text nodes holding any of `words`, each once, in order."""
        joined = self.joined
        if not ignore_case:
            return _hits(joined, joined, words, "\x00")
        if not joined.isascii() and _ascii_folds(words):
            # Lower-cased as UTF-8 bytes, ASCII letters only: str.lower takes ~2 ns a character on a
            # text with any character beyond ASCII ("©", curly quotes), this ~0.5; for these words
            # it finds the same nodes.
            if self.lower_bytes is None:
                self.raw = joined.encode("utf-8", "surrogatepass")
                self.lower_bytes = self.raw.lower()
            found = _hits(self.raw, self.lower_bytes, tuple(w.encode() for w in words), b"\x00")
            return [(i, text.decode("utf-8", "surrogatepass")) for i, text in found]
        if self.lower is None:
            self.lower = joined.lower()
        if len(self.lower) != len(joined):  # a character whose lower case is longer: offsets would shift
            values = joined.split("\x00")
            return [(i, text) for i, text in enumerate(values) if any(w in text.lower() for w in words)]
        return _hits(joined, self.lower, words, "\x00")

    def nodes(self, indexes: list[int]) -> list[Element]:
        """The text nodes at `indexes` (in order), walked to once per run (the credit and pager searches share it)."""
        if self.nodes_left is None:
            self.size = self.joined.count("\x00") + 1
            sliced = self._slice_of_within()
            self.walked = sliced if sliced is not None else []
            self.nodes_left = iter(()) if sliced is not None else (
                n for n in self.top.traverse(include_text=True, skip_empty=True) if n.is_text_node
            )
        self.walk_to(max(indexes) + 1 if indexes else 0)
        return [self.walked[i] for i in indexes]

    def walk_to(self, count: int) -> None:
        """Walk on until the first `count` text nodes are known."""
        walked = self.walked
        if count <= len(walked):
            return
        assert self.nodes_left is not None  # noqa: S101 - the walk is begun before it is extended
        walked += islice(self.nodes_left, count - len(walked))
        if len(walked) < count or (len(walked) == self.size and next(self.nodes_left, None) is not None):
            raise AssertionError("lexbor's text walk and traverse() disagree on a page's text nodes")

    def _slice_of_within(self) -> list[Element] | None:
        """The run's nodes out of the enclosing run's walk: where its text stands there, once, on node bounds."""
        outer = self.within
        if outer is None or outer.nodes_left is None or not self.joined:
            return None
        text, joined = self.joined, outer.joined
        at = joined.find(text)
        end = at + len(text)
        if (
            at < 0
            or joined.find(text, at + 1) >= 0  # twice: which one is this subtree's is not known
            or (at > 0 and joined[at - 1] != "\x00")
            or (end < len(joined) and joined[end] != "\x00")
        ):
            return None
        first = joined.count("\x00", 0, at)
        last = first + text.count("\x00") + 1
        outer.walk_to(last)
        return outer.walked[first:last]


# The only characters beyond ASCII whose lower case holds an ASCII letter: KELVIN SIGN ("k") and
# LATIN CAPITAL LETTER I WITH DOT ABOVE ("i" and a combining dot). For words without "i" or "k",
# lower-casing ASCII letters alone finds what str.lower finds.
_FOLDED_INTO_ASCII = frozenset("ik")


@lru_cache(maxsize=64)
def _ascii_folds(words: tuple[str, ...]) -> bool:
    """Whether lower-casing only ASCII letters finds `words` (lower case) where str.lower would."""
    return all(w.isascii() and w == w.lower() and not _FOLDED_INTO_ASCII & set(w) for w in words)


def _hits(joined: AnyStr, hay: AnyStr, words: tuple[AnyStr, ...], sep: AnyStr) -> list[tuple[int, AnyStr]]:
    """(index, text) of the `sep`-separated parts of `joined` whose part of `hay` (same offsets) holds a word."""
    starts: dict[int, int] = {}  # a hit node's start offset -> its end
    for word in words:
        at = hay.find(word)
        while at >= 0:
            start = joined.rfind(sep, 0, at) + 1
            end = joined.find(sep, at)
            end = len(joined) if end < 0 else end
            starts[start] = end
            at = hay.find(word, end)  # the next text node: one hit per node is enough
    out = []
    index = offset = 0
    for start in sorted(starts):
        index += joined.count(sep, offset, start)
        offset = start
        out.append((index, joined[start : starts[start]]))
    return out
