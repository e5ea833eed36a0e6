"""Every date a page states about itself, with where it was found: the input of `extract.published`.

What it is for
    Collecting date candidates from one parsed page: JSON-LD and meta tags (the page's head),
    ``<time datetime>`` (an AMP page's ``amp-timeago`` too), ``abbr.published/updated@title``,
    ``itemprop=datePublished@content``, ``title`` attributes and ``data-*`` unix timestamps and
    ISO times (RDFa's ``property="dc:date"@content`` when nothing else is machine-read), the
    visible date text the family's selectors name or that stands right by the headline (with a
    clock alone right after it: `date_lines.clock_after`), and the URL; when the article states no
    publication time up to its body's end, the first date of its own footer that names its role,
    stands in an element named for a date or carries a label (with the instants of the ``<time>``
    elements in that line), else its first line that is a date alone (`_footer`); when the page
    states no publication date, the one its inline scripts give (a ``dataLayer``'s
    ``publish_date``), else, its URL naming none, the date of the dateline its body opens with
    ("KENDARI, Senin (7/12/2026) - ..."), else of the line it closes with ("Makassar, 7 Desember
    2026"). Each candidate keeps its raw text, its source, its role
    (published or modified) and its place relative to the headline and the article's body
    (`extract.frame`), so the choice (`extract.published.decide`) can be stated and traced.

What it must never do
    Parse a date into a value (that needs the portal's zone, known only later), guess, make a
    request, or import Scrapy. Dates of other articles (sidebars, lists after the body, a related
    post in the article's footer) are not collected; dates before the headline (the header's
    "today" clock) are kept only when they state an offset, as evidence of the page's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from newscrawl.extract.date_lines import (
    DATEISH,
    MAX_DATE_TEXT,
    Role,
    alone,
    apart,
    clock_after,
    date_text,
    dated,
    dateline,
    has_label,
    labelled,
    prints_clock,
    with_title,
)
from newscrawl.extract.date_marks import (
    MAX_ATTR,
    date_named,
    in_card,
    in_comment,
    in_table_or_list,
    machine_date,
    named_machine,
    named_role,
    role_of,
)
from newscrawl.extract.dates import is_clock
from newscrawl.extract.doc import NOT_TEXT, hidden, lineage, same
from newscrawl.extract.frame import BEFORE_HEADLINE, Frame, Place, footer_end, locate
from newscrawl.extract.structured import date_role, script_date
from newscrawl.extract.text import block_texts, element_text, fold, text_head

if TYPE_CHECKING:
    from newscrawl.extract.doc import Doc, Element
    from newscrawl.extract.structured import Structured

Source = Literal["json-ld", "meta", "time", "attr", "script", "text", "url", "dateline", "signoff"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One date the page states: its raw text, where it was found, and what it claims to date.

    ``place``: "head" (JSON-LD, meta tags), "article" (from just above the headline to the end of
    the article's body, or its footer's; a dateline's), "before" (earlier on the page: a header
    clock), "url". ``distance``: elements between it and the headline (0 for head, url and dateline).
    ``footer``: whether it stands in the article's footer, past its body.
    """

    raw: str
    source: Source
    role: Role = "published"
    place: Place = "article"
    distance: int = 0
    footer: bool = False


# At most this many elements past the headline are scanned for a bare visible date.
VISIBLE_SCAN = 25
_MACHINE: Final = re.compile(r"^\s*(?:(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:[T ]\S*)?|\d{10}|\d{13})\s*$")
# A date in a ``data-*`` attribute: a unix timestamp, or an ISO date with its clock (a bare day may be a calendar's).
_DATA_DATE: Final = re.compile(r"^(?:\d{10}|(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}\S*)$")
# A URL date: /2016/02/08/ (Tribun, WordPress), with Kompas's /21040031/ (hhmmss + a counter) after it.
URL_DATE: Final = re.compile(
    r"/(?P<year>(?:19|20)\d{2})/(?P<month>[01]\d)/(?P<day>[0-3]\d)/(?:(?P<clock>[0-2]\d[0-5]\d[0-5]\d)\d{2,3}/)?",
)


def _head(meta: Structured) -> list[Candidate]:
    return [
        Candidate(
            raw,
            "json-ld" if source == "json-ld" else "meta",
            "modified" if role == "modified" else "published",
            "head",
        )
        for source, role, raw in meta.dates
    ]


_Found: TypeAlias = "list[tuple[Element, dict[str, str | None]]]"


def _machine(doc: Doc, frame: Frame) -> list[Candidate]:  # noqa: C901 - a loop per attribute kind
    """Dates in attributes: time@datetime, abbr@title, itemprop@content|datetime, title, data-* timestamps."""
    found: list[Candidate] = []
    seen: set[tuple[int, str]] = set()

    def add(el: Element, raw: str | None, source: Source, role: Role) -> None:
        if not raw or len(raw) > MAX_ATTR:
            return
        position = doc.position_within(el, frame.end)  # None: after the article's end
        if position is None or (position, raw) in seen:
            return
        place = frame.place(position)
        seen.add((position, raw))
        found.append(Candidate(fold(raw), source, role, place, frame.distance(position)))

    # One pass of lexbor over the page, read in the order of trust: time, abbr, itemprop, title.
    found_by: dict[str, _Found] = {k: [] for k in ("time", "abbr", "itemprop", "title")}
    for el in doc.elements_of(_ATTRIBUTED_AMP if doc.is_amp else _ATTRIBUTED):
        attrs = el.attributes
        tag = el.tag
        if tag in ("time", "abbr", "amp-timeago"):
            found_by["abbr" if tag == "abbr" else "time"].append((el, attrs))
        if "itemprop" in attrs:
            found_by["itemprop"].append((el, attrs))
        if "title" in attrs:
            found_by["title"].append((el, attrs))
    for el, attrs in found_by["time"]:
        add(el, attrs.get("datetime"), "time", role_of(el))
    for el, attrs in found_by["abbr"]:
        cls = (attrs.get("class") or "").lower()
        if "published" in cls or "updated" in cls:
            add(el, attrs.get("title"), "attr", "modified" if "published" not in cls else "published")
    for el, attrs in found_by["itemprop"]:
        prop = (attrs.get("itemprop") or "").lower()
        if prop in ("datepublished", "datecreated", "datemodified") and el.tag != "meta":
            add(el, attrs.get("content") or attrs.get("datetime"), "attr", role_of(el))
    for el, attrs in found_by["title"]:
        title = attrs.get("title") or ""
        if _opens_with_digit(title) and el.tag != "abbr" and _MACHINE.match(title):
            add(el, title, "attr", role_of(el))
    for el, value in _data_dates(doc, frame):
        add(el, value, "attr", "published")
    return found


def _footer(doc: Doc, frame: Frame, footer: int, *, stated: bool) -> list[Candidate]:
    """The first date of the article's footer: a machine date naming its role, a labelled or named text, a lone one.

    Asked only when the article states no publication date up to its body's end: "Diposting pada
    7 Desember 2026" under the text, Blogger's ``abbr.published`` timestamp in the post's footer,
    WordPress's "This entry was posted on" ``time.entry-date``, a ``<p class="tanggal">`` (not
    beside a link, as another article's card is, nor in a comment); failing those, when nothing else
    has `stated` the publication, the first line that is a date alone ("Senin, 7 Desember 2026 08:46
    WITA", a bare ``<time datetime>``: with no label or name it is read only as the last witness). The
    search stops where another block begins (a heading: "Berita Terkait", "Komentar"; another
    article; a list item linking elsewhere): dates past it are other articles'.
    """
    elements = doc.elements
    lone: list[Candidate] = []
    for position in range(frame.end + 1, min(footer, len(elements) - 1) + 1):
        el = elements[position]
        if el.tag in _OTHER_BLOCKS or (el.tag == "li" and el.css_first("a") is not None):
            break
        distance = frame.distance(position)
        machine = named_machine(el)
        if machine is not None:
            raw, source, role = machine
            return [Candidate(fold(raw), source, role, "article", distance, footer=True)]
        line = dated(el)
        if line is None or hidden(el) or not (text := date_text(line[1])):
            continue
        if has_label(line[1]):
            parts = labelled(text)
            timed = _timed_within(el, parts[0][0] if len(parts) == 1 else None, distance)
            return [*timed, *(Candidate(part, "text", role, "article", distance, footer=True) for role, part in parts)]
        if in_card(el) or in_comment(el):
            continue
        if date_named(el):
            role = role_of(el)
            timed = _timed_within(el, role, distance)
            return [*timed, Candidate(text, "text", role, "article", distance, footer=True)]
        if not stated and not lone and alone(text) and not in_table_or_list(el):
            lone.append(_alone(el, text, distance))
    return lone


def _timed_within(el: Element, role: Role | None, distance: int) -> list[Candidate]:
    """The machine dates of the ``<time datetime>`` elements inside a footer's dated line, with their roles.

    "Diposting pada <time class="entry-date" datetime="…+08:00">7 Desember 2026</time>": the
    line's text says the day, its ``<time>`` the instant. A ``<time>`` takes the role its names
    give, else the line's (`role`: None when the line names more than one date).
    """
    found = []
    for timed in el.css("time[datetime]"):
        machine = machine_date(timed)
        role_here = named_role(timed) or role
        if machine is not None and role_here is not None:
            found.append(Candidate(fold(machine[0]), machine[1], role_here, "article", distance, footer=True))
    return found


def _alone(el: Element, text: str, distance: int) -> Candidate:
    """The date a footer's line stating a date alone gives: its ``<time>``'s instant if it has one, else its text."""
    timed = el if el.tag == "time" else el.css_first("time[datetime]")
    found = machine_date(timed) if timed is not None else None
    if found is not None:
        return Candidate(fold(found[0]), found[1], "published", "article", distance, footer=True)
    return Candidate(text, "text", "published", "article", distance, footer=True)


# Where, past the body, another block than the article's footer begins.
_OTHER_BLOCKS: Final = frozenset({"h2", "h3", "h4", "h5", "h6", "article", "section", "aside", "nav"})


# The elements whose attributes may hold a date; an AMP page's ``amp-timeago`` too (a selector more costs
# every page ~2 % of extraction, and only AMP's runtime renders that element).
_ATTRIBUTED: Final = "time, abbr, [itemprop], [title]"
_ATTRIBUTED_AMP: Final = f"{_ATTRIBUTED}, amp-timeago"


def _rdfa(doc: Doc, frame: Frame) -> list[Candidate]:
    """RDFa dates (``<span property="dc:date dc:created" content="2026-12-07T08:46:00+08:00">``, Drupal's).

    Their properties are the meta tags' date names (`structured.date_role`). Asked only when the
    page states no other machine publication date (a pass of lexbor more).
    """
    found = []
    for el in doc.elements_of("[property][content]"):
        attrs = el.attributes
        roles = {date_role(name) for name in (attrs.get("property") or "").split()}
        raw = attrs.get("content") or ""
        if el.tag == "meta" or not roles - {None} or len(raw) > MAX_ATTR or not _MACHINE.match(raw):
            continue
        position = doc.position_within(el, frame.end)
        if position is not None:
            role: Role = "published" if "published" in roles else "modified"
            found.append(Candidate(fold(raw), "attr", role, frame.place(position), frame.distance(position)))
    return found


def _opens_with_digit(text: str) -> bool:
    r"""Whether `text` opens with a digit after white space, as every `_MACHINE` date does (`\s*`, `\d`).

    Most titles are a link's words: refused by this before the pattern is tried.
    """
    return text.lstrip()[:1].isdecimal()


def _data_dates(doc: Doc, frame: Frame) -> list[tuple[Element, str]]:
    """Unix timestamps and ISO times in ``data-*``/``d-time`` attributes by the headline (detik's ``d-time``)."""
    lo, hi = frame.start, min(frame.end, frame.start + BEFORE_HEADLINE + VISIBLE_SCAN)
    return [
        (el, value)
        for el in doc.elements[lo : hi + 1]
        for name, value in el.attributes.items()
        if ("time" in name or "date" in name) and name != "datetime" and value and _DATA_DATE.match(value)
    ]


def _visible(doc: Doc, frame: Frame, date_nodes: list[Element], body: Element | None) -> list[Candidate]:
    """Visible dates: the family's date elements; without one, a short date line right under the headline.

    The text right under the headline may stand in any element (a bare ``<div>``, an ``<h3>``, a
    ``<time>`` without attributes); it must not be inside the body, a link, or hidden.
    """
    shown = _Shown(doc, frame)
    for el in dict.fromkeys(date_nodes):  # a family's date selectors mostly find one element twice or more
        head, whole = text_head(el, MAX_DATE_TEXT * 2)
        if whole and DATEISH.search(head[:MAX_DATE_TEXT]):
            shown.add(el, apart(el, element_text(el)))
    if frame.headline is not None and not shown.out:
        start = frame.headline + 1
        # An update's date under the headline ("Update: ..."): the publication's may follow it.
        for _ in range(2):
            found = _under_headline(doc, frame, body, start)
            if found is None:
                break
            shown.add(*found)
            if any(c.role == "published" for c in shown.out):
                break
            start = max(start, doc.position(found[0]) + 1)  # never back over the headline
    return shown.out


class _Shown:
    """The visible dates of a page, as they are added: each element once, a clock joined to its date."""

    def __init__(self, doc: Doc, frame: Frame) -> None:
        self.doc, self.frame = doc, frame
        self.out: list[Candidate] = []
        self.seen: set[Element] = set()
        self.last = -2  # the position of the last date added

    def add(self, el: Element, text: str) -> None:
        position = self.doc.position_within(el, self.frame.end)
        if position is None or position < self.frame.start or el in self.seen or hidden(el):
            return
        raw = date_text(with_title(el, text))
        if not raw:
            return
        self.seen.add(el)
        added = len(self.out)
        for role, part in labelled(raw):
            if not _joined_clock(self.out, part, near=position - self.last <= _NEXT_TO):
                self.out.append(Candidate(part, "text", role, "article", self.frame.distance(position)))
        self.last = position
        last = self.out[-1] if len(self.out) > added else None
        if last is not None and not prints_clock(last.raw) and (clock := clock_after(el)) is not None:
            # The day here, its time in the next element ("<span>7 Desember 2026</span> <span>08:46 WITA</span>").
            self.out[-1] = replace(last, raw=f"{last.raw} {clock[1]}")
            if clock[0] is not None:
                self.seen.add(clock[0])


def _under_headline(doc: Doc, frame: Frame, body: Element | None, start: int) -> tuple[Element, str] | None:
    """The first short date line right under the headline (from `start`), outside the body, links and code.

    The scan looks at `VISIBLE_SCAN` elements up to the article's end, a link and all it holds
    counting as one (a share bar's icons and labels are not the page's text). Without one there,
    a date line in the elements just above the headline in its own block ("kicker, date,
    headline"): a header's "today" stands outside that block.
    """
    assert frame.headline is not None  # noqa: S101 - the caller's condition
    elements = doc.elements
    position, looked = start, 0
    while position <= min(frame.end, len(elements) - 1) and looked < VISIBLE_SCAN:
        el = elements[position]
        looked += 1
        if el.tag == "a":
            position = doc.last_position(el) + 1
            continue
        position += 1
        if (body is not None and doc.contains(body, el)) or el.tag in ("script", "style"):
            continue
        if (found := dated(el)) is not None:
            return found
    return _above_headline(elements[frame.headline])


def _above_headline(headline: Element) -> tuple[Element, str] | None:
    """A date line in one of the element siblings just before the headline, nearest first.

    A headline first in a wrapper of its own (``<div class="title"><h1>``) has its wrapper's siblings;
    one first in the article, a section or the page has none, nor one standing in the page's body
    itself (what stands before those is the page's).
    """
    block: Element | None = headline
    parent = headline.parent
    if _element_before(headline) is None and parent is not None and parent.tag in _WRAPPERS:
        block = parent
    if block is None or block.parent is None or block.parent.tag in ("body", "html"):
        return None  # the page's own top level: a topbar's "today" stands there
    node, siblings = _element_before(block), 0
    while node is not None and siblings < _SIBLINGS_ABOVE:
        siblings += 1
        if node.tag not in ("a", "script", "style") and (found := dated(node)) is not None:
            return found
        node = _element_before(node)
    return None


def _element_before(el: Element | None) -> Element | None:
    node = el.prev if el is not None else None
    while node is not None and not node.is_element_node:
        node = node.prev
    return node


# How many element siblings before the headline may hold its date ("category, date, headline").
_SIBLINGS_ABOVE = 3
# What a headline may be wrapped in, within the article's own header.
_WRAPPERS = frozenset({"div", "hgroup"})


# A clock this many elements after a date (its own element, a separator between) is that date's time.
_NEXT_TO = 2


def _joined_clock(out: list[Candidate], raw: str, *, near: bool) -> bool:
    """Join `raw`, a clock alone, to the date without a clock added just before it; whether it did.

    "7 Desember 2026" then "08:46 WITA" in the next element are one date, with its time.
    """
    if near and out and not prints_clock(out[-1].raw) and is_clock(raw):
        out[-1] = replace(out[-1], raw=f"{out[-1].raw} {raw}")
        return True
    return False


def url_candidate(url: str) -> Candidate | None:
    """The date the URL's path names (``/2016/02/08/``, Kompas ``/2015/11/04/21040031/``), or None."""
    match = URL_DATE.search(url)
    if match is None:
        return None
    raw = f"{match['year']}-{match['month']}-{match['day']}"
    clock = match["clock"]
    if clock:
        raw += f"T{clock[:2]}:{clock[2:4]}:{clock[4:]}"
    return Candidate(raw, "url", "published", "url")


def collect(  # noqa: PLR0913 - the page and what extraction already found on it, by name
    doc: Doc,
    url: str,
    *,
    meta: Structured,
    headline: Element | None,
    body: Element | None,
    date_nodes: list[Element],
) -> tuple[Candidate, ...]:
    """Every date candidate of the page: head, attributes, visible text, scripts, URL, the body's dateline."""
    frame = locate(doc, headline, body)
    found = [*_head(meta), *_machine(doc, frame), *_visible(doc, frame, date_nodes, body)]
    if not any(c.source != "text" and _states_publication(c) for c in found):
        found.extend(_rdfa(doc, frame))
    if not any(map(_timed_publication, found)):
        end = footer_end(doc, frame, headline, body)
        found.extend(_footer(doc, frame, end, stated=any(map(_states_publication, found))))
    stated = any(map(_states_publication, found))
    if not stated and (from_script := script_date(doc)) is not None:
        found.append(Candidate(from_script, "script", "published", "head"))
        stated = True
    from_url = url_candidate(url)
    if from_url is not None:
        found.append(from_url)
    elif body is not None and not stated:
        found.extend(_dateline(body) or _sign_off(body))
    return tuple(found)


def _dateline(body: Element) -> list[Candidate]:
    """The date of the dateline the body opens with ("KENDARI, Senin (7/12/2026) - ..."): the last witness.

    Asked only when the page states no publication date and its URL names none.
    """
    head, _ = text_head(body, MAX_DATE_TEXT)
    raw = dateline(head)
    return [Candidate(raw, "dateline", "published", "article")] if raw else []


# A sign-off stands in one of the body's last lines (a "(Humas)" or "***" may follow it).
_SIGN_OFF_LINES: Final = 2
# What may wrap a sign-off: brackets, dashes, stars.
_SIGN_OFF_WRAP: Final = "()[]*-\u2013\u2014 "
# The elements a line of text stands in (its nearest one of these).
_LINE_TAGS: Final = frozenset({"p", "div", "li", "td", "th", "dd", "dt", "h2", "h3", "h4", "h5", "h6", "blockquote"})


def _sign_off(body: Element) -> list[Candidate]:
    """The date of the line the body closes with, if a date alone ("Makassar, 7 Desember 2026"): the last witness.

    Press releases and a government office's news sign off so, with a place; an office's name may
    follow ("(Humas)"). Not a list's item, a table's cell or a line holding a link (another
    article's card, "Judul lain · 22 Juni 2022"). Asked only when the page states no
    publication date, its URL names none and its body opens with no dateline.
    """
    for block, line in _closing_lines(body, _SIGN_OFF_LINES):
        text = line.strip(_SIGN_OFF_WRAP)
        if len(text) <= MAX_DATE_TEXT and alone(text) and not in_table_or_list(block) and block.css_first("a") is None:
            return [Candidate(text, "signoff", "published", "article")]
    return []


def _closing_lines(body: Element, count: int) -> list[tuple[Element, str]]:
    """The last `count` lines of `body`'s text, last first, each with the element it stands in."""
    nodes = [n for n in body.traverse(include_text=True) if n.is_text_node and (n.text_content or "").strip()]
    lines: list[tuple[Element, str]] = []
    done: set[Element] = set()
    for node in reversed(nodes):
        owner = node.parent
        block = next((el for el in lineage(owner, 8) if el.tag in _LINE_TAGS or same(el, body)), body)
        if block in done or (owner is not None and owner.tag in NOT_TEXT):
            continue
        done.add(block)
        # A block's lines: its paragraphs, and the lines its <br>s break (text directly in the body's <div>).
        lines.extend((block, text) for text in block_texts(block)[::-1][: count - len(lines)])
        if len(lines) >= count:
            break
    return lines


def _states_publication(candidate: Candidate) -> bool:
    """Whether `candidate` is a publication date the page states (in its head or its article)."""
    return candidate.role == "published" and candidate.place in ("head", "article")


def _timed_publication(candidate: Candidate) -> bool:
    """Whether `candidate` is the article's publication date with a time: a machine date, or a text with a clock."""
    return _states_publication(candidate) and (candidate.source != "text" or prints_clock(candidate.raw))


def nearest_visible(candidates: tuple[Candidate, ...]) -> Candidate | None:
    """The visible date of the article: a publication's first, then nearest the headline, one with a clock first."""
    visible = [c for c in candidates if c.source == "text"]
    if not visible:
        return None
    return min(visible, key=lambda c: (c.role != "published", not prints_clock(c.raw), c.distance))
