"""Where the article stands in its page, in document order: the ground `extract.candidates` searches for dates on.

What it is for
    From the headline's and the body's elements: where the article starts (a few elements above
    its headline) and where its body ends (`locate`), and how far its own footer runs past the
    body (`footer_end`), when the headline and the body stand in a container that is the
    article's own (an ``<article>``, a blog post: "Posted on …", Blogger's timestamp stand
    there). Dates are then told apart as the article's, the page's before it, or other articles'
    after it.

What it must never do
    Read a date or a text: only elements and their places. It must not stretch the article over
    a container that also holds the page's sidebar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from newscrawl.extract.doc import Doc, Element

Place = Literal["head", "article", "before", "url"]

# Elements this many before the headline still belong to the article (a date above the h1).
BEFORE_HEADLINE: Final = 8
# Without a body, the article runs this many elements past the headline.
AFTER_HEADLINE: Final = 60
# The article's footer runs at most this many elements past its body's last one.
AFTER_BODY: Final = 40
# What makes a container the article's own: its tag, its schema.org type, or a class a CMS gives a post.
_ENTRY_CLASS: Final = re.compile(r"post|entry|article|artikel|berita|story|single|detail", re.IGNORECASE)
_ENTRY_TYPE: Final = re.compile(r"article|blogposting|report", re.IGNORECASE)
# A container holding one of these holds more than the article.
_PAGE_PARTS: Final = "aside, [class*=sidebar], [id*=sidebar], [class*=widget-area]"


@dataclass(frozen=True, slots=True)
class Frame:
    """The article's place: headline position, its start, its end, and whether the body's end is the article's."""

    headline: int | None
    start: int
    end: int
    body_ends: bool = False

    def place(self, position: int) -> Place:
        """Where a position up to the footer's end stands: just before the article, or in it."""
        return "before" if position < self.start else "article"

    def distance(self, position: int) -> int:
        """Elements between `position` and the headline (the article's start without one)."""
        anchor = self.headline if self.headline is not None else self.start
        return abs(position - anchor)


def locate(doc: Doc, headline: Element | None, body: Element | None) -> Frame:
    """The article's frame on `doc`, from its headline and body elements (either may be missing)."""
    top = doc.position(headline) if headline is not None else None
    body_start = body_end = None
    if body is not None:
        body_start = doc.position(body)
        body_end = doc.last_position(body)
    if top is None and body_start is None:
        return Frame(None, 0, len(doc.elements))
    anchor = top if top is not None else body_start
    assert anchor is not None  # noqa: S101 - one of the two is set
    start = max(0, anchor - BEFORE_HEADLINE)
    if body_start is not None and body_start < start:
        start = body_start
    end = max(body_end if body_end is not None and body_end > anchor else anchor, anchor + AFTER_HEADLINE)
    if body_end is not None and body_end > anchor:
        end = body_end
    return Frame(top, start, end, body_ends=end == body_end)


def footer_end(doc: Doc, frame: Frame, headline: Element | None, body: Element | None) -> int:
    """Where the article's footer ends: the last position of its own container past its body (capped).

    `frame.end` when there is none: no headline or body, a body not ending the frame, a container
    that is not the article's own or that holds the page's sidebar.
    """
    if headline is None or body is None or not frame.body_ends:
        return frame.end
    container = _common(headline, body)
    if container is None or not _own(container) or container.css_first(_PAGE_PARTS) is not None:
        return frame.end
    return max(frame.end, min(doc.last_position(container), frame.end + AFTER_BODY))


def _common(a: Element, b: Element) -> Element | None:
    """The innermost element holding both `a` and `b`."""
    above: set[Element] = set()
    node = a.parent
    while node is not None and node.is_element_node:
        above.add(node)
        node = node.parent
    node = b
    while node is not None and node.is_element_node:
        if node in above:
            return node
        node = node.parent
    return None


def _own(el: Element) -> bool:
    """Whether `el` is an article's own container: ``<article>``, a schema.org article, a post's class."""
    if el.tag in ("html", "body"):
        return False
    if el.tag == "article":
        return True
    attrs = el.attributes
    return bool(_ENTRY_TYPE.search(attrs.get("itemtype") or "") or _ENTRY_CLASS.search(attrs.get("class") or ""))
