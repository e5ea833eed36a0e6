"""The sketch of a body never drifts: stored sketches are found again, and the numpy paths equal datasketch.

tests/reference/sketches.json.gz holds the sketches of a fixed corpus as the stores hold them
(tests/sketches_reference.py says how it was made); every one must come out the same. The other
tests check each fast path against the plain way it stands for, so that a change in datasketch
(whose permutations and ``affine32`` scheme the sketch computes directly) or in Python's ``\\w``
fails here rather than silently in a store.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH, bBitMinHash
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.delivery.stories.memory import BandIndex
from newscrawl.delivery.stories.sketch import Sketcher, SketchParams, tokens, words
from tests import sketches_reference as ref

SKETCHER = Sketcher()
STORED: dict[str, Any] = ref.load()
SHOWN = 5


def _minhash(sketcher: Sketcher, values: np.ndarray) -> MinHash:
    """A datasketch `MinHash` with these values (what its own estimators and indexes take)."""
    return MinHash(seed=sketcher.params.seed, hashvalues=values, permutations=sketcher.permutations, scheme="affine32")


def test_every_stored_sketch_comes_out_the_same() -> None:
    assert STORED["layout"] == SKETCHER.params.layout, "a new layout: see tests/sketches_reference.py"
    differing = [r for r in STORED["rows"] if ref.row(SKETCHER, r["body"]) != r]
    shown = "\n".join(repr(r["body"][:80]) for r in differing[:SHOWN])
    assert not differing, f"{len(differing)} of {len(STORED['rows'])} stored sketches differ; the first:\n{shown}"


def _bodies() -> list[str]:
    return [r["body"] for r in STORED["rows"]]


@pytest.mark.parametrize("params", [SketchParams(), SketchParams(num_perm=64, seed=7, shingle=2)], ids=str)
def test_the_minhash_is_datasketchs_update_batch(params: SketchParams) -> None:
    sketcher = Sketcher(params)
    fresh = MinHash(num_perm=params.num_perm, seed=params.seed, scheme="affine32")
    assert np.array_equal(sketcher.permutations, fresh.permutations), "datasketch draws other permutations"
    for body in _bodies():
        shingles = sketcher.shingles(tokens(body))
        theirs = MinHash(
            num_perm=params.num_perm, seed=params.seed, hashfunc=int, permutations=fresh.permutations,
            scheme="affine32",
        )
        theirs.update_batch(shingles.tolist())
        assert np.array_equal(sketcher.minhash(shingles), theirs.hashvalues), body[:80]
        assert sketcher.sketch(body).values.tolist() == theirs.hashvalues.tolist(), body[:80]


@given(st.text(alphabet=st.characters(exclude_categories=())))
@example("lone \ud800 surrogate, “quoted” — İstanbul café\u0301 ² Ⅻ _x_")
@settings(max_examples=400, deadline=None)
def test_tokens_are_the_words_of_the_regular_expression(body: str) -> None:
    assert tokens(body) == [w.encode("utf-8") for w in words(body)]


def test_tokens_of_every_stored_body() -> None:
    for body in _bodies():
        assert tokens(body) == [w.encode("utf-8") for w in words(body)], body[:80]


@pytest.mark.parametrize("bits", [1, 2, 3])
def test_similarity_is_bbitminhashs_estimate(bits: int) -> None:
    sketcher = Sketcher(SketchParams(bits=bits))
    rng = np.random.default_rng(bits)
    base = rng.integers(0, 2**32, sketcher.params.num_perm, dtype=np.uint32)
    for share in np.linspace(0.0, 1.0, 60):
        other = base.copy()
        changed = rng.random(len(other)) > share
        other[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
        a, b = (bBitMinHash(_minhash(sketcher, v), b=bits) for v in (base, other))
        assert sketcher.similarity(sketcher._pack(base), sketcher._pack(other)) == a.jaccard(b)


def test_the_band_index_finds_what_minhashlsh_finds() -> None:
    params = SketchParams()
    sketcher = Sketcher(params)
    ours = BandIndex(params.bands, params.rows)
    theirs = MinHashLSH(num_perm=params.num_perm, params=(params.bands, params.rows))
    # Every stored body and a copy of each with a paragraph added: many shared bands, and many none.
    bodies = [*_bodies(), *(b + "\n\nSatu paragraf tambahan dari redaksi." for b in _bodies())]
    found = 0
    for ref_, body in enumerate(bodies):
        values = sketcher.sketch(body).values
        minhash = _minhash(sketcher, values)
        assert ours.query(values) == set(theirs.query(minhash)), body[:80]
        found += bool(ours.query(values))
        ours.insert(ref_, values)
        theirs.insert(ref_, minhash, check_duplication=False)
    assert found > 300
