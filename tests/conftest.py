"""Shared test fixtures: the offline sites on a local HTTP server, and running the real crawler.

Crawls run `scrapy crawl kabar` in a subprocess, exactly as a user would, against sites served
from tests/sites on 127.0.0.1 (a free port). Nothing here talks to the internet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "tests" / "sites"
sys.path.insert(0, str(SITES))

from serve import serving  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

# Settings that make a crawl of a local site fast and deterministic; politeness is for real hosts.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlResult:
    """What a finished crawl left: its exit status, items, stats and log."""

    returncode: int
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str

    def stat(self, key: str) -> Any:
        return self.stats.get(key, 0)


def run_kabar(
    tmp_path: Path,
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 240,
) -> CrawlResult:
    """Run `scrapy crawl kabar` with `-a` args and `-s` settings; return what it produced."""
    out = tmp_path / "out.jsonl"
    stats_file = tmp_path / "stats.json"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-O", str(out)]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST, "NEWSCRAWL_STATS_FILE": str(stats_file), **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, check=False,
    )
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    stats = json.loads(stats_file.read_text())["stats"] if stats_file.exists() else {}
    return CrawlResult(proc.returncode, items, stats, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def klikdemo() -> Iterator[str]:
    """Base URL of the bundled demo PRMN portal."""
    with serving(SITES / "klikdemo") as base:
        yield base
