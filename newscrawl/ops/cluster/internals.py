"""Every private or undocumented internal of Scrapy and scrapy-redis that cluster mode relies on, here only.

What it is for
    Scrapy offers no public hook for "the engine is done with this request" nor for waking an idle
    engine, nor for flushing a feed's file; scrapy-redis keeps its request serializer in private
    methods. Cluster mode reaches them through this module alone:

    * ``ExecutionEngine._slot``, and on it ``inprogress`` (the requests the engine is handling)
      and ``nextcall`` (its ``CallLaterOnce``; ``.schedule()`` wakes the engine): `EngineView`,
      checked when a process joins its group, with a one-line error if a Scrapy upgrade moved them;
    * ``FeedExporter.slots`` and each slot's ``file`` (not underscored, but undocumented):
      `flush_feeds`;
    * ``scrapy_redis.queue.Base._encode_request`` / ``_decode_request``: `RequestCodec`.

What it must never do
    Change the engine's or a feed's state beyond the one call each helper names, or be bypassed:
    no other cluster module touches these names.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FeedExporter
from scrapy_redis.queue import Base as RedisQueueBase

from newscrawl.ops.cluster.addon import ClusterConfigError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class EngineView:
    """The two engine internals cluster mode needs: what is in progress, and waking the engine."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    def _slot(self) -> Any:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is None or not hasattr(slot, "inprogress") or not hasattr(slot, "nextcall"):
            raise ClusterConfigError(
                "cluster mode: this Scrapy's engine has no _slot.inprogress/_slot.nextcall "
                "(written for Scrapy 2.13-2.19); check newscrawl/ops/cluster/internals.py against it",
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


def flush_feeds(crawler: Crawler) -> None:
    """Push the feeds' buffered lines to the kernel, so that they survive the process (not a power cut)."""
    assert crawler.extensions is not None  # noqa: S101 - built before any item
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, FeedExporter):
            for slot in extension.slots:
                if slot.file is not None and not getattr(slot.file, "closed", False):
                    slot.file.flush()


class RequestCodec(RedisQueueBase):  # type: ignore[misc] # scrapy-redis has no type hints
    """scrapy-redis' queue base, for its request serializer (pickled ``Request.to_dict``) under public names."""

    def encode(self, request: Request) -> bytes:
        """The request as stored in Redis; ValueError (or a pickling error) if it cannot be."""
        return self._encode_request(request)  # type: ignore[no-any-return]

    def decode(self, blob: bytes) -> Request:
        """The request stored as `blob`."""
        return self._decode_request(blob)  # type: ignore[no-any-return]
