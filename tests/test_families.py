"""Every family over its golden pages: the crawl's extraction steps give what a reader sees.

ONE parametrised test runs every page under tests/fixtures/<family>/ (real pages, expectations
reviewed by hand; scripts/regen_golden.py writes proposals for review, never the files). A new
family gets its tests by adding pages. Detection: each page, read without a family, is given to
its own family (independent sites to generic).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import FIELDS, Golden, extract_fields, goldens, response_for

from newscrawl.extract.detect import detect_profile
from newscrawl.extract.dom import Doc
from newscrawl.networks import NETWORK_NAMES, get_profile

GOLDENS = goldens()


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_golden_page(golden: Golden) -> None:
    assert golden.expected is not None, f"{golden.id} has no reviewed expectation (run scripts/regen_golden.py)"
    got = extract_fields(golden)
    for name in FIELDS:
        assert got[name] == golden.expected[name], f"{golden.id}: {name}"


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_family_detected_from_markup(golden: Golden) -> None:
    response = response_for(golden.html(), golden.url)
    assert detect_profile(Doc.parse(response.text)).name == golden.family


@pytest.mark.parametrize("family", NETWORK_NAMES)
def test_every_family_has_golden_pages(family: str) -> None:
    assert any(g.family == family for g in GOLDENS), f"no golden page for {family}"
    assert get_profile(family).name == family


def test_golden_expectations_are_complete() -> None:
    for golden in GOLDENS:
        assert golden.expected is not None
        assert set(golden.expected) == set(FIELDS), golden.id
        assert golden.expected["title"], golden.id
        assert golden.expected["body"], golden.id
        assert golden.source, golden.id
