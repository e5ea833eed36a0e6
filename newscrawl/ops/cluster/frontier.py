"""A cluster group's shared crawl frontier in Redis: its keys and its atomic operations, and no Scrapy.

What it is for
    Every process of a group queues, leases, settles and claims through one `Frontier`; each
    operation is one Lua script (`newscrawl.ops.cluster.lua`), so a process killed at any point
    leaves the group's keys consistent. Requests are opaque bytes here, workers are names and
    articles are digests: it can be driven, and is tested, against a bare redis-server.

What it must never do
    Import Scrapy, read settings or the clock (leases use Redis' time), or decide what is
    fetched: it keeps what the processes give it and gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawl.ops.cluster.lua import SCRIPTS

if TYPE_CHECKING:
    from collections.abc import Iterable

    import redis

# How long the name of a finished run is kept, so that a late process of that run does not start it again.
FINISHED_RUN_TTL = 7 * 86400


@dataclass(frozen=True)
class Reaped:
    """What a reap found: requests returned to the queue, the dead processes, and how many are resolving."""

    requeued: int
    dead: tuple[str, ...]
    resolving: int = 0


class Frontier:
    """One group's shared crawl frontier in Redis: keys and atomic operations, no Scrapy.

    Keys (all share the hash tag ``{group}``): ``q`` queue (sorted set of request ids, score =
    -priority, ties in push order), ``r`` request by id, ``n`` id counter, ``f`` seen fingerprints,
    ``a`` article claims (digest -> worker while tentative, "" once committed), ``w`` workers by
    lease expiry, ``s`` seeding flag, ``last`` the last finished run, ``z`` workers gone (dead or
    left) whose leased batches are being resolved, and per worker ``i:<w>`` in-flight, ``c:<w>``
    completed-not-yet-durable, ``t:<w>`` tentative claims, ``p:<w>`` leased S3 batches (URI ->
    their articles: sealed, not yet known to be in S3).
    """

    def __init__(self, client: redis.Redis, group: str) -> None:
        self.client = client
        self.group = group
        self.prefix = f"newscrawl:{{{group}}}"
        p = self.prefix
        self.queue, self.blobs, self.seq, self.seen = f"{p}:q", f"{p}:r", f"{p}:n", f"{p}:f"
        self.claims, self.workers, self.seed_key, self.last = f"{p}:a", f"{p}:w", f"{p}:s", f"{p}:last"
        self.resolving = f"{p}:z"
        self._scripts = {name: client.register_script(source) for name, source in SCRIPTS.items()}

    def _run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        return self._scripts[name](keys=keys, args=args)

    def join(self, worker: str, lease_ms: int, run: str = "") -> str:
        """Register `worker`; "finished" if `run` already finished (the worker should not crawl)."""
        keys = [self.workers, self.last, self.seed_key, self.queue, self.blobs, self.seq, self.seen, self.claims,
                self.resolving]
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
        """Return the requests of every worker whose lease expired to the queue, and drop their claims.

        A dead worker holding leased batches is *resolving* instead: its work goes back once
        `resolve` has settled each of its batches.
        """
        reply = self._run("reap", [self.workers, self.queue, self.claims, self.seed_key, self.resolving],
                          [self.prefix])
        return Reaped(int(reply[0]), tuple(_text(w) for w in reply[2:]), int(reply[1]))

    # --- S3 batches under a worker's lease ----------------------------------------------------

    def lease_batch(self, worker: str, lease_ms: int, uri: str, articles: bytes) -> bool:
        """Hold a sealed batch (`articles`: opaque to the frontier) under `worker`'s lease; False if reaped."""
        keys = [self.workers, f"{self.prefix}:p:{worker}"]
        return bool(self._run("lease_batch", keys, [worker, lease_ms, uri, articles]))

    def holds(self, worker: str, uri: str) -> bool:
        """The fence, just before an upload: `worker` is alive and still holds the batch."""
        return bool(self._run("holds", [self.workers, f"{self.prefix}:p:{worker}"], [worker, uri]))

    def unlease(self, worker: str, uri: str) -> None:
        """The batch is in S3 and committed: it leaves the lease."""
        keys = [f"{self.prefix}:p:{worker}", self.queue, self.claims, self.resolving]
        self._run("unlease", keys, [self.prefix, worker, uri])

    def departed(self) -> dict[str, dict[str, bytes]]:
        """The leased batches of every resolving worker: worker -> batch URI -> articles."""
        found = {}
        for member in self.client.smembers(self.resolving):
            worker = _text(member)
            batches = self.client.hgetall(f"{self.prefix}:p:{worker}")
            found[worker] = {_text(uri): _bytes(articles) for uri, articles in batches.items()}
        return found

    def resolve(self, worker: str, uri: str, *, stored: bool, digests: Iterable[bytes] = ()) -> int:
        """Settle a departed worker's batch: in S3 (`stored`: its claims become final) or not (released).

        Returns the requests given back once the worker has no batch left, else -1.
        """
        p = self.prefix
        keys = [f"{p}:p:{worker}", self.queue, self.claims, self.resolving, f"{p}:t:{worker}"]
        return int(self._run("resolve", keys, [p, worker, uri, "1" if stored else "0", *digests]))

    def seed(self, worker: str) -> str:
        """Whether `worker` seeds the frontier: "mine", "other" (someone is), "done" or "evicted"."""
        return _text(self._run("seed", [self.workers, self.seed_key], [worker]))

    def seeded(self, worker: str) -> bool:
        """Mark the start requests as all pushed (if `worker` still holds the seeding flag)."""
        return bool(self._run("seeded", [self.seed_key], [worker]))

    def finished(self, worker: str = "") -> bool:
        """Seeded, nothing queued or in flight anywhere, no other worker's batch in doubt: the crawl is over."""
        keys = [self.seed_key, self.queue, self.workers, self.resolving]
        return bool(self._run("finished", keys, [self.prefix, worker]))

    def leave(self, worker: str, run: str = "") -> tuple[str, int]:
        """Unregister `worker`, returning what it still holds; the last one out of a finished crawl cleans up.

        "resolving" when it leaves leased batches: its work waits for them to be resolved.
        """
        keys = [self.workers, self.queue, self.claims, self.seed_key, self.last, self.blobs, self.seq, self.seen,
                self.resolving]
        outcome, requeued = self._run("leave", keys, [self.prefix, worker, run, FINISHED_RUN_TTL])
        return _text(outcome), int(requeued)

    def size(self) -> int:
        """Requests waiting in the queue."""
        return int(self.client.zcard(self.queue))


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
