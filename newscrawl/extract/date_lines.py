"""What makes a short text on a page a date line, and what of it is the date: the visible side of `extract.candidates`.

What it is for
    Telling whether an element's short text states a date (a four-digit year; a day in digits with
    a two-digit year, "7/12/26"; or a date reckoned from the fetch alone, "2 jam lalu", "Kemarin,
    08:46"), cutting a byline down to its date part, and splitting a line into the dates its labels
    name ("Diperbarui: … | Terbit: …"); a report's dateline that holds its date ("KENDARI, Senin
    (7/12/2026) - …"). `extract.candidates` decides where on the page to look.

What it must never do
    Parse a date into a value (`extract.dates` does, in the page's zone), or look further than
    the element it is given, the link it may stand in, and (for its clock) the siblings after it.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Final, Literal

from newscrawl.extract.boilerplate import split_dateline
from newscrawl.extract.date_words import (
    DAYS_BACK_WORDS,
    NOW_WORDS,
    PUBLISH_LABELS,
    RELATIVE_ENDINGS,
    UPDATE_LABELS,
    WEEKDAYS,
)
from newscrawl.extract.dates import date_margins, is_clock, is_relative
from newscrawl.extract.doc import lineage
from newscrawl.extract.text import fold, text_head, word_alternation

if TYPE_CHECKING:
    from newscrawl.extract.doc import Element

__all__ = [
    "DATEISH", "MAX_DATE_TEXT", "Role", "alone", "apart", "clock_after", "date_text", "dated", "dateline", "has_label",
    "labelled", "prints_clock", "with_title",
]

Role = Literal["published", "modified"]

# A date line is this short at most.
MAX_DATE_TEXT: Final = 120

# A day in digits with a two-digit year, day first ("7/12/26", "07-12-26"), not a part of a longer
# number or date.
_SHORT_DATE: Final = r"(?<![\d/-])(?:0?[1-9]|[12]\d|3[01])(?P<sep>[/-])(?:0?[1-9]|1[0-2])(?P=sep)\d{2}(?![\d/-])"
# A date in text: a year, a clock, a relative phrase or a day with a two-digit year (what a
# family's date element must show). A year may run into the next cell's label ("Tanggal | 7
# Desember 2026 | Jam | 08:46" reads "…2026Jam08:46": lexbor joins text nodes bare), not into digits.
DATEISH: Final = re.compile(
    rf"\b(?:19|20)\d{{2}}(?!\d)|\d{{1,2}}[:.]\d{{2}}|\b(?:yang lalu|ago|lalu)\b|{_SHORT_DATE}", re.IGNORECASE,
)
_YEAR: Final = re.compile(r"\b(?:19|20)\d{2}(?!\d)")
_YEARLESS: Final = re.compile(_SHORT_DATE)
# What a date reckoned from the fetch holds ("2 jam lalu", "Kemarin, 08:46", "baru saja"); `is_relative` decides.
_RELATIVE_HINT: Final = re.compile(
    rf"(?<![a-z])(?:{word_alternation((*RELATIVE_ENDINGS, *NOW_WORDS, *DAYS_BACK_WORDS))})(?![a-z])", re.IGNORECASE,
)
_CLOCK: Final = re.compile(r"\d{1,2}[:.]\d{2}")
# Labels of a visible date: what follows an update label is the modification's date, what follows
# the others (or no label) the publication's.
_UPDATE_LABEL: Final = re.compile(rf"(?<![\w-])(?:{word_alternation(UPDATE_LABELS)})(?![\w-])", re.IGNORECASE)
_LABEL: Final = re.compile(
    rf"(?<![\w-])(?:{word_alternation((*UPDATE_LABELS, *PUBLISH_LABELS))})(?![\w-])", re.IGNORECASE,
)
_DIGIT: Final = re.compile(r"\d")
# What may stand before a date alone on its line: a place, a day's name ("Makassar, Senin, …").
_BEFORE_LONE_DATE: Final = re.compile(
    rf"(?:[^\W\d](?:[^\W\d]|[.' -]){{0,30}},\s*)?(?:(?:{word_alternation(WEEKDAYS)})\.?,?\s*)?",
)
# A year run into the digits of the next text node ("7 Desember 2026<br>08:46": lexbor joins them bare).
_GLUED_YEAR: Final = re.compile(r"(?:19|20)\d{3}")
_BYLINE: Final = re.compile(r"^(?:by|oleh)\s+.{1,60}?\s+(?:on|pada)\s+", re.IGNORECASE)
_DATE_DECOR: Final = re.compile(r"^[\s\-–—|•·:]+|[\s\-–—|•·]+$")
# What may stand between a date and its clock in the next element: white space and separators.
_BETWEEN: Final = re.compile(r"[\s,|/\-–—•·]*")
# A date's clock stands in one of the next few nodes after it (an element, a separator between).
_CLOCK_REACH: Final = 3


def date_text(text: str) -> str | None:
    """The date part of a byline: "AFP, CHARLESTON | World | Fri, June 19 2015, 7:36 AM" -> the last part."""
    text = _BYLINE.sub("", _DATE_DECOR.sub("", text))
    parts = [p.strip() for p in text.split("|")]
    while len(parts) > 1 and not re.search(r"\d", parts[0]):
        parts.pop(0)
    return " | ".join(parts) or None


def dated(el: Element) -> tuple[Element, str] | None:
    """`el` and its text when it is a short text that dates something (`names_date`), not in a link."""
    head, whole = text_head(el, MAX_DATE_TEXT)
    if not whole:
        return None
    text = apart(el, head)
    return (el, text) if names_date(text) and _linkless(el) else None


def names_date(text: str) -> bool:
    """Whether a short text states a date: with a year ("7 Desember 2026", "7/12/26") or reckoned from the fetch.

    A relative date must be the text's date alone, after a label or a byline ("Redaksi | 2 jam
    lalu"): a subtitle that tells of "3 tahun lalu" dates no article.
    """
    if _YEAR.search(text) or _YEARLESS.search(text):
        return True
    return _RELATIVE_HINT.search(text) is not None and is_relative(date_text(text))


def with_title(el: Element, text: str) -> str:
    """`text`, or the date its element's ``title`` prints when the text names no year ("2 jam lalu")."""
    if _YEAR.search(text):
        return text
    title = el.attributes.get("title")
    return fold(title) if title and len(title) <= MAX_DATE_TEXT and _YEAR.search(title) else text


def labelled(raw: str) -> list[tuple[Role, str]]:
    """The dates of a visible text, each with the role its label gives it.

    "Diperbarui: Selasa, 8 Desember 2026 10:00 | Terbit: Senin, 7 Desember 2026 08:46" holds a
    modification and a publication; a text without an update label is one publication date.
    """
    if not _UPDATE_LABEL.search(raw):
        return [("published", raw)]
    out: list[tuple[Role, str]] = []
    starts = [0, *(m.start() for m in _LABEL.finditer(raw) if m.start() > 0), len(raw)]
    for start, end in itertools.pairwise(starts):
        part = _DATE_DECOR.sub("", raw[start:end])
        if _DIGIT.search(part):
            out.append(("modified" if _UPDATE_LABEL.match(part) else "published", part))
    return out or [("published", raw)]


def alone(text: str) -> bool:
    """Whether `text` is a date and nothing else ("Senin, 7 Desember 2026 - 08:46", "Makassar, 7/12/2026").

    What an article's footer may print with no label or name to say what it is: "Kabar Pesisir
    2026" or "Dibaca 7 kali" are not dates alone.
    """
    margins = date_margins(text)
    return margins is not None and not margins[1] and _BEFORE_LONE_DATE.fullmatch(margins[0]) is not None


def has_label(text: str) -> bool:
    """Whether `text` holds a publication or update label ("Diposting", "Diperbarui", `date_words`)."""
    return _LABEL.search(text) is not None


def apart(el: Element, text: str) -> str:
    """`text` of `el`, its text nodes kept apart where lexbor ran a year into the next one's digits."""
    if _GLUED_YEAR.search(text) and not _YEAR.search(text):
        return fold(el.text(separator=" "))
    return text


def _linkless(el: Element) -> bool:
    return all(node.tag != "a" for node in lineage(el, 3)) and el.css_first("a") is None


def prints_clock(raw: str) -> bool:
    """Whether a visible date's text prints a clock ("08:46", "pukul 14.30"); "2 jam lalu" prints none."""
    return _CLOCK.search(raw) is not None


def dateline(text: str) -> str | None:
    """The dateline `text` opens with, when it dates the report ("KENDARI, Senin (7/12/2026) - Banjir ...").

    The dateline cleaning takes out of the body (`boilerplate.split_dateline`), with a four-digit
    year: "KENDARI, KOMPAS.com - ..." and "KENDARI, Senin (7/12) - ..." date nothing.
    """
    line, _ = split_dateline(text)
    return line if line and _YEAR.search(line) else None


def clock_after(el: Element) -> tuple[Element | None, str] | None:
    """The clock alone that follows `el` (a date without one) in its parent, and the element that holds it.

    "<span>Senin, 7 Desember 2026</span> | <span>08:46 WITA</span>": a family's date element, or
    the first date line under a headline, holds the day and its next sibling the time. Only white
    space and separators may stand between them; the clock may also be the text after `el` itself
    (None for its element). Any other text or element before it: no clock.
    """
    node = el.next
    for _ in range(_CLOCK_REACH):
        if node is None:
            return None
        if node.is_element_node:
            text, whole = text_head(node, MAX_DATE_TEXT)
            owner: Element | None = node
        else:
            text, whole, owner = fold(node.text_content or ""), True, None
        if whole and is_clock(text):
            return owner, text
        if not whole or not _BETWEEN.fullmatch(text):
            return None
        node = node.next
    return None
