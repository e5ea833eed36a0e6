"""One process's part in a cluster group: its lease and heartbeat, the requests it holds, its article claims.

What it is for
    One `Worker` per crawler (``Worker.of(crawler)``), shared by the scheduler, the seeding
    middleware and the claim pipeline. It joins the group's `Frontier` when the crawl opens,
    leases requests a few at a time, and every `TICK` tells Redis which requests the engine has
    finished and which of those produced only durably written articles (those are forgotten; the
    others stay, to be redone if this process dies). A thread (`_Heartbeat`) renews its lease, so
    that a busy event loop is not taken for a death; an event loop stuck for `STALL` is. It reaps
    dead peers (and has the S3 batches they left resolved, batches.py), notices the end of the
    group's crawl, and leaves the group at engine stop.

What it must never do
    Acknowledge a request before the articles it produced are durable, keep crawling once it was
    reaped (it stops its crawl), or log the Redis password.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

import redis
from scrapy import signals

from newscrawl.compat import engine_in_progress, engine_problem, engine_wake, flush_feed_files
from newscrawl.component import PerCrawler
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.delivery.feeds import set_batch_lease, set_key_mark
from newscrawl.delivery.state import key_digest
from newscrawl.delivery.state.ledger import Ledger, versions_delivered
from newscrawl.delivery.state.redis import redis_client
from newscrawl.ops.cluster.addon import ClusterConfigError, group_name
from newscrawl.ops.cluster.batches import BatchLeases
from newscrawl.ops.cluster.frontier import Frontier

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# A lease is renewed by a thread, so that a busy event loop (a slow page, an import) is not taken
# for a death; but not for an event loop that has not turned for this long: that process is stuck.
STALL = 300.0
# How often a process settles its requests with Redis, and looks for work when the queue ran dry.
TICK = 0.1
# How often it looks for dead processes to reap.
REAP_EVERY = 1.0
# Requests leased per round trip (at most a fair share of the queue).
POP_BATCH = 4


class Worker(PerCrawler):
    """One process's part in the cluster: its lease, what it holds in flight, its article claims.

    Shared by the scheduler, the seeding middleware and the claim pipeline (one per crawler).
    """

    def __init__(self, crawler: Crawler) -> None:
        config = Config.of(crawler)
        super().__init__(crawler)
        assert crawler.stats is not None  # noqa: S101 - a running crawler always has stats
        self.stats = crawler.stats
        self.url = config.cluster
        client, self.location, _ = redis_client(self.url)
        self.client = client
        self.frontier = Frontier(client, group_name(config, CrawlContext.of(crawler)))
        self.mark = secrets.token_hex(3)  # tells this process's S3 keys from its peers'
        set_key_mark(crawler, self.mark)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{self.mark}"
        self.lease_ms = int(1000 * (config.cluster_lease or Config().cluster_lease))  # 0: the default lease
        self.run = config.cluster_run
        self.ledger = Ledger.of(crawler) if config.state else None
        # The S3 feed's batches are held by this process's lease until S3 has them (batches.py).
        self.batches = BatchLeases(self) if config.s3_uri else None
        if self.batches is not None:
            set_batch_lease(crawler, self.batches)
        self._resolution: asyncio.Task[None] | None = None
        self._warned_no_s3 = False
        # Requests given to the engine, by id; requests done but whose articles are not durable yet.
        self.handed: dict[Request, str] = {}
        self.ready: deque[tuple[str, bytes]] = deque()  # leased, not yet given to the engine
        self.waiting: list[tuple[str, int]] = []  # (id, articles written when it completed)
        self.moved: list[str] = []  # completed ids not yet reported as such
        # Articles: claims this process holds tentatively (digest -> written sequence, 0 = not written).
        self.tentative: dict[bytes, int] = {}
        self.durable: list[bytes] = []  # claimed articles durably written, not yet confirmed in Redis
        self.writes = 0  # articles handed to the feeds so far
        self.joined = False
        self.finished = False
        self.evicted = False
        self.starved = False
        self.last_tick = time.monotonic()
        self._reaped = 0.0
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: _Heartbeat | None = None
        crawler.signals.connect(self.close, signal=signals.engine_stopped)
        crawler.signals.connect(self._delivered, signal=versions_delivered)


    def count(self, key: str, n: int = 1) -> None:
        """Count ``newscrawl/<key>``."""
        self.stats.inc_value(f"newscrawl/{key}", n)

    # --- life cycle --------------------------------------------------------------------------------

    def open(self) -> None:
        """Join the group's frontier and start settling with Redis every `TICK`."""
        broken = engine_problem(self.crawler)
        if broken:
            raise ClusterConfigError(f"cluster mode: {broken}")
        try:
            self.frontier.reap()
            outcome = self.frontier.join(self.name, self.lease_ms, self.run)
        except redis.RedisError as exc:
            raise ClusterConfigError(f"cluster mode: cannot reach Redis at {self.location} ({exc})") from None
        self.joined = True
        if outcome == "finished":
            logger.info("cluster: run %s of group %s already finished; nothing to do", self.run, self.frontier.group)
            self.finished = True
            return
        waiting = self.frontier.size()
        logger.info("cluster: joined group %s on %s as %s (lease %gs, %d requests queued)",
                    self.frontier.group, self.location, self.name, self.lease_ms / 1000, waiting)
        self._task = asyncio.get_running_loop().create_task(self._loop())
        self._heartbeat = _Heartbeat(self)
        self._heartbeat.start()

    async def _loop(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(TICK)
            try:
                self.tick()
            except redis.RedisError as exc:
                self.count("errors/cluster_redis")
                if not failing:
                    logger.warning("cluster: Redis at %s failed (%s); retrying every %gs", self.location, exc, TICK)
                failing = True
            except Exception:
                # A bug here must not silently stop the settling: say it, and go on.
                self.count("errors/cluster_tick")
                logger.exception("cluster: settling with Redis failed")
            else:
                if failing:
                    logger.info("cluster: Redis at %s answers again", self.location)
                failing = False

    def tick(self) -> None:
        """Settle finished requests; reap the dead; wake a starved engine; notice the end of the crawl."""
        self.last_tick = time.monotonic()
        if self.evicted or not self.joined:
            return
        if self._heartbeat is not None and self._heartbeat.reaped:
            self.evict()
            return
        self.settle()
        now = time.monotonic()
        if now - self._reaped >= REAP_EVERY:
            self._reaped = now
            reaped = self.frontier.reap()
            if reaped.dead:
                self.count("cluster/requeued_from_dead", reaped.requeued)
                logger.warning("cluster: %s stopped renewing its lease; %d of its requests went back to the queue",
                               ", ".join(reaped.dead), reaped.requeued)
                self.starved = True
            if reaped.resolving:
                self._resolve()
        if self.starved:
            self.starved = False
            if not (self.handed or self.ready or self.finished) and self.frontier.finished(self.name):
                self.finished = True
                logger.info("cluster: group %s has nothing queued or in flight; this process ends",
                            self.frontier.group)
            engine_wake(self.crawler)

    def _resolve(self) -> None:
        """Settle the S3 batches of processes that died or left with them (one round at a time)."""
        if self.batches is None:
            if not self._warned_no_s3:
                self._warned_no_s3 = True
                logger.warning("cluster: a process of group %s left S3 batches to resolve, and this one has no S3 "
                               "feed to ask S3 with", self.frontier.group)
            return
        if self._resolution is None or self._resolution.done():
            self._resolution = asyncio.get_running_loop().create_task(self.batches.resolve())

    def settle(self, *, final: bool = False) -> None:
        """Tell Redis which requests the engine finished, which of those can be forgotten, and renew the lease.

        Local bookkeeping changes only once Redis has taken it (a failed call is repeated next tick).
        """
        self.confirm()
        in_progress = set() if final else engine_in_progress(self.crawler)
        for request in [r for r in self.handed if r not in in_progress]:
            rid = self.handed.pop(request)
            self.waiting.append((rid, self.writes))
            self.moved.append(rid)
        durable = self.durable_upto()
        acked = {rid for rid, needed in self.waiting if needed <= durable}
        completed = [rid for rid in self.moved if rid not in acked]
        if not (acked or completed):
            return
        if not self.frontier.settle(self.name, self.lease_ms, completed=completed, acked=acked):
            self.evict()
            return
        self.waiting = [(rid, needed) for rid, needed in self.waiting if rid not in acked]
        self.moved = []
        self.count("cluster/acknowledged", len(acked))

    def durable_upto(self) -> int:
        """The sequence number up to which every written article is durable."""
        pending = [seq for seq in self.tentative.values() if seq]
        return min(pending) - 1 if pending else self.writes

    def evict(self) -> None:
        """Stop the crawl of a process that lost its lease (it was reaped): its work is the others' now."""
        if self.evicted:
            return
        self.evicted = True
        self.finished = True
        self.count("errors/cluster_evicted")
        logger.error("cluster: this process's lease expired and its work went to others; stopping it")
        engine = self.crawler.engine
        if engine is not None:
            asyncio.get_running_loop().create_task(engine.close_spider_async(reason="cluster_evicted"))

    def close(self) -> None:
        """At engine stop (after the feeds are stored): settle everything, then leave the group."""
        if self._task is not None:
            self._task.cancel()
        if self._heartbeat is not None:
            self._heartbeat.stop()
        if not self.joined or self.evicted:
            return
        self.joined = False
        try:
            self.settle(final=True)
            outcome, requeued = self.frontier.leave(self.name, self.run)
        except redis.RedisError as exc:
            logger.warning("cluster: could not leave group %s cleanly (%s); its lease will expire",
                           self.frontier.group, exc)
            return
        if requeued:
            logger.info("cluster: %d requests this process did not finish went back to the queue", requeued)
        if outcome == "resolving":
            logger.warning("cluster: this process leaves S3 batches it could not upload; another process asks S3 "
                           "whether they arrived, and gives their articles back to the cluster if not")
        if outcome == "cleaned":
            logger.info("cluster: the crawl of group %s is over; its frontier was deleted", self.frontier.group)
        self.client.close()

    # --- requests ------------------------------------------------------------------------------------

    def pop(self) -> tuple[str, bytes] | None:
        """One request from the shared queue, leased to this process; None if there is none.

        Requests are leased a few at a time (`POP_BATCH`, one round trip) and kept in `ready`.
        """
        if self.ready:
            return self.ready.popleft()
        if self.finished:
            return None
        got = self.frontier.pop(self.name, self.lease_ms, POP_BATCH)
        if got is None:
            self.evict()
            return None
        if not got:
            self.starved = True
            return None
        self.ready.extend(got[1:])
        return got[0]

    # --- seeding -------------------------------------------------------------------------------------

    def seed_role(self) -> str:
        """"mine", "other", "done" or "evicted" (see `Frontier.seed`)."""
        if self.finished:
            return "done"
        role = self.frontier.seed(self.name)
        if role == "evicted":
            self.evict()
        return role

    def seeded(self, count: int) -> None:
        """All start requests are queued."""
        if self.frontier.seeded(self.name):
            logger.info("cluster: seeded group %s with %d start requests", self.frontier.group, count)

    # --- articles ------------------------------------------------------------------------------------

    def claim(self, digest: bytes) -> int:
        """Claim an article for this process (see `Frontier.claim`)."""
        verdict = self.frontier.claim(self.name, digest)
        if verdict > 0:
            self.tentative[digest] = 0
        elif verdict < 0:
            self.evict()
        return verdict

    def release(self, digest: bytes) -> None:
        """The claimed article was dropped after all: let another process deliver it."""
        if self.tentative.pop(digest, None) is not None:
            self.frontier.release(self.name, digest)

    def written(self, digest: bytes) -> None:
        """The claimed article was handed to the feeds: confirm its claim now if that made it durable."""
        if digest not in self.tentative:
            return
        flush_feed_files(self.crawler)
        self.writes += 1
        self.tentative[digest] = self.writes
        if self.ledger is None or not self.ledger.transactional:
            self.durable.append(digest)
            self.confirm()
        # A transactional feed: durable when its batch is committed (`_delivered`).

    def confirm(self) -> None:
        """Make the claims of durably written articles final (one round trip, as soon as they are durable).

        A Redis failure leaves them pending (the next tick tries again) and holds back the
        acknowledgement of the requests that produced them.
        """
        if not self.durable:
            return
        try:
            confirmed = self.frontier.settle(self.name, self.lease_ms, committed=self.durable)
        except redis.RedisError as exc:
            self.count("errors/cluster_redis")
            logger.warning("cluster: could not confirm %d article claims (%s); trying again", len(self.durable), exc)
            return
        if not confirmed:
            self.evict()
            return
        for digest in self.durable:
            self.tentative.pop(digest, None)
        self.durable = []

    def _delivered(self, versions: list[Any]) -> None:
        """A transactional feed committed a batch: its articles' claims become final."""
        self.durable.extend(d for d in (key_digest(v.key) for v in versions) if self.tentative.get(d))
        self.confirm()


class _Heartbeat(threading.Thread):
    """Renews the worker's lease every quarter lease, on its own connection, while the event loop turns."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(name="newscrawl-cluster-heartbeat", daemon=True)
        self.worker = worker
        client, _, _ = redis_client(worker.url)
        self.frontier = Frontier(client, worker.frontier.group)
        self.reaped = False
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Renew until stopped or reaped; a stuck event loop (`STALL`) is left to lapse."""
        worker = self.worker
        while not self._stop_event.wait(worker.lease_ms / 4000):
            if time.monotonic() - worker.last_tick > STALL:
                continue
            try:
                renewed = self.frontier.renew(worker.name, worker.lease_ms)
            except redis.RedisError:
                continue  # the event loop reports Redis failures; the lease may lapse meanwhile
            if not renewed:
                self.reaped = True
                return

    def stop(self) -> None:
        """End the thread (at engine stop)."""
        self._stop_event.set()
        self.join(timeout=5)
        self.frontier.client.close()
