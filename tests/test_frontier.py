"""The cluster frontier on its own: `Frontier` driven directly against a real redis-server, no Scrapy.

Workers are plain names and requests plain bytes. A lease of 1 ms lapses after a short sleep; a
reap then decides the death. tests/test_cluster.py checks the same operations inside real crawls.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from newscrawl.ops.cluster.frontier import FINISHED_RUN_TTL, Frontier
from tests.conftest import REPO

if TYPE_CHECKING:
    from tests.redis_server import RedisServer

LONG = 60_000  # ms: a lease that does not lapse during a test


@pytest.fixture
def frontier(redis_server: RedisServer) -> Frontier:
    return Frontier(redis_server.client(), redis_server.fresh_group("frontier"))


def keys(frontier: Frontier) -> set[str]:
    """The group's keys, without its common prefix."""
    prefix = frontier.prefix + ":"
    return {key.decode()[len(prefix):] for key in frontier.client.scan_iter(match=prefix + "*")}


def lapse(frontier: Frontier, *workers: str) -> None:
    """Let the workers' 1 ms leases expire, and reap them."""
    time.sleep(0.01)
    assert set(frontier.reap().dead) == set(workers)


def pushed(frontier: Frontier, *blobs: bytes, priority: int = 0) -> None:
    for blob in blobs:
        assert frontier.push(blob, blob, priority)


def test_it_imports_neither_scrapy_nor_a_redis_client_of_the_project() -> None:
    code = (
        "import sys, newscrawl.ops.cluster.frontier\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'scrapy_redis', 'twisted')"
        " or m.startswith('newscrawl.delivery')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_a_worker_pops_at_most_its_share_of_the_queue(frontier: Frontier) -> None:
    frontier.join("a", LONG)
    frontier.join("b", LONG)
    pushed(frontier, *(b"r%d" % n for n in range(8)))
    assert [blob for _, blob in frontier.pop("a", LONG, 10) or []] == [b"r0", b"r1", b"r2", b"r3"], "8 / 2 workers"
    assert len(frontier.pop("b", LONG, 10) or []) == 2, "4 left / 2 workers"
    assert len(frontier.pop("a", LONG, 10) or []) == 1
    assert len(frontier.pop("b", LONG, 10) or []) == 1, "never less than one"
    assert frontier.size() == 0
    assert frontier.pop("a", LONG, 10) == [], "an empty queue is not an eviction"


def test_a_lease_renewed_in_time_holds_and_a_lapsed_one_is_reaped_for_good(frontier: Frontier) -> None:
    frontier.join("a", 1)
    assert frontier.renew("a", LONG)
    time.sleep(0.01)
    assert frontier.reap().dead == (), "renewed: alive"
    assert frontier.renew("a", 1)
    lapse(frontier, "a")
    assert not frontier.renew("a", LONG), "a reaped worker is told so"
    assert not frontier.settle("a", LONG, acked=["x"])
    assert frontier.pop("a", LONG) is None
    assert frontier.seed("a") == "evicted"
    assert frontier.claim("a", b"article") == -1
    assert frontier.reap().dead == (), "reaped once"


def test_a_reaped_workers_unacknowledged_requests_go_back_with_their_priority(frontier: Frontier) -> None:
    frontier.join("a", 1)
    pushed(frontier, b"low")
    pushed(frontier, b"high", priority=5)
    pushed(frontier, b"acked", priority=9)
    pushed(frontier, b"fourth", priority=-1)
    held = {blob: rid for rid, blob in frontier.pop("a", 1, 3) or []}
    assert set(held) == {b"acked", b"high", b"low"}
    frontier.join("b", LONG)
    assert frontier.settle("a", 1, completed=[held[b"high"]], acked=[held[b"acked"]])
    time.sleep(0.01)
    reaped = frontier.reap()
    assert (reaped.requeued, reaped.dead) == (2, ("a",)), "in flight and completed-not-durable, not acknowledged"
    assert [blob for _, blob in frontier.pop("b", LONG, 3) or []] == [b"high", b"low", b"fourth"]
    assert not frontier.client.hexists(frontier.blobs, held[b"acked"]), "an acknowledged request is forgotten"


def test_claims_are_exclusive_releasable_by_their_holder_and_final_once_committed(frontier: Frontier) -> None:
    for worker in ("a", "b", "c"):
        frontier.join(worker, LONG)
    assert frontier.claim("a", b"one") == 1
    assert frontier.claim("b", b"one") == 0
    frontier.release("b", b"one")
    assert frontier.claim("c", b"one") == 0, "only the holder releases a claim"
    frontier.release("a", b"one")
    assert frontier.claim("b", b"one") == 1, "released: free for another"
    assert frontier.settle("b", LONG, committed=[b"one"])
    assert frontier.client.hget(frontier.claims, b"one") == b"", "committed: held by nobody, taken for good"
    frontier.release("b", b"one")
    assert frontier.claim("a", b"one") == 0, "a committed claim cannot be released"


def test_a_seeder_that_leaves_frees_the_flag_and_only_the_holder_marks_it_done(frontier: Frontier) -> None:
    frontier.join("a", LONG)
    frontier.join("b", LONG)
    assert frontier.seed("a") == "mine"
    assert frontier.seed("a") == "mine", "asking again keeps it"
    assert not frontier.seeded("b")
    assert frontier.leave("a") == ("left", 0)
    assert frontier.seed("b") == "mine"
    assert frontier.seeded("b")
    assert frontier.seed("b") == "done"


def test_the_crawl_is_finished_once_seeded_with_nothing_queued_or_in_flight(frontier: Frontier) -> None:
    frontier.join("a", LONG)
    assert not frontier.finished(), "not seeded yet"
    assert frontier.seed("a") == "mine"
    pushed(frontier, b"start")
    frontier.seeded("a")
    assert not frontier.finished(), "queued"
    ((rid, _),) = frontier.pop("a", LONG) or []
    assert not frontier.finished(), "in flight"
    frontier.settle("a", LONG, acked=[rid])
    assert frontier.finished()


def test_the_last_worker_out_deletes_the_frontier_and_remembers_the_run(frontier: Frontier) -> None:
    frontier.join("a", LONG, run="r1")
    frontier.seed("a")
    pushed(frontier, b"start")
    frontier.seeded("a")
    ((rid, _),) = frontier.pop("a", LONG) or []
    frontier.settle("a", LONG, acked=[rid])
    assert frontier.claim("a", b"article") == 1
    assert keys(frontier) >= {"w", "s", "n", "f", "a", "t:a"}
    assert frontier.leave("a", run="r1") == ("cleaned", 0)
    assert keys(frontier) == {"last"}, "every key of the group shares its hash tag, and is gone"
    assert 0 < frontier.client.ttl(frontier.last) <= FINISHED_RUN_TTL


def test_a_finished_frontier_whose_workers_all_died_is_cleaned_by_the_next_to_join(frontier: Frontier) -> None:
    frontier.join("a", 1)
    frontier.seed("a")
    pushed(frontier, b"start")
    frontier.seeded("a")
    ((rid, _),) = frontier.pop("a", 1) or []
    frontier.settle("a", 1, acked=[rid])
    lapse(frontier, "a")
    assert "f" in keys(frontier), "nobody left it: the seen set stays"
    assert frontier.join("b", LONG) == "joined"
    assert keys(frontier) == {"w"}
    assert frontier.seed("b") == "mine", "a new crawl"
    assert frontier.push(b"start", b"start", 0), "with a new duplicate filter"


# --- S3 batches under a worker's lease (newscrawl/ops/cluster/batches.py) ----------------------------


def leased(frontier: Frontier, worker: str, lease_ms: int, article: bytes, uri: str = "s3://b/k-00001.jsonl") -> str:
    """`worker` fetched one request, claimed its article and sealed it in a batch it holds; the request's id."""
    if frontier.seed(worker) == "mine":
        frontier.seeded(worker)
    pushed(frontier, b"page")
    ((rid, _),) = frontier.pop(worker, lease_ms) or []
    assert frontier.claim(worker, article) == 1
    assert frontier.lease_batch(worker, lease_ms, uri, b"[articles]")
    assert frontier.settle(worker, lease_ms, completed=[rid]), "done by the engine, its article not yet in S3"
    return rid


def test_a_batch_is_held_until_uploaded_and_keeps_the_others_from_finishing_meanwhile(frontier: Frontier) -> None:
    frontier.join("a", LONG)
    frontier.join("b", LONG)
    rid = leased(frontier, "a", LONG, b"article")
    assert frontier.holds("a", "s3://b/k-00001.jsonl"), "the fence lets its own worker upload it"
    assert not frontier.holds("b", "s3://b/k-00001.jsonl")
    assert frontier.claim("b", b"article") == 0, "the article is a's while its batch is held"
    assert not frontier.finished("b"), "a may still die with it: its articles would come back"
    assert frontier.finished("a"), "a's own batch does not keep a from finishing (it uploads it at the end)"
    frontier.settle("a", LONG, committed=[b"article"], acked=[rid])
    frontier.unlease("a", "s3://b/k-00001.jsonl")
    assert frontier.finished("b")
    assert "p:a" not in keys(frontier)


@pytest.mark.parametrize("stored", [False, True])
def test_a_dead_workers_batch_is_resolved_by_what_s3_has(frontier: Frontier, stored: bool) -> None:
    frontier.join("a", 1)
    frontier.join("b", LONG)
    leased(frontier, "a", 1, b"article")
    time.sleep(0.01)
    reaped = frontier.reap()
    assert (reaped.dead, reaped.requeued, reaped.resolving) == (("a",), 0, 1), "its work waits for its batch"
    assert not frontier.holds("a", "s3://b/k-00001.jsonl"), "the fence: a reaped worker uploads nothing"
    assert not frontier.lease_batch("a", 1, "s3://b/k-00002.jsonl", b"[]"), "nor holds a new batch"
    assert not frontier.finished("b"), "a's requests may come back"
    assert frontier.departed() == {"a": {"s3://b/k-00001.jsonl": b"[articles]"}}
    assert frontier.resolve("a", "s3://b/k-00001.jsonl", stored=stored, digests=[b"article"]) == 1
    assert frontier.departed() == {}
    assert [blob for _, blob in frontier.pop("b", LONG) or []] == [b"page"], "its request goes back either way"
    if stored:
        assert frontier.claim("b", b"article") == 0, "in S3: delivered, its claim final"
    else:
        assert frontier.claim("b", b"article") == 1, "not in S3: free for a survivor to emit again"
    assert keys(frontier) & {"z", "p:a", "i:a", "c:a", "t:a"} == set()


def test_a_worker_leaving_with_a_batch_keeps_the_frontier_until_it_is_resolved(frontier: Frontier) -> None:
    frontier.join("a", LONG)
    frontier.join("b", LONG)
    rid = leased(frontier, "a", LONG, b"article")
    assert frontier.leave("a") == ("resolving", 0)
    assert not frontier.finished("b")
    assert frontier.resolve("a", "s3://b/k-00001.jsonl", stored=False, digests=[b"article"]) == 1
    assert frontier.resolve("a", "s3://b/k-00001.jsonl", stored=False) == -1, "resolved once"
    ((again, _),) = frontier.pop("b", LONG) or []
    assert again == rid
    assert frontier.claim("b", b"article") == 1
    frontier.settle("b", LONG, committed=[b"article"], acked=[again])
    assert frontier.finished("b")
    assert frontier.leave("b") == ("cleaned", 0)
    assert keys(frontier) == set()


def test_a_reaped_worker_whose_upload_landed_after_all_gives_its_work_back_once(frontier: Frontier) -> None:
    frontier.join("a", 1)
    frontier.join("b", LONG)
    leased(frontier, "a", 1, b"article")
    time.sleep(0.01)
    assert frontier.reap().resolving == 1
    frontier.unlease("a", "s3://b/k-00001.jsonl")  # a's own commit, arriving late
    assert frontier.departed() == {}
    assert frontier.pop("b", LONG), "its request went back with its last batch"
    assert keys(frontier) & {"z", "p:a", "c:a"} == set()
