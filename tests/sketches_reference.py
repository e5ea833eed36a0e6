"""The stored sketches of a fixed corpus of bodies: what every store already holds must still be found.

Stores outlive crawls: a story's band keys and signature were written by the code of the day, and a
copy found tomorrow must give the same ones. tests/reference/sketches.json.gz holds a corpus of
bodies and, for each, what `Sketcher.sketch` gave when the file was written (the code of
datasketch's ``MinHash.update_batch`` era, before the sketch was computed in numpy directly): the
word count, the band keys and the signature, under the layout they were made with.
tests/test_sketches.py replays them.

The corpus: the expected body of every golden page (tests/fixtures), every planted body of the
syndication site, synthetic articles of benchmarks/stories.py, hand-written edge cases (empty,
one or two words, punctuation only, long words, case, digits and underscores, letters and marks of
other scripts, spaces and quotes that are not ASCII, a lone surrogate), and a seeded set of texts
that mix Indonesian words with such characters.

    python scripts/sketches_reference.py            # does the module still give the stored sketches?
    python scripts/sketches_reference.py --write    # rewrite the file: ONLY with a new SketchParams.layout

A sketch that changes without a new layout makes every stored story unfindable: the file is never
rewritten to make a test pass.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawl.delivery.stories.sketch import Sketcher

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "tests" / "reference" / "sketches.json.gz"

# Characters a body may hold beside ASCII: letters of other scripts (word characters), marks, digits
# that are not ASCII, spaces, quotes and dashes (not word characters), and case changes that change length.
SPECIAL = (
    "éüıİÉßŉǅΣσςДжاب中文한글ॐ२²½Ⅻ٣_"
    "\u0301\u0307\u200b\u200e\u00a0\u2009\u3000\u2028"
    "“”‘’–—…•«»·©®™€\U0001f600\U00010400\U00010428"
)
EDGES = (
    "", " ", "...", "satu", "satu dua", "satu dua tiga", "Satu, DUA; tiga!", "a_b c_d e_f", "x" * 300,
    "2024 08 17 merdeka 79 tahun", "İstanbul İZMİR ıspanak", "Straße STRASSE", "café CAFÉ cafe\u0301",
    "“Kutipan” — kata ‘dia’… lalu «pergi»", "non\u00a0breaking\u2009thin\u3000wide\u200bzero",
    "中文 한글 ॐ २ ² ½ Ⅻ ٣", "\U0001f600 emoji\U0001f600kata \U00010400\U00010428", "lone \ud800 surrogate kata lagi",
    "tab\tnew\nline\r\nvertical\x0bfeed\x0cunit\x1fsep", "ǅemal ΣΟΦΟΣ σοφος",
)


def _fixture_bodies() -> list[str]:
    bodies = []
    for path in sorted((REPO / "tests" / "fixtures").glob("*/*.json")):
        body = (json.loads(path.read_text(encoding="utf-8")).get("expected") or {}).get("body")
        if body:
            bodies.append(body)
    return bodies


def _planted_bodies() -> list[str]:
    sys.path.insert(0, str(REPO / "tests" / "sites" / "syndication"))
    from portals import plan  # noqa: PLC0415 - a test site, importable once its folder is on the path

    return ["\n\n".join(p.paragraphs) for p in plan()]


def _synthetic_bodies(n: int) -> list[str]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from stories import _synthetic  # noqa: PLC0415 - the benchmark's generator

    return [body for _, body, _ in _synthetic(n)]


def _mixed(rng: random.Random, vocabulary: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 120)):
        roll = rng.random()
        if roll < 0.7:
            word = rng.choice(vocabulary)
            parts.append(word.upper() if rng.random() < 0.1 else word)
        elif roll < 0.85:
            parts.append(rng.choice(SPECIAL))
        elif roll < 0.95:
            parts.append(chr(rng.randrange(0x80, 0x3000)))
        else:
            parts.append(chr(rng.randrange(0x10000, 0x30000)))
        parts.append(rng.choice((" ", " ", " ", "", ", ", ". ", "\n\n", "-", "\u00a0", "“", "’")))
    return "".join(parts)


def corpus() -> list[str]:
    """The bodies whose sketches are stored."""
    fixtures = _fixture_bodies()
    rng = random.Random(20)  # noqa: S311 - a reproducible corpus, not secrets
    vocabulary = sorted({w for body in fixtures for w in body.split()})
    return [
        *fixtures, *_planted_bodies(), *_synthetic_bodies(60), *EDGES,
        *(_mixed(rng, vocabulary) for _ in range(200)),
    ]


def row(sketcher: Sketcher, body: str) -> dict[str, Any]:
    """What is stored of one body's sketch."""
    sketch = sketcher.sketch(body)
    return {
        "body": body, "words": sketch.words, "band_keys": [k.hex() for k in sketch.band_keys],
        "signature": sketch.signature.hex(),
    }


def load() -> dict[str, Any]:
    """The stored file: ``{"layout": ..., "rows": [row, ...]}``."""
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as file:
        stored: dict[str, Any] = json.load(file)
    return stored



def dump(layout: str, rows: list[dict[str, Any]]) -> None:
    """Rewrite the stored file."""
    text = json.dumps({"layout": layout, "rows": rows}, ensure_ascii=True, sort_keys=True)
    REFERENCE.write_bytes(gzip.compress(text.encode(), mtime=0))
