"""The zone a page's own clock prints outside the article: a site's zone, when no one registered the site.

What it is for
    A site that no registry entry names, and whose article's dates state no zone, often prints
    its zone by the times of its other lists ("Terkini: … 10:00 WITA", a header's clock).
    `site_zone` reads those: the zone word (WIB, WITA, WIT) right after a clock, outside the
    article's body, when at least `LEAST` of them say it and none says another.
    `extract.clean.set_dates` then reads the article's dates in that zone instead of the default
    WIB, for a site of unknown zone only (a registered portal's zone, or ``-a timezone=``, stands).

What it must never do
    Count the article's own text (an event "pukul 10.00 WITA" in a Jakarta paper's report), decide
    from a single mention, or be asked when the article's own dates state a local zone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.extract.candidates import Candidate
    from newscrawl.extract.doc import Doc, Element

# How many clocks outside the article must name the zone (and none another).
LEAST: Final = 2
_CLOCKED: Final = re.compile(r"(?<![0-9])[0-9]{1,2}[:.][0-9]{2}\s*(WIB|WITA|WIT)(?![a-z0-9])", re.IGNORECASE)
# A local zone an article's date states: a zone's name or a local offset.
_LOCAL: Final = re.compile(
    r"(?<![a-z])(?:WIB|WITA|WIT)(?![a-z])|\+0[789]:?00\b|waktu indonesia (?:barat|tengah|timur)", re.IGNORECASE,
)


def states_local_zone(candidates: Iterable[Candidate]) -> bool:
    """Whether one of the article's own dates (head or article) states a local zone."""
    return any(c.place in ("head", "article") and _LOCAL.search(c.raw) for c in candidates)


def site_zone(doc: Doc, body: Element | None, candidates: Iterable[Candidate]) -> str | None:
    """The zone ("WIB", "WITA", "WIT") the page's clocks outside the article's body print, if they agree.

    None when the article's own dates state a local zone, without a body to leave out, or when
    fewer than `LEAST` clocks name a zone or they name two.
    """
    if body is None or states_local_zone(candidates):
        return None
    names: set[str] = set()
    count = 0
    for owner, text in doc.search(("wib", "wita", "wit"), ignore_case=True, where=_clocked):
        if doc.contains(body, owner):
            continue
        for name in _CLOCKED.findall(text):
            names.add(name.upper())
            count += 1
    return names.pop() if count >= LEAST and len(names) == 1 else None


def _clocked(text: str) -> bool:
    return _CLOCKED.search(text) is not None
