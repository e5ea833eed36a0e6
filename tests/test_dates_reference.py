"""The date readers give exactly what they gave when their stored outputs were last reviewed.

tests/reference/dates.json.gz stores what `parse_date`, `parse_machine_date` and `decide` gave on a
fixed corpus (tests/dates_reference.py says what it holds): every date text of the tests and the
saved pages read in six zones, each saved page's candidates decided in four, and a seeded
generated set. The readers' fast paths (a date read once per page, the ISO route without the
general clock) stand for the plain way these outputs were computed with; any different output
fails here and names the first differing calls. A reading that changes on purpose is reviewed and
stored with scripts/regen_dates_reference.py. `decide` reads a date again in the page's zone only
when that zone's offset is not +07:00: the last test shows that a reading in one zone is the
reading in another of the same offset, but for the zone object of a date that states none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from newscrawl.extract import dates, published
from tests import dates_reference as ref

REFERENCE: dict[str, Any] = ref.load()
SHOWN = 10


def test_the_reference_holds_every_kind_of_input() -> None:
    assert set(REFERENCE["kinds"]) == set(ref.KINDS), f"{ref.REFERENCE.name} is stale: `{ref.REGENERATE}`"
    assert all(REFERENCE["kinds"][kind]["inputs"] for kind in ref.KINDS)


@pytest.mark.parametrize("kind", list(ref.KINDS))
def test_the_readers_give_the_stored_outputs(kind: str) -> None:
    stored = REFERENCE["kinds"][kind]
    found: list[str] = []
    for value, row in zip(stored["inputs"], stored["rows"], strict=True):
        found += ref.differences(kind, value, row)
    shown = "\n".join(found[:SHOWN])
    assert not found, (
        f"{len(found)} calls on {kind} ({ref.KINDS[kind].about}) differ from {ref.REFERENCE.name}; the first:\n"
        f"{shown}\nIf a reading changes on purpose: `{ref.REGENERATE}`, review, then again with --write."
    )


def test_a_reading_in_a_zone_of_the_same_offset_differs_only_by_the_zone_object() -> None:
    unstated, wib = published._UNSTATED, dates.WIB
    texts = [*REFERENCE["kinds"]["texts"]["inputs"], *REFERENCE["kinds"]["generated_texts"]["inputs"]]
    read = 0
    for text in texts:
        for reader in (dates.parse_machine_date, lambda t, tz: dates.parse_date(t, tz=tz, now=ref.NOW)):
            first, again = reader(text, tz=unstated), reader(text, tz=wib)
            if first is not None and first.value.tzinfo is unstated:
                first = replace(first, value=first.value.replace(tzinfo=wib))
            assert first == again, text
            read += again is not None
    assert read > len(texts) // 2
