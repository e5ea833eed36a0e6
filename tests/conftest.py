"""Shared test fixtures: the offline sites on a local HTTP server, and running the real crawler.

Crawls run `scrapy crawl kabar` in a subprocess, exactly as a user would, against sites served
from tests/sites on 127.0.0.1 (a free port). Nothing here talks to the internet.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (the seed derived from each test), so a test
# run cannot pass or fail by the luck of its draw; on CI too, whether or not it says it is CI.
# HYPOTHESIS_PROFILE=explore draws afresh each run (a local search for new counterexamples).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "tests" / "sites"
# The real saved portal pages beside the repository (../shared/realworld; absent in a bare clone).
REALWORLD = REPO.parent / "shared" / "realworld"
# A made-up article of a made-up regional site, for tests that build their own pages around it.
MADE_UP_HEADLINE = "Banjir Rob Rendam Pesisir Utara"
MADE_UP_BODY = "".join(
    f"<p>Paragraf {n} berita tentang banjir rob yang melanda pesisir utara, warga mengungsi ke balai desa "
    f"sementara petugas BPBD memantau ketinggian air sepanjang malam.</p>"
    for n in range(1, 7)
)
sys.path.insert(0, str(SITES))

from serve import serving  # noqa: E402

from tests.redis_server import RedisServer, running_redis  # noqa: E402
from tests.servers import S3Server, ScrapydServer, deploy, project_copy, s3_server, scrapyd_server  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

@cache
def read_page(path: Path) -> bytes:
    """The bytes of a saved page (a golden fixture's ``.html.gz`` or a realworld ``.html``)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


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
    # Each crawl gets its own crawl state (incremental crawls would otherwise share .state/ in the repo).
    isolated = {"NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"), "NEWSCRAWL_SPOOL_DIR": str(tmp_path / "spool")}
    for key, value in {**FAST, **isolated, "NEWSCRAWL_STATS_FILE": str(stats_file), **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, check=False,
    )
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    stats = json.loads(stats_file.read_text())["stats"] if stats_file.exists() else {}
    return CrawlResult(proc.returncode, items, stats, proc.stdout + proc.stderr)


def crawl_one_page(tmp_path: Path, page: bytes, zones: tuple[str, ...] = ("", "WIB")) -> dict[str, CrawlResult]:
    """Crawl one article page of a site no one registered, served on 127.0.0.1, once for each `-a timezone=`
    of `zones` ("": none given), with the generic family; each crawl's result by the zone given."""
    site = tmp_path / "site"
    (site / "berita").mkdir(parents=True)
    (site / "berita" / "banjir-rob-rendam-pesisir-utara.html").write_bytes(page)
    (site / "index.html").write_text("<html><body></body></html>")
    results = {}
    with serving(site) as base:
        for given in zones:
            args = {"start_urls": f"{base}/berita/banjir-rob-rendam-pesisir-utara.html", "network": "generic"}
            if given:
                args["timezone"] = given
            results[given] = result = run_kabar(tmp_path / f"crawl{given}", args=args)
            assert result.returncode == 0, result.log[-2000:]
    return results


@pytest.fixture(scope="session")
def klikdemo() -> Iterator[str]:
    """Base URL of the bundled demo PRMN portal."""
    with serving(SITES / "klikdemo") as base:
        yield base


# --- real servers for the delivery tests (tests/servers.py) ---------------------------------------


@dataclass
class Deployed:
    """Two real Scrapyd nodes with the project deployed by scrapyd-deploy, and an S3 server."""

    nodes: list[ScrapydServer]
    s3: S3Server
    deploy_outputs: list[subprocess.CompletedProcess[str]]
    project: Path


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Debian's redis-server on 127.0.0.1 (a free port), for the whole session; use a key prefix per test."""
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    """A moto S3 server on 127.0.0.1 (a free port), for the whole session; use a bucket per test."""
    with s3_server() as server:
        yield server


@pytest.fixture(scope="session")
def deployed(s3: S3Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    """Scrapyd nodes "a" and "b" (their jobs see the S3 server's environment), project deployed to both."""
    root = tmp_path_factory.mktemp("scrapyd")
    with scrapyd_server(root / "a", env=s3.env()) as a, scrapyd_server(root / "b", env=s3.env()) as b:
        project = project_copy(root / "project", a.url)
        # Marks the build: a job whose log says "bot: newscrawl-deployed" ran the deployed egg, not
        # the source tree (which says "bot: newscrawl").
        settings = project / "newscrawl" / "settings.py"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            'BOT_NAME = "newscrawl"', 'BOT_NAME = "newscrawl-deployed"'), encoding="utf-8")
        with (project / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
            cfg.write(f"\n[deploy:b]\nurl = {b.url}\nproject = newscrawl\n"
                      "username = ${SCRAPYD_USERNAME}\npassword = ${SCRAPYD_PASSWORD}\n")
        outputs = [deploy(project, "local"), deploy(project, "b")]
        yield Deployed([a, b], s3, outputs, project)
