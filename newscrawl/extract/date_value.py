"""What the date readers (`extract.dates`) return: a timezone-aware value, the route that read it, what it stated.

What it is for
    One value type for every reading of a date (visible text, machine markup, relative text),
    so that the choice between a page's dates (`extract.published`) compares like with like.

What it must never do
    Hold a naive datetime, or read text itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import datetime

Method = Literal["iso", "fast", "relative", "dateparser"]
Precision = Literal["second", "minute", "hour", "day"]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from text, with the route that read it.

    ``value`` is always timezone-aware. ``has_time`` is False for date-only text such as
    "6 Nop 2019"; ``value`` is then 00:00 in the zone the date was read in. ``method`` is one
    of "iso", "fast", "relative", "dateparser" (see the module docstring).
    """

    value: datetime
    method: str
    has_time: bool
    seconds: bool = False
    # A time reckoned from the fetch, in this unit ("2 jam lalu": "hour"; "baru saja": "minute"): no
    # clock the page prints. None for a time the text states ("Kemarin, 08:46" too).
    reckoned_in: Precision | None = None

    def __post_init__(self) -> None:
        if self.value.utcoffset() is None:
            raise ValueError(f"ParsedDate needs a timezone-aware datetime, got {self.value!r}")

    def iso(self) -> str:
        """Return the value as ISO 8601 to the second, e.g. "2022-06-24T15:44:00+07:00"."""
        return self.value.isoformat(timespec="seconds")

    @property
    def precision(self) -> Precision:
        """What the text stated: "second", "minute" (a clock without seconds), "hour" ("2 jam lalu") or "day"."""
        if self.reckoned_in is not None:
            return self.reckoned_in
        if not self.has_time:
            return "day"
        return "second" if self.seconds else "minute"
