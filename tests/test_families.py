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

from newscrawl.delivery.state import content_hash
from newscrawl.extract.article import extract_article
from newscrawl.extract.detect import detect_profile
from newscrawl.extract.doc import Doc
from newscrawl.extract.links import path_query
from newscrawl.networks import NETWORK_NAMES, get_profile
from newscrawl.registry import Registry, load_registry

GOLDENS = goldens()


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_golden_page(golden: Golden) -> None:
    assert golden.expected is not None, f"{golden.id} has no reviewed expectation (run scripts/regen_golden.py)"
    got = extract_fields(golden)
    for name in FIELDS:
        assert got[name] == golden.expected[name], f"{golden.id}: {name}"


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_content_hash_is_the_expected_contents(golden: Golden) -> None:
    # content_hash is not stored: it is a digest of the other fields, so it must be the digest of the
    # expected ones (fixed inputs, stable across runs).
    assert golden.expected is not None
    assert content_hash(extract_fields(golden)) == content_hash(golden.expected)


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_page_fetched_through_a_mirror_keeps_its_date_and_portal(golden: Golden) -> None:
    """Fetched from an unregistered host (a mirror, an archive), a page is dated in the zone of the
    portal it says it is (og:url, canonical, JSON-LD url, og:site_name), under that portal's name."""
    assert golden.expected is not None
    mirror = "http://127.0.0.1:8000" + path_query(golden.url)
    got = extract_fields(golden, url=mirror)
    assert got["published_at"] == golden.expected["published_at"]
    page = extract_article(Doc.parse(golden.html()), mirror, get_profile(golden.family))
    owner = load_registry().for_identity(page.identity)
    if owner is not None:
        assert got["portal_name"] == owner.name


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.id for g in GOLDENS])
def test_a_page_of_a_site_never_seen_keeps_its_date(golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as a site no one registered (another host, the family told from the markup, and no registry
    entry found by the page's identity or name), a page is dated from what it states alone."""
    assert golden.expected is not None
    monkeypatch.setattr(Registry, "for_identity", lambda *_args, **_kwargs: None)
    unseen = "https://kabar-daerah.test" + path_query(golden.url)
    family = detect_profile(Doc.parse(golden.html())).name
    assert extract_fields(golden, family, unseen)["published_at"] == golden.expected["published_at"]


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
