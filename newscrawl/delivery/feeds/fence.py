"""The fence of the S3 feed in cluster mode: what a batch lease must offer, and where the feed finds it.

What it is for
    In cluster mode a sealed batch is not committed to the crawl state before its upload (that
    would make its articles "delivered" while they exist only on one node's disk). It is held by
    its process's lease in Redis instead, and committed once S3 has it. The cluster worker
    implements `BatchLease` and registers it with `set_batch_lease`; the S3 delivery
    (newscrawl/delivery/feeds/s3.py) asks `batch_lease` and, when there is one:

    - `BatchLease.take`: hold a sealed batch under the lease (False: this process was reaped);
    - `BatchLease.holds`: the fencing check, just before each PUT: the lease still holds it;
    - `BatchLease.release`: the batch is uploaded and committed.

What it must never do
    Import the cluster (ops): the cluster registers itself here, as it registers its key mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler

    from newscrawl.delivery.state import Version


class BatchLease(Protocol):
    """A process's hold, in the cluster, on the S3 batches it sealed and has not uploaded yet."""

    def take(self, uri: str, versions: Sequence[Version]) -> bool:
        """Hold the sealed batch going to `uri`; False if this process has lost its lease."""

    def holds(self, uri: str) -> bool:
        """The fence before an upload: True if the lease still holds the batch (any thread may ask)."""

    def release(self, uri: str) -> None:
        """The batch is in S3 and committed."""


_LEASES: WeakKeyDictionary[Crawler, BatchLease] = WeakKeyDictionary()


def set_batch_lease(crawler: Crawler, lease: BatchLease) -> None:
    """Make `crawler`'s S3 batches held by `lease` (called by the cluster worker)."""
    _LEASES[crawler] = lease


def batch_lease(crawler: Crawler) -> BatchLease | None:
    """The lease `crawler`'s S3 batches are held by; None outside cluster mode."""
    return _LEASES.get(crawler)
