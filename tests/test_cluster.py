"""Cluster mode, for real: several `scrapy crawl kabar` processes share one frontier on a real Redis.

The portal is the benchmark's generated PRMN portal (benchmarks/bench_site.py) with 500 articles,
about 30% of them over two or three pages, served from another process on 127.0.0.1. Three crawl
processes join one group on the session's redis-server; their JSONL feeds are compared with the
articles the portal serves: every article exactly once, whole (all its pages), in one feed.
One test SIGKILLs a process mid-crawl. The frontier's operations are also checked one by one.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.delivery.state.redis import redis_client
from newscrawl.ops.cluster.addon import ClusterAddon, ClusterConfigError, group_name
from newscrawl.ops.cluster.frontier import Frontier
from newscrawl.ops.schedule import ConfigError, Ran, Scheduler, ScheduleState, group_of, load_schedule
from newscrawl.spiders.kabar import KabarSpider
from tests.conftest import REPO
from tests.servers import SCRAPYD_PASSWORD, SCRAPYD_USER, free_port, wait_until

sys.path.insert(0, str(REPO / "benchmarks"))

from bench_site import Server, start_server

if TYPE_CHECKING:
    from collections.abc import Iterator

    import redis

    from tests.conftest import Deployed
    from tests.redis_server import RedisServer

ARTICLES = 500
# Fast and deterministic on a local server; a short lease so that a killed process is reaped soon.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "NEWSCRAWL_CLUSTER_LEASE": "3",
}


@pytest.fixture(scope="module")
def portal() -> Iterator[Server]:
    server = start_server(ARTICLES)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def small_portal() -> Iterator[Server]:
    """Enough for two Scrapyd jobs to share, and quicker."""
    server = start_server(200)
    try:
        yield server
    finally:
        server.stop()


def pages_of(server: Server) -> dict[str, int]:
    """Every article's URL and how many pages it has."""
    counts: Counter[str] = Counter(server.base + target.split("?")[0] for target in server.article_pages)
    return dict(counts)


@dataclass
class Process:
    """One crawl process of the cluster."""

    proc: subprocess.Popen[bytes]
    feed: Path
    stats_file: Path
    log: Path

    def items(self) -> list[dict[str, Any]]:
        """The articles written so far: whole lines only (a line may be half-way through its write())."""
        data = self.feed.read_bytes() if self.feed.exists() else b""
        if self.proc.poll() == 0:
            assert data.endswith(b"\n") or not data, f"{self.feed}: a finished crawl left a broken last line"
        return [json.loads(line) for line in data[: data.rfind(b"\n") + 1].splitlines()]

    def stats(self) -> dict[str, Any]:
        return json.loads(self.stats_file.read_text())["stats"] if self.stats_file.exists() else {}

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def start_cluster(tmp_path: Path, base: str, redis_url: str, count: int, **settings: str) -> list[Process]:
    processes = []
    for n in range(count):
        out = tmp_path / f"p{n}"
        out.mkdir()
        feed, stats_file, log = out / "feed.jsonl", out / "stats.json", out / "crawl.log"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={base}/", "-a", "network=prmn",
               "-O", str(feed)]
        every = {**FAST, "NEWSCRAWL_CLUSTER": redis_url, "NEWSCRAWL_STATS_FILE": str(stats_file),
                 "LOG_FILE": str(log), **settings}
        for key, value in every.items():
            cmd += ["-s", f"{key}={value}"]
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        processes.append(Process(proc, feed, stats_file, log))
    return processes


def wait_all(processes: list[Process], timeout: float = 240) -> list[int]:
    deadline = time.monotonic() + timeout
    codes = []
    for process in processes:
        try:
            codes.append(process.proc.wait(timeout=max(1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            process.proc.kill()
            codes.append(process.proc.wait())
    return codes


def group_keys(client: redis.Redis, group: str) -> list[bytes]:
    return list(client.scan_iter(match=f"newscrawl:{{{group}}}:*"))


def check_exactly_once(
    processes: list[Process], expected: dict[str, int], killed: Process | None = None,
) -> Counter[str]:
    delivered: Counter[str] = Counter()
    for process in processes:
        for item in process.items():
            delivered[item["url"]] += 1
            assert item["pages"] == expected.get(item["url"]), f"{item['url']}: a multi-page article came back whole"
            assert item["title"], item["url"]
    doubled = sorted(url for url, n in delivered.items() if n > 1)
    if killed is not None and doubled:
        # The one window cluster mode leaves open (newscrawl/ops/cluster/): killed between writing an
        # article's line and sending its claim's confirmation, the process leaves that article
        # unconfirmed, and another delivers it again. Only its last line can be in that state: every
        # earlier line was confirmed before the next article was written.
        last = killed.items()[-1]["url"]
        assert doubled == [last], f"doubled {doubled[:3]}; only the killed process's last line ({last}) may be"
        assert delivered[last] == 2
        doubled = []
    missing = sorted(set(expected) - set(delivered))
    assert not doubled, f"{len(doubled)} articles delivered twice, e.g. {doubled[:3]}"
    assert not missing, f"{len(missing)} articles never delivered, e.g. {missing[:3]}"
    assert set(delivered) == set(expected)
    return delivered


def test_three_processes_deliver_every_article_exactly_once(
    portal: Server, redis_server: RedisServer, tmp_path: Path,
) -> None:
    portal.counters.reset()
    processes = start_cluster(tmp_path, portal.base, redis_server.url, 3)
    codes = wait_all(processes)
    assert codes == [0, 0, 0], "\n".join(p.tail() for p in processes)
    expected = pages_of(portal)
    assert len(expected) == ARTICLES
    check_exactly_once(processes, expected)
    stats = [p.stats() for p in processes]
    assert [s["finish_reason"] for s in stats] == ["finished"] * 3
    # Every process did a share of the work, and no page was fetched twice across the cluster
    # (each process reads robots.txt once: the only page all three fetch).
    responses = [s["response_received_count"] for s in stats]
    assert min(responses) > 10, responses
    assert sum(responses) == portal.page_count + 2, responses
    assert portal.counters.not_found.value == 0
    # One process seeded the start URL; the last one out deleted the frontier.
    logs = [p.log.read_text(errors="replace") for p in processes]
    assert sum("cluster: seeded group" in log for log in logs) == 1
    group = next(log.split("joined group ")[1].split()[0] for log in logs)
    assert group.startswith("args-"), "identical command lines meet in one group by default"
    assert sum("its frontier was deleted" in log for log in logs) == 1
    assert group_keys(redis_server.client(), group) == []


def test_a_process_killed_mid_crawl_loses_nothing_and_doubles_nothing(
    portal: Server, redis_server: RedisServer, tmp_path: Path,
) -> None:
    group = redis_server.fresh_group("killed")
    processes = start_cluster(tmp_path, portal.base, redis_server.url, 3, NEWSCRAWL_CLUSTER_GROUP=group)
    victim = processes[1]
    deadline = time.monotonic() + 180
    while len(victim.items()) < 40:
        assert victim.proc.poll() is None, victim.tail()
        assert time.monotonic() < deadline, "the victim never delivered 40 articles"
        time.sleep(0.05)
    kill_holding(Frontier(redis_server.client(), group), victim.proc.pid)
    codes = wait_all(processes)
    assert codes == [0, -signal.SIGKILL, 0], "\n".join(p.tail() for p in processes)
    delivered = check_exactly_once(processes, pages_of(portal), killed=victim)
    by_victim = len(victim.items())
    assert 40 <= by_victim < len(delivered), "what the victim wrote before dying counts, once"
    survivors = [p.stats() for p in (processes[0], processes[2])]
    assert [s["finish_reason"] for s in survivors] == ["finished", "finished"]
    assert sum(s.get("newscrawl/cluster/requeued_from_dead", 0) for s in survivors) > 0
    assert group_keys(redis_server.client(), group) == []


# --- the frontier's operations, one by one ------------------------------------------------------


@pytest.fixture
def frontier(redis_server: RedisServer) -> Frontier:
    client, _, _ = redis_client(redis_server.url)
    return Frontier(client, redis_server.fresh_group("ops"))


def lapse(frontier: Frontier, *workers: str) -> None:
    """Let the workers' leases expire (they were given 1 ms)."""
    time.sleep(0.01)
    assert set(frontier.reap().dead) == set(workers)


def test_requests_are_filtered_once_and_popped_by_priority_then_in_order(frontier: Frontier) -> None:
    assert frontier.join("a", 60_000) == "joined"
    assert frontier.push(b"fp-1", b"first", 0)
    assert not frontier.push(b"fp-1", b"first again", 0), "the duplicate filter is shared"
    assert frontier.push(None, b"second", 0), "dont_filter requests are never filtered"
    assert frontier.push(None, b"second", 0)
    assert frontier.push(b"fp-2", b"urgent", 10)
    popped = [frontier.pop("a", 60_000) for _ in range(5)]
    assert [blob for got in popped for _, blob in got or []] == [b"urgent", b"first", b"second", b"second"]
    assert popped[-1] == []


def test_a_dead_workers_requests_and_tentative_claims_go_back(frontier: Frontier) -> None:
    frontier.join("a", 1)
    frontier.join("b", 60_000)
    frontier.push(b"fp", b"request", 0)
    ((rid, _),) = frontier.pop("a", 1) or []
    assert frontier.claim("a", b"article-1") == 1
    assert frontier.claim("a", b"article-2") == 1
    assert frontier.settle("a", 1, committed=[b"article-2"]), "article 2 was durably written"
    assert frontier.claim("b", b"article-1") == 0, "a claim is exclusive"
    lapse(frontier, "a")
    assert frontier.pop("b", 60_000) == [(rid, b"request")], "the dead worker's request is back"
    assert frontier.claim("b", b"article-1") == 1, "its tentative claim was released"
    assert frontier.claim("b", b"article-2") == 0, "its committed claim stays"
    assert frontier.claim("a", b"article-3") == -1, "a reaped worker is told so"
    assert frontier.pop("a", 60_000) is None


def test_completed_requests_wait_for_their_articles_but_do_not_hold_the_crawl(frontier: Frontier) -> None:
    frontier.join("a", 60_000)
    frontier.push(None, b"request", 0)
    ((rid, _),) = frontier.pop("a", 60_000) or []
    assert frontier.seed("a") == "mine"
    frontier.seeded("a")
    assert not frontier.finished(), "a request is in flight"
    frontier.settle("a", 60_000, completed=[rid])
    assert frontier.finished(), "completed, its articles not yet durable: nothing more will be fetched"
    frontier.settle("a", 60_000, acked=[rid])
    assert frontier.leave("a") == ("cleaned", 0)
    assert group_keys(frontier.client, frontier.group) == []


def test_one_worker_seeds_and_another_takes_over_if_it_dies(frontier: Frontier) -> None:
    frontier.join("a", 1)
    frontier.join("b", 60_000)
    assert frontier.seed("a") == "mine"
    assert frontier.seed("b") == "other"
    lapse(frontier, "a")
    assert frontier.seed("b") == "mine", "the dead seeder's flag is free"
    assert frontier.seeded("b")
    frontier.join("c", 60_000)
    assert frontier.seed("c") == "done"


def test_the_last_worker_out_cleans_up_and_a_late_one_of_the_same_run_does_nothing(frontier: Frontier) -> None:
    for worker in ("a", "b"):
        assert frontier.join(worker, 60_000, run="g.20240101T000000Z") == "joined"
    assert frontier.seed("a") == "mine"
    frontier.push(b"fp", b"request", 0)
    frontier.seeded("a")
    ((rid, _),) = frontier.pop("b", 60_000) or []
    assert frontier.leave("a", run="g.20240101T000000Z") == ("left", 0)
    assert frontier.leave("b", run="g.20240101T000000Z") == ("left", 1), "an unfinished request goes back"
    assert frontier.size() == 1, "the run is not over: its frontier stays for whoever comes next"
    frontier.join("c", 60_000, run="g.20240101T010000Z")
    ((rid, _),) = frontier.pop("c", 60_000) or []
    frontier.settle("c", 60_000, acked=[rid])
    assert frontier.finished()
    assert frontier.leave("c", run="g.20240101T010000Z") == ("cleaned", 0)
    assert frontier.join("late", 60_000, run="g.20240101T010000Z") == "finished"
    assert frontier.join("next", 60_000, run="g.20240101T020000Z") == "joined"
    assert frontier.seed("next") == "mine", "the next run starts afresh"


# --- configuration ----------------------------------------------------------------------------


def addon_settings(**values: str) -> Settings:
    settings = Settings({"ITEM_PIPELINES": {"newscrawl.delivery.pipelines.DedupPipeline": 500}, **values})
    ClusterAddon().update_settings(settings)
    return settings


def test_cluster_mode_is_one_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSCRAWL_CLUSTER", raising=False)
    monkeypatch.delenv("NEWSCRAWL_STATE", raising=False)
    assert addon_settings().get("SCHEDULER") != "newscrawl.ops.cluster.scheduler.ClusterScheduler"
    on = addon_settings(NEWSCRAWL_CLUSTER="redis://10.0.0.5:6379/0", NEWSCRAWL_STATE="redis://10.0.0.5:6379/0")
    assert on["SCHEDULER"] == "newscrawl.ops.cluster.scheduler.ClusterScheduler"
    assert on["DUPEFILTER_CLASS"] == "newscrawl.ops.cluster.scheduler.ClusterDupeFilter"
    assert on.getdict("ITEM_PIPELINES") == {
        "newscrawl.delivery.pipelines.DedupPipeline": 500, "newscrawl.ops.cluster.components.ClusterClaimPipeline": 800,
    }
    assert "newscrawl.ops.cluster.components.SeedMiddleware" in on.getdict("SPIDER_MIDDLEWARES")
    monkeypatch.setenv("NEWSCRAWL_CLUSTER", "redis://10.0.0.5:6379/0")
    assert addon_settings()["SCHEDULER"] == "newscrawl.ops.cluster.scheduler.ClusterScheduler", (
        "or one environment variable"
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"NEWSCRAWL_CLUSTER": "http://10.0.0.5/"}, "must be redis://host:port/db"),
        ({"NEWSCRAWL_CLUSTER": "redis://:secret@10.0.0.5/0"}, "put no password in the URL; set REDISCLI_AUTH"),
        ({"NEWSCRAWL_CLUSTER": "redis://h/0", "NEWSCRAWL_STATE": "/var/lib/state.sqlite"},
         "NEWSCRAWL_STATE must be redis://"),
        ({"NEWSCRAWL_CLUSTER": "redis://h/0", "NEWSCRAWL_S3_URI": "s3://b/k"}, "set NEWSCRAWL_STATE=redis://"),
    ],
)
def test_cluster_mistakes_get_one_clear_line(
    values: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NEWSCRAWL_CLUSTER", "NEWSCRAWL_STATE", "NEWSCRAWL_S3_URI"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ClusterConfigError) as caught:
        addon_settings(**values)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("arguments", "group"),
    [
        # The names deployed nodes' frontiers have (computed before cluster mode moved to newscrawl/ops/cluster/).
        ({"start_urls": "http://127.0.0.1:8123/", "network": "prmn"}, "args-6412e297cfc4"),
        ({"network": "prmn"}, "args-58d26002f4b3"),
        ({"portals": "riau.antaranews.com,aksarajabar.pikiran-rakyat.com"}, "args-508b4a0f0fbd"),
        ({}, "args-f32c88c37560"),
    ],
)
def test_processes_started_alike_meet_in_a_group_named_as_before(arguments: dict[str, str], group: str) -> None:
    crawler = get_crawler(KabarSpider)
    KabarSpider.from_crawler(crawler, **arguments)
    context = CrawlContext.of(crawler)
    assert group_name(Config(), context) == group
    assert group_name(Config(feed_group="daily"), context) == "daily", "a scheduled group's name"
    named = Config(cluster_group="{crawl}", feed_group="daily")
    assert group_name(named, context) == "(crawl)", "the cluster group first; no braces (Redis hash tags)"


# --- newscrawl schedule: a cluster group on real Scrapyd nodes -----------------------------------------

NODES = """
[[node]]
name = "a"
url = "http://127.0.0.1:6800"

[[node]]
name = "b"
url = "http://127.0.0.1:6801"
"""
CLUSTER_GROUP = """
[[group]]
name = "sulawesi"
network = "prmn"
interval = "1h"
cluster = true
"""


def load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return load_schedule(path)


def test_a_cluster_group_runs_on_every_node_with_the_shared_frontier_and_state(tmp_path: Path) -> None:
    schedule = load(tmp_path, 'cluster = "redis://10.0.0.5:6379/0"\n' + NODES + CLUSTER_GROUP)
    (group,) = schedule.groups
    assert (group.cluster, group.processes) == (True, 2), "one process per node unless told otherwise"
    assert group.settings["NEWSCRAWL_CLUSTER"] == group.settings["NEWSCRAWL_STATE"] == "redis://10.0.0.5:6379/0"
    assert group.settings["NEWSCRAWL_FEED_GROUP"] == "sulawesi", "the frontier's group is the schedule's"
    three = load(tmp_path, 'cluster = "redis://h:6379/0"\n' + NODES + CLUSTER_GROUP + "processes = 3\n")
    assert three.groups[0].processes == 3
    assert group_of("sulawesi.20240601T100000Z-3") == "sulawesi"
    assert group_of("sulawesi.20240601T100000Z-x") is None


def test_status_lists_every_job_of_a_cluster_group(tmp_path: Path) -> None:
    down = NODES.replace("6800", str(free_port())).replace("6801", str(free_port()))
    schedule = load(tmp_path, 'retries = 0\ncluster = "redis://h:6379/0"\n' + down + CLUSTER_GROUP)
    state = ScheduleState(schedule.state)
    state.groups["sulawesi"] = Ran(datetime.now(UTC), "a,b", "sulawesi.20240601T100000Z-1,sulawesi.20240601T100000Z-2")
    state.save()
    lines = Scheduler(schedule, say=lambda _: None).status()
    assert lines[-1].startswith("group sulawesi: job sulawesi.20240601T100000Z-1 on node a unknown (node down), "
                                "job sulawesi.20240601T100000Z-2 on node b unknown (node down); due in "), lines


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NODES + CLUSTER_GROUP, 'cluster = true needs the shared Redis at the top: cluster = "redis://'),
        (NODES + CLUSTER_GROUP.replace("cluster = true", "processes = 2"), "processes = 2 needs cluster = true"),
        ('cluster = "redis://h/0"\n' + NODES + CLUSTER_GROUP + "processes = 0\n", "processes must be a whole number"),
        ('cluster = "http://h/0"\n' + NODES + CLUSTER_GROUP, "cluster 'http://h/0' is not redis://host:port/db"),
        ('cluster = "redis://:pw@h/0"\n' + NODES + CLUSTER_GROUP, "put no password in cluster; give it to"),
        ('cluster = "redis://h/0"\n' + NODES + CLUSTER_GROUP + 'settings = { NEWSCRAWL_STATE = "/x.sqlite" }\n',
         "a cluster group shares its crawl state: NEWSCRAWL_STATE must be redis://"),
    ],
)
def test_cluster_schedule_mistakes_get_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert message in str(caught.value)
    assert "pw" not in str(caught.value)


def delivered_by(deployed: Deployed, bucket: str) -> Counter[str]:
    """Articles in S3: in cluster mode a batch left on a dead node's disk is never counted on (it is redone)."""
    return Counter(item["url"] for item in deployed.s3.articles(bucket))


def kill_holding(frontier: Frontier, pid: int, timeout: float = 60) -> None:
    """SIGKILL the crawl process `pid` while its worker holds requests leased from `frontier`.

    The process is stopped (SIGSTOP) and its leases looked at, after a moment for what it sent Redis
    to be done; it goes on (SIGCONT) until it holds some. Killed between two requests it would hold
    nothing, and the others could end the crawl before its lease lapsed, with nothing to take back.
    """
    deadline = time.monotonic() + timeout
    while True:
        os.kill(pid, signal.SIGSTOP)
        wait_until(lambda: _state(pid) in ("T", "t"), 10, f"process {pid} to stop", 0.01)
        time.sleep(0.2)  # the commands it had sent are answered
        workers = [w.decode() for w in frontier.client.zrange(frontier.workers, 0, -1)]
        mine = [w for w in workers if f":{pid}:" in w]
        if any(frontier.client.zcard(f"{frontier.prefix}:i:{w}") for w in mine):
            os.kill(pid, signal.SIGKILL)
            return
        os.kill(pid, signal.SIGCONT)
        assert time.monotonic() < deadline, f"process {pid} never held a leased request"
        time.sleep(0.05)


def _state(pid: int) -> str:
    """The state letter of process `pid` (/proc/<pid>/stat): "T" once stopped."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return stat.rsplit(")", 1)[1].split()[0]


def test_newscrawl_schedule_starts_a_cluster_on_both_nodes_and_a_dead_node_loses_nothing(
    deployed: Deployed, small_portal: Server, redis_server: RedisServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portal = small_portal
    monkeypatch.setenv("SCRAPYD_USERNAME", SCRAPYD_USER)
    monkeypatch.setenv("SCRAPYD_PASSWORD", SCRAPYD_PASSWORD)
    a, b = deployed.nodes
    bucket = "cluster-e2e"
    deployed.s3.create_bucket(bucket)
    name = redis_server.fresh_group("sched")
    nodes = "".join(f'[[node]]\nname = "{n}"\nurl = "{node.url}"\n'
                    'username_env = "SCRAPYD_USERNAME"\npassword_env = "SCRAPYD_PASSWORD"\n\n'
                    for n, node in zip("ab", deployed.nodes, strict=True))
    schedule = load(tmp_path, f"""
state = "{tmp_path / 'schedule-state.json'}"
retries = 1
backoff = "0.1s"
cluster = "{redis_server.url}"

[settings]
NEWSCRAWL_S3_URI = "s3://{bucket}/kabar"
NEWSCRAWL_STATE = "{redis_server.state_uri()}"
NEWSCRAWL_SPOOL_DIR = "{tmp_path / 'spool'}"
NEWSCRAWL_BATCH_ITEMS = 20
NEWSCRAWL_CLUSTER_LEASE = 3
AUTOTHROTTLE_ENABLED = false
CONCURRENT_REQUESTS_PER_DOMAIN = 16
# Paced, so that b still holds requests when it is killed and a outlives b's lease: on a fast
# machine an unpaced crawl of this portal can end before the lease lapses, with nothing to take back.
DOWNLOAD_DELAY = 0.02

{nodes}
[[group]]
name = "{name}"
start_urls = ["{portal.base}/"]
network = "prmn"
interval = "1h"
cluster = true
""")
    said: list[str] = []
    try:
        assert Scheduler(schedule, say=said.append).round() == 0, said
        line = next(s for s in said if s.startswith(f"started {name} "))
        jobs = dict(re.findall(rf"({re.escape(name)}\.\d{{8}}T\d{{6}}Z-\d) on node (\w)", line))
        assert sorted(jobs.values()) == ["a", "b"], line
        job_b = next(job for job, node in jobs.items() if node == "b")

        # Node b dies mid-job: its crawl process is killed once some articles reached S3.
        wait_until(lambda: len(deployed.s3.objects(bucket)) >= 2, 120, "articles in S3", 0.2)
        running = {job["id"]: job for job in b.api("listjobs.json")["running"]}
        assert job_b in running, "the job on b was still crawling"
        kill_holding(Frontier(redis_server.client(), name), int(running[job_b]["pid"]))
        job_a = next(job for job, node in jobs.items() if node == "a")
        for node, job in ((a, job_a), (b, job_b)):
            node.wait_finished(job, timeout=180)
        assert "stopped renewing its lease" in a.job_log(job_a), "a's job took b's requests back"
    finally:
        a.cancel_all()
        b.cancel_all()
    delivered = delivered_by(deployed, bucket)
    expected = pages_of(portal)
    assert not [u for u, n in delivered.items() if n > 1], "nothing doubled"
    assert set(delivered) == set(expected), f"{len(set(expected) - set(delivered))} articles lost"
