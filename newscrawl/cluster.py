"""Cluster mode: several `kabar` processes (on several Scrapyd nodes) share one frontier on Redis.

Switched on by one setting or environment variable, the Redis URL::

    NEWSCRAWL_CLUSTER=redis://10.0.0.5:6379/0 scrapy crawl kabar -a network=prmn   # on every node

Every process started with the same URL and the same *group* (``NEWSCRAWL_CLUSTER_GROUP``, else
``NEWSCRAWL_FEED_GROUP`` as `newscrawl schedule` sets it, else a name derived from the spider's
arguments, so identical command lines meet) works on one crawl:

* **Start URLs are pushed once.** The first process to join takes the seeding flag and yields the
  spider's start requests; the others yield none and pull from the shared queue. A seeder that
  dies mid-way loses the flag (with its lease) and another process seeds again (the shared
  duplicate filter drops what was already pushed).
* **One queue, one duplicate filter.** The scheduler (`ClusterScheduler`, a scrapy-redis
  ``Scheduler`` subclass) pushes every request to a Redis sorted set by priority, after an atomic
  check of its fingerprint in a Redis set (``SADD`` and ``ZADD`` in one Lua script: a process
  killed between the two could otherwise mark a request seen that was never queued). Requests are
  pickled with scrapy-redis' serializer; callbacks are spider methods and a multi-page article's
  partial item travels in ``cb_kwargs``.
* **Nothing is lost when a process dies.** Popping a request moves it into the process's
  *in-flight* set. When the engine has finished with a request (its callback's requests are
  queued and its items written), the request is acknowledged and forgotten. Each process holds a
  lease (a score in a Redis sorted set of workers) that a thread renews every quarter lease, so a
  busy event loop is not taken for a death. A process whose lease expires (SIGKILL, a dead node, a
  partitioned network, an event loop stuck for `STALL` seconds) is *reaped* by any live one: its
  in-flight requests go back to the queue, its unconfirmed article claims are released. Only a
  reaper decides a death; a reaped process that wakes up is told so and stops.
* **Each article is emitted once across the cluster.** `ClusterClaimPipeline` claims an article
  (its state key digest, ``HSETNX``) before it is delivered; a claim held by another process is a
  counted drop (``newscrawl/dropped/duplicate``). A claim is *tentative* until its article is
  durably written (a local feed: the line flushed to the file, written whole by one ``write()``;
  the S3 feed: its batch committed to the crawl state), then *committed* at once. A request is
  acknowledged only after the articles it produced are committed, so a reaped process's work is
  redone exactly where its output was not durable. The one window left is the microseconds
  between a line's ``write()`` to a local feed and the commit's ``send()``: a SIGKILL landing
  exactly there duplicates that article (only the process's last line can be in that state).
  The S3 feed has no such window: its batch is committed to the shared crawl state first.
* **The crawl ends when the cluster's does**: the start requests are all pushed, the queue is
  empty and no live process has a request in flight. The last process to leave deletes the
  frontier; if every process died, the next ones started for the group (the next scheduled round)
  resume it before anything else.

Per process stay: the downloader and its politeness slots (``CONCURRENT_REQUESTS_PER_DOMAIN`` is
per node), robots.txt, the item pipelines, the feeds, ``max_articles``. The crawl state
(``NEWSCRAWL_STATE``) must be shared too: a local SQLite state is refused in cluster mode.

Settings: ``NEWSCRAWL_CLUSTER`` (the Redis URL; password from ``REDISCLI_AUTH``),
``NEWSCRAWL_CLUSTER_GROUP``, ``NEWSCRAWL_CLUSTER_RUN`` (set by `newscrawl schedule`: a process
of a run that already finished exits at once), ``NEWSCRAWL_CLUSTER_LEASE`` (seconds, default 30).

Scrapy offers no public hook for "the engine is done with this request" nor for waking an idle
engine, so `_EngineView` reads the engine's in-progress set and schedules its next call; both
are checked when the crawl opens, with a clear error if a Scrapy upgrade moved them.

This module must never decide what a crawl fetches (the spider does), never drop an article
another process has not durably claimed, and never log a password.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import pickle
import secrets
import socket
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

import redis
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.extensions.feedexport import FeedExporter
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base as RedisQueueBase
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newscrawl.component import CrawlerComponent
from newscrawl.config import Config
from newscrawl.delivery.feeds import set_key_mark
from newscrawl.delivery.state import article_key, key_digest
from newscrawl.delivery.state.ledger import Ledger, versions_delivered
from newscrawl.delivery.state.redis import redis_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

CLUSTER = "NEWSCRAWL_CLUSTER"
DEFAULT_LEASE = 15.0
# A lease is renewed by a thread, so that a busy event loop (a slow page, an import) is not taken
# for a death; but not for an event loop that has not turned for this long: that process is stuck.
STALL = 300.0
# How often a process settles its requests with Redis, and looks for work when the queue ran dry.
TICK = 0.1
# How often it looks for dead processes to reap.
REAP_EVERY = 1.0
# Requests leased per round trip (at most a fair share of the queue).
POP_BATCH = 4
# How long the name of a finished run is kept, so that a late process of that run does not start it again.
FINISHED_RUN_TTL = 7 * 86400


class ClusterConfigError(ValueError):
    """Cluster mode is misconfigured; the message says what to set, in one line."""


def cluster_url(settings: BaseSettings) -> str:
    """The cluster's Redis URL (setting, else environment), or "" when cluster mode is off."""
    return str(settings.get(CLUSTER) or os.environ.get(CLUSTER) or "").strip()


def group_name(settings: BaseSettings, spider: Spider | None) -> str:
    """The frontier a process joins: the cluster group, else the feed group, else one per spider arguments."""
    name = str(settings.get("NEWSCRAWL_CLUSTER_GROUP") or os.environ.get("NEWSCRAWL_CLUSTER_GROUP")
               or settings.get("NEWSCRAWL_FEED_GROUP") or os.environ.get("NEWSCRAWL_FEED_GROUP") or "")
    if not name:
        targets = getattr(spider, "targets", None) or []
        what: list[Any] = sorted([t.portal.id, list(t.start_urls)] for t in targets)
        what = what or [str(getattr(spider, "name", ""))]
        name = "args-" + hashlib.blake2b(json.dumps(what).encode(), digest_size=6).hexdigest()
    # Braces delimit the Redis Cluster hash tag that keeps a group's keys together.
    return name.replace("{", "(").replace("}", ")")


# --- the frontier in Redis ------------------------------------------------------------------------

_PROLOGUE = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- A worker is alive until a reaper removed it: an expired lease is not yet a death.
local function alive(workers, w)
  return redis.call('ZSCORE', workers, w) ~= false
end
local function give_back(prefix, w, queue, claims)
  local n = 0
  for _, part in ipairs({':i:', ':c:'}) do
    local key = prefix .. part .. w
    local held = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for j = 1, #held, 2 do
      redis.call('ZADD', queue, held[j + 1], held[j])
      n = n + 1
    end
    redis.call('DEL', key)
  end
  local tentative = prefix .. ':t:' .. w
  for _, d in ipairs(redis.call('SMEMBERS', tentative)) do
    if redis.call('HGET', claims, d) == w then redis.call('HDEL', claims, d) end
  end
  redis.call('DEL', tentative)
  return n
end
"""

# KEYS: workers, last, seed, queue, blobs, seq, seen, claims; ARGV: worker, lease ms, run.
# A frontier that finished but was not cleaned (its last process died leaving) is cleaned here.
_JOIN = """
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then return 'finished' end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[3]) == 'done' and redis.call('ZCARD', KEYS[4]) == 0 then
  redis.call('UNLINK', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 'joined'
"""

# KEYS: seen, seq, blobs, queue; ARGV: fingerprint ('' for dont_filter), request, score.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local id = string.format('%012x', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[3], id, ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], id)
return 1
"""

# KEYS: workers, queue, blobs, in-flight; ARGV: worker, lease ms, at most how many. nil when evicted.
# A worker takes no more than its share of the queue (queued / workers), so that all get work.
_POP = """
local now = now_ms()
if not alive(KEYS[1], ARGV[1]) then return false end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local share = math.floor(redis.call('ZCARD', KEYS[2]) / redis.call('ZCARD', KEYS[1]))
local popped = redis.call('ZPOPMIN', KEYS[2], math.max(1, math.min(tonumber(ARGV[3]), share)))
local out = {}
for j = 1, #popped, 2 do
  local id = popped[j]
  redis.call('ZADD', KEYS[4], popped[j + 1], id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[3], id)
end
return out
"""

# KEYS: workers, blobs, in-flight, completed, claims, tentative
# ARGV: worker, lease ms, #completed, #acknowledged, completed ids, acknowledged ids, committed digests.
# Completed: done by the engine, its articles not yet durable (kept, but no longer "in flight").
_SETTLE = """
local now = now_ms()
if not alive(KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local k = 4
for _ = 1, tonumber(ARGV[3]) do
  k = k + 1
  local score = redis.call('ZSCORE', KEYS[3], ARGV[k])
  if score then
    redis.call('ZREM', KEYS[3], ARGV[k])
    redis.call('ZADD', KEYS[4], score, ARGV[k])
  end
end
for _ = 1, tonumber(ARGV[4]) do
  k = k + 1
  redis.call('ZREM', KEYS[3], ARGV[k])
  redis.call('ZREM', KEYS[4], ARGV[k])
  redis.call('HDEL', KEYS[2], ARGV[k])
end
for j = k + 1, #ARGV do
  if redis.call('HGET', KEYS[5], ARGV[j]) == ARGV[1] then redis.call('HSET', KEYS[5], ARGV[j], '') end
  redis.call('SREM', KEYS[6], ARGV[j])
end
return 1
"""

# KEYS: workers; ARGV: worker, lease ms. 0 if the worker was reaped.
_RENEW = """
if not alive(KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 1
"""

# KEYS: workers, claims, tentative; ARGV: worker, digest. 1 mine, 0 someone's, -1 evicted.
_CLAIM = """
if not alive(KEYS[1], ARGV[1]) then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[3], ARGV[2])
return 1
"""

# KEYS: claims, tentative; ARGV: worker, digest.
_RELEASE = """
if redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('SREM', KEYS[2], ARGV[2])
return 1
"""

# KEYS: workers, queue, claims, seed; ARGV: key prefix. Returns {requests requeued, dead workers...}.
_REAP = """
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now_ms())
local requeued = 0
for _, w in ipairs(dead) do
  requeued = requeued + give_back(ARGV[1], w, KEYS[2], KEYS[3])
  redis.call('ZREM', KEYS[1], w)
  if redis.call('GET', KEYS[4]) == 'seeding ' .. w then redis.call('DEL', KEYS[4]) end
end
local out = {requeued}
for _, w in ipairs(dead) do out[#out + 1] = w end
return out
"""

# KEYS: workers, seed; ARGV: worker. 'mine' (seed now), 'other' (someone seeds), 'done', 'evicted'.
_SEED = """
if not alive(KEYS[1], ARGV[1]) then return 'evicted' end
local seed = redis.call('GET', KEYS[2])
if not seed then
  redis.call('SET', KEYS[2], 'seeding ' .. ARGV[1])
  return 'mine'
end
if seed == 'done' then return 'done' end
if seed == 'seeding ' .. ARGV[1] then return 'mine' end
return 'other'
"""

# KEYS: seed; ARGV: worker.
_SEEDED = """
if redis.call('GET', KEYS[1]) == 'seeding ' .. ARGV[1] then redis.call('SET', KEYS[1], 'done') return 1 end
return 0
"""

# KEYS: seed, queue, workers; ARGV: key prefix.
_FINISHED = """
if redis.call('GET', KEYS[1]) ~= 'done' then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for _, w in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if redis.call('ZCARD', ARGV[1] .. ':i:' .. w) > 0 then return 0 end
end
return 1
"""

# KEYS: workers, queue, claims, seed, last, blobs, seq, seen; ARGV: key prefix, worker, run.
_LEAVE = """
local requeued = give_back(ARGV[1], ARGV[2], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[4]) == 'seeding ' .. ARGV[2] then redis.call('DEL', KEYS[4]) end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[4]) == 'done' and redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], KEYS[8])
  if ARGV[3] ~= '' then redis.call('SET', KEYS[5], ARGV[3], 'EX', tonumber(ARGV[4])) end
  return {'cleaned', requeued}
end
return {'left', requeued}
"""


@dataclass(frozen=True)
class Reaped:
    """What a reap found: requests returned to the queue, and the dead processes."""

    requeued: int
    dead: tuple[str, ...]


class Frontier:
    """One group's shared crawl frontier in Redis: keys and atomic operations, no Scrapy.

    Keys (all share the hash tag ``{group}``): ``q`` queue (sorted set of request ids, score =
    -priority, ties in push order), ``r`` request by id, ``n`` id counter, ``f`` seen fingerprints,
    ``a`` article claims (digest -> worker while tentative, "" once committed), ``w`` workers by
    lease expiry, ``s`` seeding flag, ``last`` the last finished run, and per worker ``i:<w>``
    in-flight, ``c:<w>`` completed-not-yet-durable, ``t:<w>`` tentative claims.
    """

    def __init__(self, client: redis.Redis, group: str) -> None:
        self.client = client
        self.group = group
        self.prefix = f"newscrawl:{{{group}}}"
        p = self.prefix
        self.queue, self.blobs, self.seq, self.seen = f"{p}:q", f"{p}:r", f"{p}:n", f"{p}:f"
        self.claims, self.workers, self.seed_key, self.last = f"{p}:a", f"{p}:w", f"{p}:s", f"{p}:last"
        self._scripts = {
            name: client.register_script(_PROLOGUE + body)
            for name, body in (
                ("join", _JOIN), ("push", _PUSH), ("pop", _POP), ("settle", _SETTLE), ("renew", _RENEW),
                ("claim", _CLAIM), ("release", _RELEASE), ("reap", _REAP), ("seed", _SEED), ("seeded", _SEEDED),
                ("finished", _FINISHED), ("leave", _LEAVE),
            )
        }

    def _run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        return self._scripts[name](keys=keys, args=args)

    def join(self, worker: str, lease_ms: int, run: str = "") -> str:
        """Register `worker`; "finished" if `run` already finished (the worker should not crawl)."""
        keys = [self.workers, self.last, self.seed_key, self.queue, self.blobs, self.seq, self.seen, self.claims]
        return _text(self._run("join", keys, [worker, lease_ms, run]))

    def push(self, fingerprint: bytes | None, blob: bytes, priority: int) -> bool:
        """Queue a request unless its fingerprint was seen; False if it was."""
        keys = [self.seen, self.seq, self.blobs, self.queue]
        return bool(self._run("push", keys, [fingerprint or b"", blob, -priority]))

    def pop(self, worker: str, lease_ms: int, count: int = 1) -> list[tuple[str, bytes]] | None:
        """Move up to `count` requests (at most a fair share) into `worker`'s in-flight set; None if evicted."""
        reply = self._run("pop", [self.workers, self.queue, self.blobs, f"{self.prefix}:i:{worker}"],
                          [worker, lease_ms, count])
        if reply is None:
            return None
        return [(_text(reply[j]), bytes(reply[j + 1])) for j in range(0, len(reply), 2)]

    def settle(self, worker: str, lease_ms: int, *, completed: Iterable[str] = (), acked: Iterable[str] = (),
               committed: Iterable[bytes] = ()) -> bool:
        """Renew the lease, move completed requests out of flight, forget acknowledged ones, commit claims.

        False if `worker` was evicted (its lease had expired).
        """
        done, gone = list(completed), list(acked)
        p = self.prefix
        keys = [self.workers, self.blobs, f"{p}:i:{worker}", f"{p}:c:{worker}", self.claims, f"{p}:t:{worker}"]
        return bool(self._run("settle", keys, [worker, lease_ms, len(done), len(gone), *done, *gone, *committed]))

    def renew(self, worker: str, lease_ms: int) -> bool:
        """Extend `worker`'s lease; False if it was reaped."""
        return bool(self._run("renew", [self.workers], [worker, lease_ms]))

    def claim(self, worker: str, digest: bytes) -> int:
        """Claim an article: 1 claimed, 0 another worker's, -1 `worker` was evicted."""
        keys = [self.workers, self.claims, f"{self.prefix}:t:{worker}"]
        return int(self._run("claim", keys, [worker, digest]))

    def release(self, worker: str, digest: bytes) -> None:
        """Give up a tentative claim (the article was not delivered after all)."""
        self._run("release", [self.claims, f"{self.prefix}:t:{worker}"], [worker, digest])

    def reap(self) -> Reaped:
        """Return the requests of every worker whose lease expired to the queue, and drop their claims."""
        reply = self._run("reap", [self.workers, self.queue, self.claims, self.seed_key], [self.prefix])
        return Reaped(int(reply[0]), tuple(_text(w) for w in reply[1:]))

    def seed(self, worker: str) -> str:
        """Whether `worker` seeds the frontier: "mine", "other" (someone is), "done" or "evicted"."""
        return _text(self._run("seed", [self.workers, self.seed_key], [worker]))

    def seeded(self, worker: str) -> bool:
        """Mark the start requests as all pushed (if `worker` still holds the seeding flag)."""
        return bool(self._run("seeded", [self.seed_key], [worker]))

    def finished(self) -> bool:
        """Seeded, nothing queued, nothing in flight anywhere: the crawl of the group is over."""
        return bool(self._run("finished", [self.seed_key, self.queue, self.workers], [self.prefix]))

    def leave(self, worker: str, run: str = "") -> tuple[str, int]:
        """Unregister `worker`, returning what it still holds; the last one out of a finished crawl cleans up."""
        keys = [self.workers, self.queue, self.claims, self.seed_key, self.last, self.blobs, self.seq, self.seen]
        outcome, requeued = self._run("leave", keys, [self.prefix, worker, run, FINISHED_RUN_TTL])
        return _text(outcome), int(requeued)

    def size(self) -> int:
        """Requests waiting in the queue."""
        return int(self.client.zcard(self.queue))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# --- one process's part in the cluster --------------------------------------------------------------


class _EngineView:
    """The two engine internals cluster mode needs (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    def _slot(self) -> Any:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is None or not hasattr(slot, "inprogress") or not hasattr(slot, "nextcall"):
            raise ClusterConfigError(
                "cluster mode: this Scrapy's engine has no _slot.inprogress/_slot.nextcall "
                "(written for Scrapy 2.13-2.19); check newscrawl/cluster.py against it",
            )
        return slot

    def check(self) -> None:
        """Fail at start-up, not mid-crawl, if the internals moved."""
        self._slot()

    def in_progress(self) -> set[Request]:
        """Requests the engine is downloading or whose callbacks' output it is still processing."""
        return self._slot().inprogress  # type: ignore[no-any-return]

    def wake(self) -> None:
        """Make the engine ask the scheduler for requests again now, not at its 5 s heartbeat."""
        with contextlib.suppress(ClusterConfigError):
            self._slot().nextcall.schedule()


class Worker:
    """One process's part in the cluster: its lease, what it holds in flight, its article claims.

    Shared by the scheduler, the seeding middleware and the claim pipeline (one per crawler).
    """

    _by_crawler: ClassVar[weakref.WeakKeyDictionary[Crawler, Worker]] = weakref.WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        assert crawler.stats is not None  # noqa: S101 - a running crawler always has stats
        self.stats = crawler.stats
        client, self.location, _ = redis_client(cluster_url(settings))
        self.client = client
        self.frontier = Frontier(client, group_name(settings, crawler.spider))
        self.mark = secrets.token_hex(3)  # tells this process's S3 keys from its peers'
        set_key_mark(crawler, self.mark)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{self.mark}"
        self.lease_ms = int(1000 * (settings.getfloat("NEWSCRAWL_CLUSTER_LEASE") or DEFAULT_LEASE))
        self.run = str(settings.get("NEWSCRAWL_CLUSTER_RUN") or os.environ.get("NEWSCRAWL_CLUSTER_RUN") or "")
        self.engine = _EngineView(crawler)
        self.ledger = Ledger.of(crawler) if Config.of(crawler).state else None
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

    @classmethod
    def of(cls, crawler: Crawler) -> Worker:
        """The crawler's worker, created on first use."""
        worker = cls._by_crawler.get(crawler)
        if worker is None:
            worker = cls(crawler)
            cls._by_crawler[crawler] = worker
        return worker

    def _count(self, key: str, n: int = 1) -> None:
        self.stats.inc_value(f"newscrawl/{key}", n)

    # --- life cycle --------------------------------------------------------------------------------

    def open(self) -> None:
        """Join the group's frontier and start settling with Redis every `TICK`."""
        self.engine.check()
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
                self._count("errors/cluster_redis")
                if not failing:
                    logger.warning("cluster: Redis at %s failed (%s); retrying every %gs", self.location, exc, TICK)
                failing = True
            except Exception:
                # A bug here must not silently stop the settling: say it, and go on.
                self._count("errors/cluster_tick")
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
            self._evict()
            return
        self.settle()
        now = time.monotonic()
        if now - self._reaped >= REAP_EVERY:
            self._reaped = now
            reaped = self.frontier.reap()
            if reaped.dead:
                self._count("cluster/requeued_from_dead", reaped.requeued)
                logger.warning("cluster: %s stopped renewing its lease; %d of its requests went back to the queue",
                               ", ".join(reaped.dead), reaped.requeued)
                self.starved = True
        if self.starved:
            self.starved = False
            if not (self.handed or self.ready or self.finished) and self.frontier.finished():
                self.finished = True
                logger.info("cluster: group %s has nothing queued or in flight; this process ends",
                            self.frontier.group)
            self.engine.wake()

    def settle(self, *, final: bool = False) -> None:
        """Tell Redis which requests the engine finished, which of those can be forgotten, and renew the lease.

        Local bookkeeping changes only once Redis has taken it (a failed call is repeated next tick).
        """
        self.confirm()
        in_progress = set() if final else self.engine.in_progress()
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
            self._evict()
            return
        self.waiting = [(rid, needed) for rid, needed in self.waiting if rid not in acked]
        self.moved = []
        self._count("cluster/acknowledged", len(acked))

    def durable_upto(self) -> int:
        """The sequence number up to which every written article is durable."""
        pending = [seq for seq in self.tentative.values() if seq]
        return min(pending) - 1 if pending else self.writes

    def _evict(self) -> None:
        if self.evicted:
            return
        self.evicted = True
        self.finished = True
        self._count("errors/cluster_evicted")
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
            self._evict()
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
            self._evict()
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
            self._evict()
        return verdict

    def release(self, digest: bytes) -> None:
        """The claimed article was dropped after all: let another process deliver it."""
        if self.tentative.pop(digest, None) is not None:
            self.frontier.release(self.name, digest)

    def written(self, digest: bytes) -> None:
        """The claimed article was handed to the feeds: confirm its claim now if that made it durable."""
        if digest not in self.tentative:
            return
        _flush_feeds(self.crawler)
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
            self._count("errors/cluster_redis")
            logger.warning("cluster: could not confirm %d article claims (%s); trying again", len(self.durable), exc)
            return
        if not confirmed:
            self._evict()
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
        client, _, _ = redis_client(cluster_url(worker.crawler.settings))
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


def _flush_feeds(crawler: Crawler) -> None:
    """Push the feeds' buffered lines to the kernel, so that they survive the process (not a power cut)."""
    assert crawler.extensions is not None  # noqa: S101 - built before any item
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, FeedExporter):
            for slot in extension.slots:
                if slot.file is not None and not getattr(slot.file, "closed", False):
                    slot.file.flush()


# --- the Scrapy components ------------------------------------------------------------------------


class RequestQueue(RedisQueueBase):  # type: ignore[misc] # scrapy-redis has no type hints
    """scrapy-redis' queue base (its serializer: pickled ``Request.to_dict``) over the leased `Frontier`."""

    def __init__(self, worker: Worker, spider: Spider) -> None:
        super().__init__(worker.client, spider, worker.frontier.queue, serializer=picklecompat)
        self.worker = worker

    def __len__(self) -> int:
        return self.worker.frontier.size()

    def encode(self, request: Request) -> bytes:
        """The request as stored in Redis; ValueError (or a pickling error) if it cannot be."""
        return self._encode_request(request)  # type: ignore[no-any-return]

    def push(self, request: Request, fingerprint: bytes | None = None) -> bool:
        """Queue a request (unless `fingerprint` was seen before); False if it was."""
        return self.worker.frontier.push(fingerprint, self.encode(request), request.priority)

    def pop(self, timeout: int = 0) -> tuple[str, Request] | None:  # noqa: ARG002 - scrapy-redis signature
        """The next request, leased to this process, with its id."""
        got = self.worker.pop()
        if got is None:
            return None
        rid, blob = got
        return rid, self._decode_request(blob)


class ClusterDupeFilter(RFPDupeFilter):  # type: ignore[misc] # scrapy-redis has no type hints
    """scrapy-redis' Redis duplicate filter, on the group's key, with Scrapy's own request fingerprints.

    Requests are checked atomically with their push (`Frontier.push`); `request_seen` is what
    Scrapy's interface needs for the rest. It never deletes its key on close: the last process
    out of the group does (`Frontier.leave`).
    """

    def __init__(self, crawler: Crawler, worker: Worker) -> None:
        super().__init__(worker.client, worker.frontier.seen, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        self.fingerprinter = crawler.request_fingerprinter

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The group's filter."""
        return cls(crawler, Worker.of(crawler))

    def request_fingerprint(self, request: Request) -> bytes:
        """Scrapy's fingerprint (``REQUEST_FINGERPRINTER_CLASS``), 20 bytes."""
        return self.fingerprinter.fingerprint(request)

    def close(self, reason: str = "") -> None:
        """Keep the shared set: other processes still use it."""

    def clear(self) -> None:
        """Never clear the shared set from one process."""


class ClusterScheduler(RedisScheduler):  # type: ignore[misc] # scrapy-redis has no type hints
    """scrapy-redis' scheduler with a leased queue, atomic seen-and-push, and no flush on close."""

    def __init__(self, crawler: Crawler, worker: Worker) -> None:
        super().__init__(
            server=worker.client, persist=True, queue_key=worker.frontier.queue,
            dupefilter=ClusterDupeFilter(crawler, worker), dupefilter_key=worker.frontier.seen,
        )
        self.crawler = crawler
        self.worker = worker
        self.stats = crawler.stats
        # Requests that cannot be pickled (a callback that is not a spider method) stay in this process.
        self._local: deque[Request] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The scheduler of this process in the group."""
        return cls(crawler, Worker.of(crawler))

    def open(self, spider: Spider) -> None:
        """Join the group."""
        self.spider = spider
        self.queue = RequestQueue(self.worker, spider)
        self.worker.open()

    def close(self, reason: str) -> None:
        """Nothing to flush: the frontier is shared; the worker leaves at engine stop, after the feeds."""

    def enqueue_request(self, request: Request) -> bool:
        """Push to the shared queue unless the cluster has seen the request."""
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        try:
            pushed = self.queue.push(request, fingerprint)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as exc:
            return self._keep_local(request, fingerprint, exc)
        if not pushed:
            self.df.log(request, self.spider)
            self.stats.inc_value("dupefilter/filtered")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def _keep_local(self, request: Request, fingerprint: bytes | None, exc: Exception) -> bool:
        if fingerprint is not None and self.worker.client.sadd(self.worker.frontier.seen, fingerprint) == 0:
            return False
        self.stats.inc_value("newscrawl/warnings/cluster_unshareable_request")
        logger.warning("cluster: %s cannot be shared (%s); this process fetches it, and loses it if it dies",
                       request, exc)
        self._local.append(request)
        return True

    def next_request(self) -> Request | None:
        """A local request first, else one leased from the shared queue."""
        if self._local:
            request = self._local.popleft()
        else:
            got = self.queue.pop()
            if got is None:
                return None
            rid, request = got
            self.worker.handed[request] = rid
            self.stats.inc_value("scheduler/dequeued/redis")
        self.stats.inc_value("scheduler/dequeued")
        return request

    def has_pending_requests(self) -> bool:
        """True until the whole group is done, so that an idle process waits for the others' links."""
        return bool(self._local) or not self.worker.finished

    def __len__(self) -> int:
        return len(self._local) + self.worker.frontier.size()


class SeedMiddleware:
    """Spider middleware: only the process holding the seeding flag yields the spider's start requests."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The middleware for `crawler`."""
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Seed the frontier, or wait until it is seeded (taking over if the seeder dies)."""
        worker = Worker.of(self.crawler)
        while True:
            role = worker.seed_role()
            if role == "mine":
                count = 0
                async for request_or_item in start:
                    count += 1
                    yield request_or_item
                worker.seeded(count)
                return
            if role != "other":
                return
            await asyncio.sleep(5 * TICK)


class ClusterClaimPipeline(CrawlerComponent):
    """Deliver each article once across the cluster: claim it in Redis before it reaches the feeds."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        forced = getattr(getattr(crawler.spider, "params", None), "incremental", None)
        if forced and not Config.of(crawler).state:
            raise ClusterConfigError(
                "cluster mode: -a incremental=true needs the shared crawl state; set NEWSCRAWL_STATE=redis://...",
            )
        self.worker = Worker.of(crawler)
        self._claims: dict[int, bytes] = {}  # id(item) -> digest, while the item is in the pipelines
        # Connected after the feed exporter's handler (extensions are built first): the line is written.
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._dropped, signal=signals.item_error)

    def process_item(self, item: Any) -> Any:
        """Claim the article; drop it (counted) if another process has."""
        url = ItemAdapter(item)["url"]
        digest = key_digest(article_key(url))
        verdict = self.worker.claim(digest)
        if verdict > 0:
            self._claims[id(item)] = digest
            return item
        reason = "cluster_evicted" if verdict < 0 else "duplicate"
        self.stats.inc_value(f"newscrawl/dropped/{reason}")
        raise DropItem(f"{reason}: {url}", log_level="INFO")

    def _scraped(self, item: Any) -> None:
        digest = self._claims.pop(id(item), None)
        if digest is not None:
            self.worker.written(digest)

    def _dropped(self, item: Any) -> None:
        digest = self._claims.pop(id(item), None)
        if digest is not None:
            self.worker.release(digest)


# --- switching it on ------------------------------------------------------------------------------


class ClusterAddon:
    """Add-on: when ``NEWSCRAWL_CLUSTER`` is set, wire the shared scheduler, seeding and claims."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Check the cluster's settings and install its components (refusing a state that is not shared)."""
        url = cluster_url(settings)
        if not url:
            return
        if urlsplit(url).scheme not in ("redis", "rediss"):
            raise ClusterConfigError(f"NEWSCRAWL_CLUSTER must be redis://host:port/db or rediss://..., not {url!r}")
        if urlsplit(url).password:
            raise ClusterConfigError("NEWSCRAWL_CLUSTER: put no password in the URL; set REDISCLI_AUTH on the nodes")
        config = Config.from_settings(settings)
        if config.state and urlsplit(config.state_uri).scheme not in ("redis", "rediss"):
            raise ClusterConfigError(
                "cluster mode shares one crawl state: NEWSCRAWL_STATE must be redis://... "
                f"(it is {config.state_uri!r}, a file only this node sees)",
            )
        if config.s3_uri and not config.state:
            raise ClusterConfigError(
                "cluster mode with the S3 feed commits batches to the shared crawl state: set NEWSCRAWL_STATE=redis://...",
            )
        addon = SETTINGS_PRIORITIES["addon"]
        settings.set(CLUSTER, url, priority=max(settings.getpriority(CLUSTER) or 0, addon))
        settings.set("SCHEDULER", "newscrawl.cluster.ClusterScheduler", priority=addon)
        settings.set("DUPEFILTER_CLASS", "newscrawl.cluster.ClusterDupeFilter", priority=addon)
        for name, component, order in (
            ("SPIDER_MIDDLEWARES", "newscrawl.cluster.SeedMiddleware", 10),
            # After the incremental pipeline (600): unchanged articles never claim; before the cap (900).
            ("ITEM_PIPELINES", "newscrawl.cluster.ClusterClaimPipeline", 800),
        ):
            components = dict(settings.getdict(name))
            components[component] = order
            settings.set(name, components, priority=max(settings.getpriority(name) or 0, addon))
