"""The real `kabar` spider over one tiny offline portal per family (tests/sites/families, built by
tests/sites/build_families.py): with the family detected from the markup and with ``-a network``.

Each site has a one-page article and a two-page one; for Tribun, Kompas, Suara (``?page=all``) and
detik (``?single=1``) only the single-page view holds the whole text, so one complete item proves
the spider used it; for PRMN and Radar the pages are chained.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from serve import serving

from tests.conftest import SITES, run_kabar

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import CrawlResult

FAMILIES_ROOT = SITES / "families"
EXPECTED: dict[str, dict[str, dict[str, str]]] = json.loads(
    (FAMILIES_ROOT / "expected.json").read_text(encoding="utf-8"),
)
PUBLISHED = "2026-02-24T08:50:00+07:00"


def _check(result: CrawlResult, family: str) -> None:
    assert result.returncode == 0, result.log[-3000:]
    by_path = {}
    for item in result.items:
        path = urlsplit(item["url"]).path
        assert path not in by_path, f"{family}: {path} delivered twice"
        by_path[path] = item
    assert set(by_path) == set(EXPECTED[family]), result.log[-3000:]
    for path, want in EXPECTED[family].items():
        item = by_path[path]
        assert item["network"] == family
        assert item["title"] == want["title"]
        assert item["published_at"] == PUBLISHED
        assert item["body"] == want["body"], f"{family} {path}"


@pytest.mark.parametrize("family", sorted(EXPECTED))
@pytest.mark.parametrize("given", [False, True], ids=["detected", "network"])
def test_family_site_crawl(family: str, given: bool, tmp_path: Path) -> None:
    with serving(FAMILIES_ROOT / family) as base:
        args = {"start_urls": base + "/"}
        if given:
            args["network"] = family
        result = run_kabar(tmp_path, args=args)
    _check(result, family)
