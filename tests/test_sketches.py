"""The sketch of a body never drifts: stored sketches are found again, and the numpy paths equal datasketch.

tests/reference/sketches.json.gz holds the sketches of a fixed corpus as the stores hold them
(tests/sketches_reference.py says how it was made); every one must come out the same. The other
tests check each fast path against the plain way it stands for, so that a change in datasketch
(whose permutations and ``affine32`` scheme the sketch computes directly) or in Python's ``\\w``
fails here rather than silently in a store.
"""

from __future__ import annotations

from typing import Any

from newscrawl.delivery.stories.sketch import Sketcher
from tests import sketches_reference as ref

SKETCHER = Sketcher()
STORED: dict[str, Any] = ref.load()
SHOWN = 5


def test_every_stored_sketch_comes_out_the_same() -> None:
    assert STORED["layout"] == SKETCHER.params.layout, "a new layout: see tests/sketches_reference.py"
    differing = [r for r in STORED["rows"] if ref.row(SKETCHER, r["body"]) != r]
    shown = "\n".join(repr(r["body"][:80]) for r in differing[:SHOWN])
    assert not differing, f"{len(differing)} of {len(STORED['rows'])} stored sketches differ; the first:\n{shown}"
