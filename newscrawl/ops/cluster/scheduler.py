"""The scrapy-redis parts of cluster mode: the shared queue, duplicate filter and scheduler of a group.

What it is for
    `ClusterScheduler` (``SCHEDULER``) pushes every request to the group's `Frontier` after an
    atomic check of its fingerprint (seen-and-push is one script: a process killed between the two
    could otherwise mark a request seen that was never queued), and hands the engine requests
    leased to this process. Requests are pickled with scrapy-redis' serializer: callbacks are
    spider methods, and a multi-page article's partial item travels in ``cb_kwargs``. A request
    that cannot be pickled stays in this process (counted, and lost if the process dies).
    `ClusterDupeFilter` (``DUPEFILTER_CLASS``) is scrapy-redis' filter on the group's key.

What it must never do
    Flush or clear the shared keys from one process (the last one out of the group does, in
    `Frontier.leave`), or tell the engine there is nothing left while any process of the group
    may still find links.
"""

from __future__ import annotations

import logging
import pickle
from collections import deque
from typing import TYPE_CHECKING, Self

from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base as RedisQueueBase
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newscrawl.compat import decode_request, encode_request
from newscrawl.ops.cluster.worker import Worker

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class RequestQueue(RedisQueueBase):  # type: ignore[misc] # scrapy-redis has no type hints
    """scrapy-redis' queue (its serializer: pickled ``Request.to_dict``) over the leased `Frontier`."""

    def __init__(self, worker: Worker, spider: Spider) -> None:
        super().__init__(worker.client, spider, worker.frontier.queue, serializer=picklecompat)
        self.worker = worker

    def __len__(self) -> int:
        return self.worker.frontier.size()

    def encode(self, request: Request) -> bytes:
        """The request as stored in Redis; ValueError (or a pickling error) if it cannot be."""
        return encode_request(self, request)

    def decode(self, blob: bytes) -> Request:
        """The request stored as `blob`."""
        return decode_request(self, blob)

    def push(self, request: Request, fingerprint: bytes | None = None) -> bool:
        """Queue a request (unless `fingerprint` was seen before); False if it was."""
        return self.worker.frontier.push(fingerprint, self.encode(request), request.priority)

    def pop(self, timeout: int = 0) -> tuple[str, Request] | None:  # noqa: ARG002 - scrapy-redis signature
        """The next request, leased to this process, with its id."""
        got = self.worker.pop()
        if got is None:
            return None
        rid, blob = got
        return rid, self.decode(blob)


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
