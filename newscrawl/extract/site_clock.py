"""The zone a page's own clock prints outside the article: a site's zone, when no one registered the site.

What it is for
    A site that no registry entry names, and whose article's dates state no zone, often prints
    its zone by the times of its other lists ("Terkini: … 10:00 WITA", a header's clock).
    `site_zone` reads those: the zone word (WIB, WITA, WIT) right after a clock, outside the
    article's body, when at least `LEAST` of them say it and none says another.
    `extract.clean.set_dates` then reads the article's dates in that zone instead of the default
    WIB, for a site of unknown zone only (a registered portal's zone, or ``-a timezone=``, stands);
    the search is made only for such a site (`extract_article(..., zone_unknown=True)`): it reads
    the whole page's text, code included, ~2 ms on a page of 1 MB of inline scripts.

What it must never do
    Count the article's own text (an event "pukul 10.00 WITA" in a Jakarta paper's report), decide
    from a single mention, or be asked when the article's own dates state a local zone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from newscrawl.extract.date_words import ZONE_NAMES, ZONES
from newscrawl.extract.text import word_alternation

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.extract.candidates import Candidate
    from newscrawl.extract.doc import Doc, Element

# How many clocks outside the article must name the zone (and none another).
LEAST: Final = 2
# The local zones' names as pages print them, upper, title and lower case (`date_words.ZONES`). Case
# matters: a case-blind search lower-cases a whole page's text, and "wit"/"Wit" stand in every
# "with"/"Witness" (they are left out); "WIT" is also found in "WITA", and told apart by what follows.
_ZONE_WORDS: Final = tuple(
    word for name in ZONES for word in (name, name.title(), name.lower()) if word not in ("Wit", "wit")
)
# A clock right before a zone word ("10:00 WITA", "10.00WIB").
_CLOCK_BEFORE: Final = re.compile(r"(?<![0-9])[0-9]{1,2}[:.][0-9]{2}\s*$")
# A local zone an article's date states: a local zone's name (`date_words.ZONE_NAMES`, "Waktu Indonesia
# Tengah" among them) or a local offset.
_LOCAL: Final = re.compile(
    rf"(?<![a-z])(?:{word_alternation(n for n, z in ZONE_NAMES.items() if z in ZONES.values())})(?![a-z])"
    r"|\+0[789]:?00\b",
    re.IGNORECASE,
)


def states_local_zone(candidates: Iterable[Candidate]) -> bool:
    """Whether one of the article's own dates (head or article) states a local zone."""
    return any(c.place in ("head", "article") and _LOCAL.search(c.raw) for c in candidates)


def site_zone(doc: Doc, body: Element | None) -> str | None:
    """The zone ("WIB", "WITA", "WIT") the page's clocks outside the article's body print, if they agree.

    Asked only when the article's own dates state no local zone (`states_local_zone`). None without
    a body to leave out, or when fewer than `LEAST` clocks name a zone or they name two.
    """
    if body is None:
        return None
    clocked: dict[str, list[str]] = {}  # each text's clocked zone names, read once

    def has_clock(text: str) -> bool:
        found = clocked[text] = _clocked_zones(text)
        return bool(found)

    names: set[str] = set()
    count = 0
    for owner, text in doc.search(_ZONE_WORDS, where=has_clock):
        if not doc.contains(body, owner):
            names.update(clocked[text])
            count += len(clocked[text])
    return names.pop() if count >= LEAST and len(names) == 1 else None


def _clocked_zones(text: str) -> list[str]:
    """The zone names ("WIB", "WITA", "WIT") that follow a clock in `text`, each time one does."""
    out = []
    for word in _ZONE_WORDS:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            whole = not text[end : end + 1].isalnum() and not text[start - 1 : start].isalpha()
            if whole and _CLOCK_BEFORE.search(text, max(0, start - 12), start):
                out.append(word.upper())
            start = text.find(word, end)
    return out
