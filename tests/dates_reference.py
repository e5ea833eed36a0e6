"""The stored outputs of the date readers, and how the current ones are computed.

tests/reference/dates.json.gz holds a fixed corpus of inputs and what `dates.parse_date`,
`dates.parse_machine_date` and `published.decide` gave for each when the file was last reviewed:
every date text of tests/test_dates.py, every date candidate of the golden pages, the saved sites
and the benchmark portal (and each page's candidates together), and a seeded generated set built
from the date words (date-like text, ISO-like text, mixed candidates). tests/test_dates_reference.py
replays the inputs and compares, so that a fast path of the readers that changes an output fails
it; scripts/regen_dates_reference.py builds the corpus and, with --write, rewrites the file. This
module reads, computes and compares: it never builds the corpus and never writes the file on its own.

The file (gzipped JSON, sorted keys): ``{"kinds": {kind: {"inputs": [...], "rows": [...]}}}``;
each input stands for several calls (`KINDS`) and its row is packed as in
tests/fastpaths_reference.py (`pack`). A reading is ``null`` or ``{"value", "method", "has_time",
"seconds"}``, a decision ``{"published", "source", "precision", "raw", "modified", "zone_fixed",
"unreadable"}``; a datetime is ``"<ISO value with microseconds> <zone>"``, where the zone says which
tzinfo object the value carries: "given" (the zone the call was given, which `decide` reads as
"the text stated no zone"), a named zone of `ZONES`, or the repr of another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from newscrawl.extract import dates, published
from newscrawl.extract.candidates import Candidate
from tests import fastpaths_reference
from tests.fastpaths_reference import Output, describe, pack, unpack

REFERENCE = Path(__file__).resolve().parent / "reference" / "dates.json.gz"
REGENERATE = "python scripts/regen_dates_reference.py"

# The clock relative dates are read against (a date past a leap day, as tests/test_dates.py uses).
NOW = datetime(2024, 3, 31, 10, 30, tzinfo=dates.WIB)
# Zones a reader is given: the portal zones, UTC, the "unstated" zone `decide` reads with first, and a foreign one.
ZONES: dict[str, tzinfo] = {
    "WIB": dates.WIB,
    "WITA": dates.WITA,
    "WIT": dates.WIT,
    "UTC": UTC,
    "unstated": published._UNSTATED,  # the zone decide reads every candidate in first
    "-05:00": timezone(timedelta(hours=-5)),
}
_NAMED: dict[int, str] = {id(zone): name for name, zone in ZONES.items()}
Call = tuple[Callable[..., Output], tuple[Any, ...]]


def _zone(value: datetime, given: tzinfo) -> str:
    if value.tzinfo is given:
        return "given"
    return _NAMED.get(id(value.tzinfo), repr(value.tzinfo))


def _moment(value: datetime | None, given: tzinfo) -> str | None:
    return None if value is None else f"{value.isoformat()} {_zone(value, given)}"


def _reading(got: dates.ParsedDate | None, given: tzinfo) -> Output:
    if got is None:
        return None
    return {"value": _moment(got.value, given), "method": got.method, "has_time": got.has_time, "seconds": got.seconds}


def parse_date(text: str, zone: str) -> Output:
    return _reading(dates.parse_date(text, tz=ZONES[zone], now=NOW), ZONES[zone])


def parse_machine_date(text: str, zone: str) -> Output:
    return _reading(dates.parse_machine_date(text, tz=ZONES[zone]), ZONES[zone])


def decide(candidates: list[list[Any]], zone: str) -> Output:
    given = ZONES[zone]
    got = published.decide((Candidate(*candidate) for candidate in candidates), zone=given, now=NOW)
    return {
        "published": _moment(got.published, given),
        "source": got.source,
        "precision": got.precision,
        "raw": got.raw,
        "modified": _moment(got.modified, given),
        "zone_fixed": got.zone_fixed,
        "unreadable": got.unreadable,
    }


def _text_calls(text: str) -> list[Call]:
    return [(reader, (text, zone)) for zone in ZONES for reader in (parse_date, parse_machine_date)]


def _candidates_calls(candidates: list[list[Any]]) -> list[Call]:
    return [(decide, (candidates, zone)) for zone in ("WIB", "WITA", "WIT", "UTC")]


@dataclass(frozen=True)
class Kind:
    """One kind of input: what it is, and the calls one input stands for."""

    about: str
    calls: Callable[[Any], list[Call]]


KINDS: dict[str, Kind] = {
    "texts": Kind("every date text of the tests and the saved pages, read in each zone", _text_calls),
    "generated_texts": Kind("seeded date-like and ISO-like text, read in each zone", _text_calls),
    "pages": Kind("each saved page's date candidates, decided in each zone", _candidates_calls),
    "generated_pages": Kind("seeded mixes of candidates, decided in each zone", _candidates_calls),
}


def outputs(kind: str, value: Any) -> tuple[list[Call], list[Output]]:
    """The calls one input of `kind` stands for, and what each gives now."""
    calls = KINDS[kind].calls(value)
    return calls, [function(*args) for function, args in calls]


def load(path: Path = REFERENCE) -> dict[str, Any]:
    """The stored outputs (gzipped JSON, written as `fastpaths_reference.dump` writes)."""
    return fastpaths_reference.load(path)


def differences(kind: str, value: Any, stored: Any) -> list[str]:
    """The calls of one input whose output now differs from its stored row, described."""
    calls, now = outputs(kind, value)
    if pack(now) == stored:
        return []
    return [
        f"{describe(call)}\n    stored: {before!r}\n    now:    {after!r}"
        for call, before, after in zip(calls, unpack(stored, len(calls)), now, strict=False)
        if before != after
    ] or [f"{kind} {value!r}: {len(calls)} calls now, stored {stored!r}"]
