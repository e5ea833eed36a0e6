"""Time zones of dates: the three Indonesian zones by name, and the zone a date's text names.

What it is for
    `zone` gives the portal's zone ("WIB", "WITA", "WIT"); `zone_from_text` reads the zone a date
    states ("WIB", "+0700", "GMT+7", "Z") as the readers of `extract.dates` find it. The zones of
    Indonesia, UTC and offsets equal to them come back as the same objects, whatever the spelling.

What it must never do
    Guess a zone a text does not state, or accept an offset no clock has (beyond 14 hours).
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from newscrawl.extract.date_words import WIB, WIT, WITA, ZONE_NAMES, ZONES

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["zone", "zone_from_text"]

_OFFSET: Final = re.compile(r"(?:gmt|utc)?\s*(?P<sign>[+-])\s*(?P<hours>[0-9]{1,2}):?(?P<minutes>[0-9]{2})?")
_CANONICAL_ZONES: Final[Mapping[int, timezone]] = MappingProxyType({0: UTC, 7 * 60: WIB, 8 * 60: WITA, 9 * 60: WIT})
# Zone texts read before ("+0700", "+07:00", "wib"): the same object `zone_from_text` gives, without
# its pattern. Only the module's own zones are kept (a fresh timezone for any other offset, as before),
# and at most so many texts (offsets are spelt a few ways, but the texts are the page's).
_KNOWN_ZONES: Final[dict[str, tzinfo]] = dict(ZONE_NAMES)
_KNOWN_ZONES_MAX: Final = 256


def zone(name: str) -> timezone:
    """Return the Indonesian time zone called ``name`` ("WIB", "WITA" or "WIT", any case)."""
    found = ZONES.get(name.strip().upper())
    if found is None:
        expected = ", ".join(ZONES)
        raise ValueError(f"unknown Indonesian time zone {name!r}: expected one of {expected}")
    return found


def zone_from_text(text: str) -> tzinfo | None:
    """The zone `text` names (lower case: "wib", "+07:00", "utc"), or None if it names none or an impossible offset."""
    known = _KNOWN_ZONES.get(text)
    if known is not None:
        return known
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        return None
    total = (hours * 60 + minutes) * (-1 if match["sign"] == "-" else 1)
    canonical = _CANONICAL_ZONES.get(total)
    if canonical is None:
        return timezone(timedelta(minutes=total))
    if len(_KNOWN_ZONES) < _KNOWN_ZONES_MAX:
        _KNOWN_ZONES[text] = canonical
    return canonical
