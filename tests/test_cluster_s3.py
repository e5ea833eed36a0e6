"""Cluster mode with the S3 feed: no article depends on one node's disk.

Three real `scrapy crawl kabar` processes share a frontier and a crawl state on the session's
redis-server and deliver to moto's S3 server through a proxy that answers slowly. The proxy holds
the first batch PUT it sees, so that the process that sent it is caught, deterministically, with a
batch sealed and not uploaded; that process is SIGKILLed, then the PUT is dropped:

- *lost*: the PUT never reached S3. A survivor reaps the dead process, asks S3 (HEAD) whether the
  batch arrived, finds it did not, and gives its articles back: the survivors emit them again.
- *stored*: the PUT reached S3 but its answer never came back. The survivor finds the object and
  commits the batch on the dead process's behalf: nobody emits those articles again.

Either way S3 holds every article exactly once when the survivors finish. Then the dead node's
disk "comes back": a new crawl runs with its spool directory, finds the dead process's batch held
by a lease that is gone, and deletes it instead of uploading it: still exactly once, and the
held batch was put at most once.

And S3 refusing every write until every article is in a refused batch: each process then waits
for the others' batches in doubt (none may end before they are uploaded) and has nothing left to
send that would trigger a retry; the batches are tried again while the crawl waits, and the crawl
ends with every article in S3 once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO
from tests.servers import s3_proxy, wait_until
from tests.test_cluster import FAST, Process, pages_of, wait_all

sys.path.insert(0, str(REPO / "benchmarks"))

from bench_site import Server, start_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.redis_server import RedisServer
    from tests.servers import S3Proxy, S3Server

ARTICLES = 120
# The S3 key of a batch: <group>/<time>-<the worker's mark>-<batch>.jsonl
_MARK = re.compile(r"-([0-9a-f]{6})-\d{5}\.jsonl$")


@pytest.fixture(scope="module")
def portal() -> Iterator[Server]:
    server = start_server(ARTICLES)
    try:
        yield server
    finally:
        server.stop()


def start(out: Path, base: str, proxy: S3Proxy, settings: dict[str, str]) -> Process:
    """One cluster process delivering to S3 through `proxy`, with its own spool (its node's disk)."""
    out.mkdir(parents=True, exist_ok=True)
    stats_file, log = out / "stats.json", out / "crawl.log"
    every = {**FAST, **settings, "NEWSCRAWL_SPOOL_DIR": str(out / "spool"), "NEWSCRAWL_STATS_FILE": str(stats_file),
             "LOG_FILE": str(log)}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={base}/", "-a", "network=prmn"]
    for key, value in every.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **proxy.env()},
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return Process(proc, out / "unused.jsonl", stats_file, log)


def sender_of(key: str, processes: list[Process]) -> Process:
    """The process whose worker mark is in the S3 key (its log says "joined group ... as host:pid:mark")."""
    mark = _MARK.search(key)
    assert mark, key
    return next(p for p in processes if f":{mark[1]} (lease" in p.log.read_text(errors="replace"))


def batch_files(spool: Path) -> list[Path]:
    return sorted(p for p in spool.rglob("*") if p.is_file() and ".locks" not in p.parts)


@pytest.mark.parametrize("store_held", [False, True], ids=["lost", "stored"])
def test_a_node_killed_with_a_batch_on_its_way_to_s3_loses_nothing_and_its_spool_doubles_nothing(
    portal: Server, redis_server: RedisServer, s3: S3Server, tmp_path: Path, store_held: bool,
) -> None:
    bucket = f"fenced-{'stored' if store_held else 'lost'}"
    s3.create_bucket(bucket)
    settings = {
        "NEWSCRAWL_CLUSTER": redis_server.url,
        "NEWSCRAWL_CLUSTER_GROUP": redis_server.fresh_group("fenced"),
        "NEWSCRAWL_STATE": redis_server.state_uri(),
        "NEWSCRAWL_S3_URI": f"s3://{bucket}/kabar",
        "NEWSCRAWL_BATCH_ITEMS": "10",
    }
    expected = pages_of(portal)
    with s3_proxy(s3.url, hold=True, store_held=store_held) as proxy:
        processes = [start(tmp_path / f"p{n}", portal.base, proxy, settings) for n in range(3)]
        try:
            assert proxy.held.wait(timeout=120), "no batch was ever sent to S3"
            victim = sender_of(proxy.held_key, processes)
            os.kill(victim.proc.pid, signal.SIGKILL)
            victim.proc.wait(timeout=30)
        finally:
            proxy.release.set()
        survivors = [p for p in processes if p is not victim]
        assert wait_all(survivors) == [0, 0], "\n".join(p.tail() for p in survivors)

        delivered = Counter(item["url"] for item in s3.articles(bucket))
        assert not [url for url, n in delivered.items() if n > 1], "no article twice in S3"
        assert set(delivered) == set(expected), f"{len(set(expected) - set(delivered))} articles missing from S3"
        stats = [p.stats() for p in survivors]
        resolved = "batches_committed_for_gone" if store_held else "batches_given_back"
        assert sum(s.get(f"newscrawl/cluster/{resolved}", 0) for s in stats) >= 1, stats
        held = proxy.held_key.split("/", 2)[2]
        assert (held in s3.objects(bucket)) is store_held
        left = [p for p in batch_files(tmp_path / victim.log.parent.name / "spool") if p.name.endswith(".lease")]
        assert left, "the dead node's disk holds the batch it was sending"
        before = s3.objects(bucket)

        # The dead node's disk comes back: a new crawl runs with its spool.
        comeback = start(tmp_path / victim.log.parent.name, portal.base, proxy, settings)
        assert wait_all([comeback]) == [0], comeback.tail()
        assert comeback.stats().get("newscrawl/warnings/lease_batch_dropped", 0) >= 1
        assert s3.objects(bucket) == before, "nothing uploaded again, nothing new"
        assert proxy.puts.count(proxy.held_key) == (1 if store_held else 0), "the held batch was put at most once"
        assert batch_files(tmp_path / victim.log.parent.name / "spool") == []
    group = settings["NEWSCRAWL_CLUSTER_GROUP"]
    assert list(redis_server.client().scan_iter(match=f"newscrawl:{{{group}}}:*")) == [], "the frontier is deleted"


@pytest.mark.parametrize("sent", [0, 7], ids=["headers only", "part of the body"])
def test_a_put_whose_sender_dies_before_its_body_is_whole_leaves_nothing_in_s3(s3: S3Server, sent: int) -> None:
    # What the kill test above relies on: a node killed while one of its PUTs is under way leaves
    # no object, as S3 leaves none; the proxy once stored what had arrived (an empty object) under
    # the checksum of the whole, which failed that test at random.
    bucket = f"cut-short-{sent}"
    s3.create_bucket(bucket)
    key = f"/{bucket}/kabar/node/batch-00001.jsonl"
    with s3_proxy(s3.url, delay=0) as proxy:
        port = int(proxy.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(
                f"PUT {key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 50\r\n"
                f"Expect: 100-continue\r\n\r\n".encode(),
            )
            assert client.recv(64).startswith(b"HTTP/1.1 100"), "the proxy asks for the body"
            client.sendall(b'{"url": "x"}'[:sent])
        wait_until(lambda: proxy.cut_short, 10, "the proxy to see the PUT cut short")
        assert proxy.cut_short == [key]
        assert proxy.puts == []
    assert s3.objects(bucket) == {}


def test_s3_refusing_writes_until_everything_is_fetched_delays_the_cluster_and_loses_nothing(
    portal: Server, redis_server: RedisServer, s3: S3Server, tmp_path: Path,
) -> None:
    bucket = "refused-writes"
    s3.create_bucket(bucket)
    settings = {
        "NEWSCRAWL_CLUSTER": redis_server.url,
        "NEWSCRAWL_CLUSTER_GROUP": redis_server.fresh_group("refused"),
        "NEWSCRAWL_STATE": redis_server.state_uri(),
        "NEWSCRAWL_S3_URI": f"s3://{bucket}/kabar",
        "NEWSCRAWL_BATCH_ITEMS": "10",
        "NEWSCRAWL_BATCH_SECONDS": "1",
        "NEWSCRAWL_S3_ATTEMPTS": "1",
    }
    expected = pages_of(portal)

    def all_refused() -> bool:
        with proxy.lock:
            bodies = list(proxy.refused.values())
        return {json.loads(line)["url"] for body in bodies for line in body.splitlines()} == set(expected)

    with s3_proxy(s3.url) as proxy:
        proxy.refuse_puts.set()
        processes = [start(tmp_path / f"p{n}", portal.base, proxy, settings) for n in range(2)]
        wait_until(all_refused, 120, "every article in a batch S3 refused")
        proxy.refuse_puts.clear()
        assert wait_all(processes) == [0, 0], "\n".join(p.tail() for p in processes)
    delivered = Counter(item["url"] for item in s3.articles(bucket))
    assert max(delivered.values()) == 1
    assert set(delivered) == set(expected)
    assert all(p.stats().get("newscrawl/warnings/s3_upload_failed", 0) >= 1 for p in processes)

