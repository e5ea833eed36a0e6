"""Backfills for real: ``scrapy crawl kabar -a since=2024-01-01 -a until=2024-03-30`` over portals with a past.

The portals (tests/sites/build_backfill.py, built once per module) hold 2023-12-25..2024-04-05,
and their home pages show only the last day: everything of the 90 days asked for is reachable only
through each site's dated archive (each family's index by date; a WordPress site's monthly
sitemaps or its day archives; a Blogger site's feed; a PRMN site whose index fails, through its
sitemaps). Every crawl must deliver exactly the articles published in the range (by
``published_at``, WIB), each once: also when killed (SIGKILL) half-way and started again with the
same JOBDIR, and when two processes share the backfill in cluster mode on a real redis-server.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import pytest
from build_backfill import SITES, BloggerFeed, build, family_of
from serve import SiteHandler, serving

from tests.conftest import REPO, run_kabar
from tests.servers import deploy, project_copy, scrapyd_server, serving_with, slow_serving, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.redis_server import RedisServer
    from tests.servers import S3Server

SINCE, UNTIL = "2024-01-01", "2024-03-30"
FAST = {"AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO"}
# Sites whose archive pages list, on 2024-01-01 and 2024-03-30, an article published the day
# before or after (an index by UTC day): only the date rule on published_at keeps them out.
EDGES_LISTED = ("prmn", "radar", "tribun", "detik", "kompas", "suara", "wordpress-days")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("backfill-sites")
    return root, build(root)


def wanted(published: dict[str, str]) -> set[str]:
    """The paths of the articles published in the range, on the portal's clock (WIB)."""
    return {path for path, at in published.items() if SINCE <= at[:10] <= UNTIL}


@contextlib.contextmanager
def site_server(root: Path, site: str) -> Iterator[str]:
    with serving_with(BloggerFeed, root / site) if site == "blogger" else serving(root / site) as base:
        yield base


def args_for(base: str, site: str, **more: str) -> dict[str, str]:
    return {"start_urls": base + "/", "network": family_of(site), "since": SINCE, "until": UNTIL, **more}


def paths_of(items: list[dict[str, Any]]) -> Counter[str]:
    return Counter(urlsplit(item["url"]).path for item in items)


def check_exactly(items: list[dict[str, Any]], published: dict[str, str]) -> None:
    delivered = paths_of(items)
    assert [path for path, n in delivered.items() if n > 1] == [], "nothing twice"
    assert set(delivered) == wanted(published), "every article of the range, nothing outside it"
    assert all(SINCE <= item["published_at"][:10] <= UNTIL for item in items)


@pytest.mark.parametrize("site", SITES)
def test_a_90_day_backfill_delivers_exactly_the_articles_of_those_days(
    site: str, sites: tuple[Path, dict[str, dict[str, str]]], tmp_path: Path,
) -> None:
    root, expected = sites
    with site_server(root, site) as base:
        result = run_kabar(tmp_path, args=args_for(base, site), settings={"NEWSCRAWL_BACKFILL_PROGRESS_SECONDS": "0.2"})
    assert result.returncode == 0, result.log[-3000:]
    check_exactly(result.items, expected[site])
    assert result.stat("newscrawl/backfill/days_walked") == 90
    assert [k for k in result.stats if k.startswith("newscrawl/errors/")] == [], result.log[-3000:]
    if site in EDGES_LISTED:
        assert result.stat("newscrawl/skipped/out_of_range") >= 2
    if site == "prmn-sitemaps":
        assert result.stat("newscrawl/backfill/fell_back_to_sitemaps") == 1, "its index failed: its sitemaps"
    else:
        assert result.stat("newscrawl/backfill/fell_back_to_sitemaps") == 0
    if site == "wordpress":
        assert result.stat("newscrawl/backfill/sitemaps_skipped") == 3, "December, April, the pages of 2020"
    if site == "wordpress-days":
        assert result.stat("newscrawl/backfill/sitemap_not_found") == 3, "no sitemap: its day archives"
    # The summary: the range, a sparkline per month, the days without an article.
    assert "  backfill        : 2024-01-01..2024-03-30, 90 days x 1 portal: 90 days walked, 126 articles" in result.log
    assert re.search(r"^      2024-02    [·▁▂▃▄▅▆▇█]{29}$", result.log, re.MULTILINE)
    assert "no article on 15 days: 2024-01-02, 2024-01-08," in result.log
    # The progress line, every 0.2 s here, and once when the crawl ends.
    assert re.search(r"backfill 2024-01-01\.\.2024-03-30: \d+/90 days, \d+ articles, (~\d+ s left|estimating)",
                     result.log)
    assert "backfill 2024-01-01..2024-03-30: 90/90 days, 126 articles, finished" in result.log


def test_a_family_detected_from_the_home_page_backfills_alike(
    sites: tuple[Path, dict[str, dict[str, str]]], tmp_path: Path,
) -> None:
    root, expected = sites
    with site_server(root, "tribun") as base:
        result = run_kabar(tmp_path, args={"start_urls": base + "/", "since": SINCE, "until": UNTIL})
    assert result.returncode == 0, result.log[-3000:]
    assert "detected network tribun" in result.log
    check_exactly(result.items, expected["tribun"])


def _start(
    args: dict[str, str], log: Path, *, feed: Path | None, settings: dict[str, str], env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """A backfill in the background, appending to `feed` (None: only the S3 feed of `settings`)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", *(["-o", str(feed)] if feed else [])]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST, "LOG_FILE": str(log), **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})})


def _lines(feed: Path) -> list[dict[str, Any]]:
    data = feed.read_bytes() if feed.exists() else b""
    return [json.loads(line) for line in data[: data.rfind(b"\n") + 1].splitlines()]


def test_killed_half_way_and_restarted_with_its_jobdir_it_delivers_every_article_once(
    sites: tuple[Path, dict[str, dict[str, str]]], tmp_path: Path,
) -> None:
    root, expected = sites
    jobdir, first, second = tmp_path / "job", tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    settings = {"JOBDIR": str(jobdir), "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite")}
    # 20 ms a response: the crawl is still walking when it has delivered 40 articles.
    with slow_serving(root / "prmn", 0.02) as base:
        victim = _start(args_for(base, "prmn"), tmp_path / "first.log", feed=first, settings=settings)
        deadline = time.monotonic() + 120
        while len(_lines(first)) < 40:
            assert victim.poll() is None, (tmp_path / "first.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the first run never delivered 40 articles"
            time.sleep(0.02)
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait() == -signal.SIGKILL
        again = _start(args_for(base, "prmn"), tmp_path / "second.log", feed=second, settings=settings)
        assert again.wait(timeout=180) == 0
    log = (tmp_path / "second.log").read_text()
    before, after = _lines(first), _lines(second)
    assert 40 <= len(before) < len(wanted(expected["prmn"])), "killed half-way"
    assert "did not stop cleanly" in log, "Scrapy's own queue was reset; the journal resumed"
    delivered = paths_of(before + after)
    twice = [path for path, n in delivered.items() if n > 1]
    # The one gap: a kill between an article's line reaching the file and the journal noting it
    # delivers that article again; it can only be the first run's last line.
    assert twice in ([], [urlsplit(before[-1]["url"]).path]), twice
    assert set(delivered) == wanted(expected["prmn"])
    assert "backfill 2024-01-01..2024-03-30: 90/90 days, 126 articles, finished" in log, "the summary counts both runs"


class GatedSite(SiteHandler):
    """Answers no page of the dated index until both crawl processes (told apart by their User-Agent) asked for one.

    So each process is sure to hold a day of the shared queue, however late the other one started.
    """

    asked: ClassVar[set[str]] = set()
    both = threading.Event()

    def _respond(self, *, body: bool) -> None:
        if self.path.startswith("/search/"):
            self.asked.add(self.headers.get("User-Agent", ""))
            if len(self.asked) >= 2:
                self.both.set()
            self.both.wait(timeout=60)
        super()._respond(body=body)


def test_with_the_s3_feed_a_killed_backfill_resumes_with_no_gap(
    sites: tuple[Path, dict[str, dict[str, str]]], s3: S3Server, tmp_path: Path,
) -> None:
    root, expected = sites
    s3.create_bucket("backfill")
    settings = {"JOBDIR": str(tmp_path / "job"), "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"),
                "NEWSCRAWL_SPOOL_DIR": str(tmp_path / "spool"), "NEWSCRAWL_S3_URI": "s3://backfill/kabar",
                "NEWSCRAWL_FEED_GROUP": "detik", "NEWSCRAWL_BATCH_ITEMS": "5"}
    with slow_serving(root / "detik", 0.02) as base:
        victim = _start(args_for(base, "detik"), tmp_path / "first.log", feed=None, settings=settings, env=s3.env())
        wait_until(lambda: len(s3.articles("backfill")) >= 30, 120, "the first run to upload 30 articles", 0.05)
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait() == -signal.SIGKILL
        before = len(s3.articles("backfill"))
        again = _start(args_for(base, "detik"), tmp_path / "second.log", feed=None, settings=settings, env=s3.env())
        assert again.wait(timeout=180) == 0, (tmp_path / "second.log").read_text()[-3000:]
    journal = (tmp_path / "job" / "backfill.journal").read_text()
    assert journal.count("\ndelivered\t") >= before, "the committed batches are in the journal"
    # A batch is committed (to the crawl state and the journal) before it is uploaded: no article twice.
    check_exactly(s3.articles("backfill"), expected["detik"])


def test_two_processes_in_cluster_mode_share_the_days_and_deliver_each_article_once(
    sites: tuple[Path, dict[str, dict[str, str]]], redis_server: RedisServer, tmp_path: Path,
) -> None:
    root, expected = sites
    group = redis_server.fresh_group("backfill")
    settings = {"NEWSCRAWL_CLUSTER": redis_server.url, "NEWSCRAWL_CLUSTER_GROUP": group, "NEWSCRAWL_CLUSTER_LEASE": "3"}
    feeds = [tmp_path / f"p{n}.jsonl" for n in range(2)]
    stats = [tmp_path / f"p{n}.json" for n in range(2)]
    with serving_with(GatedSite, root / "kompas") as base:
        processes = [_start(args_for(base, "kompas"), tmp_path / f"p{n}.log", feed=feeds[n], settings={
            **settings, "NEWSCRAWL_STATS_FILE": str(stats[n]), "USER_AGENT": f"newscrawl-test-process-{n}",
        }) for n in range(2)]
        codes = [p.wait(timeout=180) for p in processes]
    assert codes == [0, 0], [(tmp_path / f"p{n}.log").read_text()[-2000:] for n in range(2)]
    assert GatedSite.both.is_set()
    check_exactly(_lines(feeds[0]) + _lines(feeds[1]), expected["kompas"])
    read = [json.loads(s.read_text())["stats"] for s in stats]
    assert all(r.get("newscrawl/backfill/archive_pages") for r in read), "both processes read days of the index"
    walked = [r.get("newscrawl/backfill/portal_days_walked", 0) for r in read]
    assert sum(walked) == 90, f"every day walked once, by one process or the other: {walked}"


def test_a_jobdir_of_another_backfill_is_refused(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    jobdir.mkdir()
    (jobdir / "backfill.journal").write_text("open\t2023-01-01..2023-12-31 portals=1:000000000000\n")
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", "start_urls=http://127.0.0.1:9/",
         "-a", f"since={SINCE}", "-a", f"until={UNTIL}", "-s", f"JOBDIR={jobdir}"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: JOBDIR {jobdir} holds another backfill (2023-01-01..2023-12-31")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_on_scrapyd_with_jobs_dir_a_killed_backfill_resumes_under_its_job_id(
    sites: tuple[Path, dict[str, dict[str, str]]], tmp_path: Path,
) -> None:
    root, expected = sites
    feeds = tmp_path / "feeds"
    # Scrapyd gives each job JOBDIR=<jobs_dir>/<project>/<spider>/<job id>; jobs write their feeds here.
    env = {"NEWSCRAWL_FEED_URI": f"{feeds}/%(time)s.jsonl", "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite")}
    conf = f"jobs_dir = {tmp_path / 'jobs'}\n"
    with scrapyd_server(tmp_path / "scrapyd", env=env, conf=conf) as node, slow_serving(root / "tribun", 0.02) as base:
        assert deploy(project_copy(tmp_path / "project", node.url)).returncode == 0
        job = {"project": "newscrawl", "spider": "kabar", "jobid": "backfill-tribun",
               "setting": "AUTOTHROTTLE_ENABLED=False", **args_for(base, "tribun")}

        def written() -> list[dict[str, Any]]:
            return [item for feed in sorted(feeds.glob("*.jsonl")) for item in _lines(feed)]

        def finished() -> int:
            return sum(j["id"] == job["jobid"] for j in node.api("listjobs.json")["finished"])

        node.api("schedule.json", job, post=True)
        wait_until(lambda: len(written()) >= 40, 120, "the first job to deliver 40 articles", 0.02)
        node.api("cancel.json", {"project": "newscrawl", "job": job["jobid"], "signal": "KILL"}, post=True)
        wait_until(lambda: finished() == 1, 60, "the killed job to end", 0.1)
        before = written()
        node.api("schedule.json", job, post=True)
        wait_until(lambda: finished() == 2, 180, "the job started again to finish", 0.2)
    log = node.job_log(job["jobid"])
    assert (tmp_path / "jobs" / "newscrawl" / "kabar" / job["jobid"] / "backfill.journal").exists()
    assert "did not stop cleanly" in log, log[-3000:]
    everything = written()
    delivered = paths_of(everything)
    twice = [path for path, n in delivered.items() if n > 1]
    assert twice in ([], [urlsplit(before[-1]["url"]).path]), twice
    assert set(delivered) == wanted(expected["tribun"])
    assert len(before) < len(everything), "the second job delivered the rest"
