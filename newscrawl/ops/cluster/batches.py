"""The cluster's hold on S3 batches: each process's sealed batches under its lease, and the fate of a gone one's.

What it is for
    With the S3 feed, a batch a process has sealed exists only on that node's disk until S3 has
    it. So in cluster mode it is not committed to the crawl state when sealed (that would make its
    articles "delivered" to everyone else): `BatchLeases` (the `BatchLease` of
    newscrawl/delivery/feeds/fence.py) holds it under the process's lease in Redis (``p:<w>``,
    its articles' keys and hashes), the feed checks that the lease still holds it just before the
    PUT (the fence), and commits it after. Until then its articles' claims are tentative and the
    requests that produced them unacknowledged, as for any article not yet durable.

    A process that dies (reaped) or leaves with leased batches is *resolving*. Any live process of
    the group (`BatchLeases.resolve`, from the worker's reaping) asks S3 whether each batch
    arrived: if it did, the batch is committed on the gone process's behalf (crawl state, claims
    final); if not, it is dropped from the lease. Once none is left, the gone process's requests go
    back to the queue and its remaining claims are released, so a survivor emits those articles
    again in a batch of its own. The gone process's spool file is never uploaded by anyone else
    (its run is over: any crawl finding it deletes it), so whether that disk comes back or not,
    each article reaches S3 once.

What it must never do
    Upload a batch (the feed does, only its own), commit a batch S3 does not have, or settle a batch
    when S3 cannot be asked (it waits for the next round instead).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Protocol

from scrapy.utils.asyncio import run_in_thread

from newscrawl.delivery.feeds.s3 import S3Delivery
from newscrawl.delivery.state import Version, key_digest
from newscrawl.delivery.state.ledger import Ledger

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler

    from newscrawl.ops.cluster.frontier import Frontier

logger = logging.getLogger(__name__)


class LeaseHolder(Protocol):
    """What `BatchLeases` needs of its process's worker (newscrawl/ops/cluster/worker.py)."""

    crawler: Crawler
    frontier: Frontier
    name: str
    lease_ms: int
    starved: bool

    def evict(self) -> None:
        """Stop this process: it lost its lease."""

    def count(self, key: str, n: int = 1) -> None:
        """Count ``newscrawl/<key>``."""


def pack(versions: Sequence[Version]) -> bytes:
    """A batch's articles as the lease keeps them: key, content hash and time of each."""
    return json.dumps([[v.key, v.content_hash.hex(), v.at] for v in versions], separators=(",", ":")).encode()


def unpack(articles: bytes) -> list[Version]:
    """The articles `pack` kept."""
    return [Version(key, bytes.fromhex(digest), at) for key, digest, at in json.loads(articles)]


class BatchLeases:
    """One process's S3 batches under its cluster lease, and the resolution of gone processes' batches."""

    def __init__(self, worker: LeaseHolder) -> None:
        self.worker = worker
        self.frontier = worker.frontier
        self.resolving = False  # a resolution round is running
        self._unanswered: set[str] = set()  # batches S3 could not be asked about (said once each)

    # --- the feed's side (newscrawl/delivery/feeds/fence.py) ----------------------------------------

    def take(self, uri: str, versions: Sequence[Version]) -> bool:
        """Hold a sealed batch under this process's lease; False (and the process stops) if it was reaped."""
        if self.frontier.lease_batch(self.worker.name, self.worker.lease_ms, uri, pack(versions)):
            return True
        self.worker.evict()
        return False

    def holds(self, uri: str) -> bool:
        """The fence, asked by the upload thread just before the PUT."""
        return self.frontier.holds(self.worker.name, uri)

    def release(self, uri: str) -> None:
        """The batch is in S3 and committed."""
        self.frontier.unlease(self.worker.name, uri)

    # --- gone processes' batches ------------------------------------------------------------------

    async def resolve(self) -> None:
        """Settle every batch of every resolving process that S3 can answer about (see the module docstring)."""
        if self.resolving:
            return
        self.resolving = True
        try:
            for gone, batches in self.frontier.departed().items():
                for uri, articles in batches.items():
                    await self._settle(gone, uri, unpack(articles))
        finally:
            self.resolving = False

    async def _settle(self, gone: str, uri: str, versions: list[Version]) -> None:
        crawler = self.worker.crawler
        stored = await run_in_thread(S3Delivery.of(crawler).stored, uri)
        if stored is None:
            if uri not in self._unanswered:
                self._unanswered.add(uri)
                logger.warning("cluster: S3 cannot say whether %s (of %s, gone) arrived; asking again each second",
                               uri, gone)
            return
        if stored:
            # Idempotent: another process resolving the same batch at once commits the same versions.
            Ledger.of(crawler).deliver(versions)
        given_back = self.frontier.resolve(gone, uri, stored=stored, digests=[key_digest(v.key) for v in versions])
        self.worker.count("cluster/batches_committed_for_gone" if stored else "cluster/batches_given_back")
        if stored:
            logger.info("cluster: %s (of %s, gone) is in S3: committed on its behalf", uri, gone)
        else:
            logger.warning("cluster: %s (of %s, gone) never reached S3: its %d articles go back to the cluster",
                           uri, gone, len(versions))
        if given_back >= 0:
            self.worker.count("cluster/requeued_from_dead", given_back)
            logger.warning("cluster: %s's batches are resolved; %d of its requests went back to the queue",
                           gone, given_back)
            self.worker.starved = True
