"""The date readers give exactly what they gave when their stored outputs were last reviewed.

tests/reference/dates.json.gz stores what `parse_date`, `parse_machine_date` and `decide` gave on a
fixed corpus (tests/dates_reference.py says what it holds): every date text of the tests and the
saved pages read in six zones, each saved page's candidates decided in four, and a seeded
generated set. The readers' fast paths (a date read once per page, the ISO route without the
general clock) stand for the plain way these outputs were computed with; any different output
fails here and names the first differing calls. A reading that changes on purpose is reviewed and
stored with scripts/regen_dates_reference.py.
"""

from __future__ import annotations

from typing import Any

import pytest

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
