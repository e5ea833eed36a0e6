"""Delivery to S3 that loses nothing: sealing batches in the spool, committing them, uploading, recovering.

Turn it on with one setting or environment variable, ``NEWSCRAWL_S3_URI`` (keys: naming.py).
``AWS_ENDPOINT_URL`` points boto3 at an S3-compatible store; credentials come only from the
environment (boto3's default chain) and are refused as Scrapy settings, which Scrapy logs (addon.py).

Batches close at ``NEWSCRAWL_BATCH_ITEMS`` articles or ``NEWSCRAWL_BATCH_SECONDS`` seconds,
whichever comes first (storage.py). Exactly-once delivery rests on the spool directory
(``NEWSCRAWL_SPOOL_DIR``, spool.py), an outbox laid out like the bucket (``<spool>/<bucket>/<key>``):

1. A batch is written to ``<key>.<run>.part`` while the crawl adds articles to it.
2. Closing it: fsync, rename to ``<key>.<run>.ready``, commit its articles (URL key and content
   hash of each, taken from the items as they were exported) to the crawl state
   (newscrawl/delivery/state/) as *delivered*, rename to ``<key>``. From here on the batch is
   durable and its articles count as delivered.
3. Upload ``<key>`` to S3 (a PUT of a fixed key, so repeating it never duplicates anything), then
   delete it. If S3 fails, it stays spooled; it is retried after the next successful upload of
   the crawl, and every crawl starts by uploading whatever is spooled, before new work.

A crawl killed at any point (SIGKILL included) is recovered by the next one: an orphaned ``.part``
(its run's lock is free) is deleted, and since its articles were never committed the next crawl
emits them again; an orphaned ``.ready`` is committed (its lines read back: the one place a batch
is parsed) and renamed; spooled keys are uploaded. So every article version reaches S3 exactly
once, in one object. JOBDIR is not needed: a restarted crawl re-reads the start pages and the
state turns everything already delivered into ``newscrawl/skipped/unchanged``.

In cluster mode (a `BatchLease` registered, fence.py) step 2 differs: a fsynced batch is held by
the process's lease in Redis and renamed ``<key>.<run>.lease``; it is committed only once S3 has
it, and uploaded only by its own process, after checking that the lease still holds it (the
fence). A process that dies or leaves with such a batch is resolved by another: S3 has the batch
(commit it) or not (its articles and requests go back to the cluster). Any other crawl finding a
``.lease`` file of a run that is gone deletes it (newscrawl/ops/cluster/batches.py).

Uploads run in threads; batches are closed on the asyncio event loop (the asyncio reactor, the
project's and Scrapy's default, is required).

This module must never write an article anywhere but the spool and S3, never log or store a
credential, and never commit an article to the state before its batch is durable on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.asyncio import run_in_thread

from newscrawl.component import PerCrawler
from newscrawl.config import Config
from newscrawl.delivery.feeds.fence import batch_lease
from newscrawl.delivery.feeds.naming import split_s3
from newscrawl.delivery.feeds.spool import Spool
from newscrawl.delivery.state import Version, article_key, carried_hash
from newscrawl.delivery.state.ledger import Ledger

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# What `_upload` says when the fence stopped it: the lease no longer holds the batch.
FENCED = "fenced"
# Cluster mode: how often spooled batches are tried again while the crawl runs. Other processes
# wait for them (a batch in doubt keeps the group's crawl going), so they cannot wait for the next
# successful upload, which may never come once nothing is left to crawl.
LEASED_RETRY_EVERY = 10.0


def _versions(path: Path, at: int) -> list[Version]:
    """The article versions in a JSONL batch file an interrupted crawl left (read back from its lines)."""
    versions = []
    with path.open("rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            versions.append(Version(article_key(item["url"]), carried_hash(item), at))
    return versions


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as lines:
            return sum(1 for line in lines if line.strip())
    except FileNotFoundError:  # uploaded meanwhile by another crawl sharing the spool
        return 0


@dataclass
class Batch:
    """A batch of one crawl: where it goes, where it is spooled, and its articles."""

    number: int
    uri: str
    path: Path
    file: IO[bytes] | None
    opened: float = field(default_factory=time.monotonic)
    versions: list[Version] = field(default_factory=list)
    leased: bool = False  # held by a cluster lease: committed after its upload, not before


class S3Uploader:
    """PUTs spooled files to their keys with one boto3 client, and deletes each once uploaded.

    Shared by the S3 feed (below) and the WARC archive (newscrawl/delivery/warc/), each with its own spool.
    """

    def __init__(self, spool: Spool, settings: Any, attempts: int, content_type: str) -> None:
        self.spool = spool
        self.attempts = attempts
        self.content_type = content_type
        self._settings = settings
        self._client: Any = None
        self._client_lock = threading.Lock()

    def client(self) -> Any:
        """The boto3 S3 client (made on first use: boto3 is slow to import)."""
        with self._client_lock:
            if self._client is None:
                import boto3  # noqa: PLC0415 - boto3 is slow to import; only S3 crawls need it
                from botocore.config import Config as BotoConfig  # noqa: PLC0415

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self._settings.get("AWS_ENDPOINT_URL") or None,
                    region_name=self._settings.get("AWS_REGION_NAME") or None,
                    config=BotoConfig(
                        retries={"max_attempts": self.attempts, "mode": "standard"},
                        connect_timeout=10,
                        read_timeout=120,
                    ),
                )
            return self._client

    def upload(self, path: Path, holds: Callable[[str], bool] | None = None) -> str | None:
        """PUT one spooled file to its key and delete it; `FENCED`, or the error text if that failed.

        Runs in a thread. A file already gone was uploaded by another crawl sharing the spool. With
        `holds`, the file is put only if ``holds(uri)`` says it is still ours, asked just before the PUT.
        """
        uri = self.spool.uri_for(path)
        bucket, key = split_s3(uri)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            if holds is not None and not holds(uri):
                return FENCED
            self.client().put_object(Bucket=bucket, Key=key, Body=body, ContentType=self.content_type)
        except Exception as exc:  # noqa: BLE001 - any failure leaves the file spooled, which is safe
            return f"{type(exc).__name__}: {exc}"
        self.spool.remove(path)
        return None


class S3Delivery(PerCrawler):
    """One crawl's delivery to S3: the spool, the S3 client, uploads, recovery, and the counts."""

    def __init__(self, crawler: Crawler) -> None:
        config = Config.of(crawler)
        super().__init__(crawler)
        self.stats = crawler.stats
        self.spool = Spool(Path(config.spool_dir))
        self.ledger = Ledger.of(crawler)
        self.ledger.transactional = True
        self.batch_items = max(1, config.batch_items)
        self.batch_seconds = max(0.1, config.batch_seconds)
        self.attempts = max(1, config.s3_attempts)
        self.uploader = S3Uploader(self.spool, crawler.settings, self.attempts, "application/x-ndjson")
        self.spooled: dict[Path, Batch] = {}  # this crawl's durable batches still waiting for S3
        self._retrying = False
        self._last_retry = time.monotonic()
        self._tasks: set[asyncio.Task[None]] = set()
        self.targets: set[str] = set()
        logger.info("S3 delivery: spool %s, batches of %d articles or %gs",
                    self.spool.root, self.batch_items, self.batch_seconds)
        crawler.signals.connect(self._recover, signal=signals.spider_opened)
        crawler.signals.connect(self.spool.close, signal=signals.engine_stopped)


    # --- S3 --------------------------------------------------------------------------------

    def _upload(self, path: Path, *, leased: bool = False) -> str | None:
        """Upload one spooled batch (`S3Uploader.upload`); a leased one only while its lease holds it."""
        lease = batch_lease(self.crawler) if leased else None
        return self.uploader.upload(path, holds=lease.holds if lease is not None else None)

    def stored(self, uri: str) -> bool | None:
        """Whether S3 has the object `uri` (a HEAD); None when S3 cannot say. Runs in a thread."""
        bucket, key = split_s3(uri)
        try:
            self.uploader.client().head_object(Bucket=bucket, Key=key)
        except Exception as exc:  # noqa: BLE001 - only "not found" is an answer; anything else is "cannot say"
            answer = getattr(exc, "response", None) or {}
            return False if answer.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404 else None
        return True

    # --- batches of this crawl ----------------------------------------------------------------

    def seal(self, batch: Batch) -> bool:
        """Make `batch` durable and commit it, or in cluster mode hold it under the lease; False if that failed."""
        assert batch.file is not None  # noqa: S101 - a batch is sealed once
        lease = batch_lease(self.crawler)
        try:
            batch.file.flush()
            os.fsync(batch.file.fileno())
            batch.file.close()
            batch.file = None
            if lease is not None:
                return self._lease(batch)
            ready = self.spool.advance(batch.path)
        except OSError as exc:
            self.discard(batch, exc)
            return False
        try:
            self.ledger.deliver(batch.versions)
        except Exception:
            self._count("errors/state_commit_failed")
            logger.exception("could not commit batch %s to the crawl state; the next crawl commits and uploads it",
                             batch.uri)
            return False
        batch.path = self.spool.advance(ready)
        self.targets.add(batch.uri.rsplit("/", 1)[0] + "/")
        return True

    def _lease(self, batch: Batch) -> bool:
        """Cluster mode: hold a fsynced batch under the process's lease (uncommitted until S3 has it)."""
        lease = batch_lease(self.crawler)
        assert lease is not None  # noqa: S101 - called in cluster mode only
        try:
            taken = lease.take(batch.uri, batch.versions)
        except Exception:
            # Its claims stay this process's: the cluster redoes them when it leaves (or dies).
            self._count("errors/batch_lease_failed")
            logger.exception("could not hold batch %s under this process's lease; it is dropped and redone", batch.uri)
            self.spool.remove(batch.path)
            return False
        if not taken:
            self._fenced(batch, batch.path)
            return False
        batch.path = self.spool.lease(batch.path)
        batch.leased = True
        self.targets.add(batch.uri.rsplit("/", 1)[0] + "/")
        return True

    def _fenced(self, batch: Batch, path: Path) -> None:
        """Drop a batch whose lease this process lost: the cluster redoes it; it is never uploaded from here."""
        self._count("warnings/batch_fenced")
        logger.warning("not uploading %s: this process lost its cluster lease, so its articles went back to the "
                       "cluster; the batch is deleted", batch.uri)
        self.spool.remove(path)

    def _uploaded(self, batch: Batch) -> None:
        """Count an uploaded batch; a leased one is committed now (S3 has it) and leaves the lease."""
        lease = batch_lease(self.crawler) if batch.leased else None
        if lease is not None:
            try:
                self.ledger.deliver(batch.versions)
                lease.release(batch.uri)
            except Exception:
                self._count("errors/state_commit_failed")
                logger.exception("batch %s is in S3 but could not be committed; the cluster commits it after "
                                 "this process leaves", batch.uri)
        self._count("delivery/uploaded", len(batch.versions))
        self._count("s3/batches_uploaded")

    def discard(self, batch: Batch, exc: OSError, *, extra: int = 0) -> None:
        """Give up a batch the spool could not take: its articles were not committed, so they stay new."""
        if batch.file is not None:
            with contextlib.suppress(OSError):
                batch.file.close()
            batch.file = None
        with contextlib.suppress(OSError):
            batch.path.unlink(missing_ok=True)
        self.lost_write(batch.uri, exc, len(batch.versions) + extra)

    def lost_write(self, uri: str, exc: OSError, articles: int) -> None:
        """Count and log articles the spool could not take (the next crawl emits them again)."""
        self._count("errors/spool_write_failed")
        self._count("delivery/not_spooled", articles)
        logger.error("could not write batch %s to the spool (%s); its %d articles stay new for the next crawl",
                     uri, exc, articles)

    async def deliver(self, batch: Batch) -> None:
        """Upload a sealed batch; keep it spooled if S3 fails."""
        path = batch.path
        error = await run_in_thread(self._upload, path, leased=batch.leased)
        if error == FENCED:
            self._fenced(batch, path)
            return
        if error is None:
            self._uploaded(batch)
            logger.info("delivered %d articles to %s", len(batch.versions), batch.uri)
            if self.spooled and not self._retrying:
                await self.retry_spooled()
            return
        self.spooled[batch.path] = batch
        self._count("warnings/s3_upload_failed")
        logger.warning("S3 upload of %s failed (%s); the batch is spooled at %s and will be uploaded later",
                       batch.uri, error, batch.path)

    def retry_due(self) -> None:
        """Cluster mode: try the spooled batches again every `LEASED_RETRY_EVERY` seconds (called each tick)."""
        if self._retrying or not any(b.leased for b in self.spooled.values()):
            return
        if time.monotonic() - self._last_retry < LEASED_RETRY_EVERY:
            return
        task = asyncio.get_event_loop().create_task(self.retry_spooled())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def retry_spooled(self) -> None:
        """Try this crawl's spooled batches again, oldest first, stopping at the first failure."""
        self._retrying = True
        self._last_retry = time.monotonic()
        try:
            for path, batch in sorted(self.spooled.items(), key=lambda kv: kv[1].number):
                error = await run_in_thread(self._upload, path, leased=batch.leased)
                if error is not None and error != FENCED:
                    logger.info("S3 still failing (%s); %d batches stay spooled", error, len(self.spooled))
                    return
                del self.spooled[path]
                if error == FENCED:
                    self._fenced(batch, path)
                    continue
                self._uploaded(batch)
                logger.info("delivered spooled batch %s (%d articles)", batch.uri, len(batch.versions))
        finally:
            self._retrying = False
            self.report()

    def report(self) -> None:
        """Put the spool's state into the stats (read by the summary)."""
        if self.stats is None:
            return
        self.stats.set_value("newscrawl/delivery/spooled", sum(len(b.versions) for b in self.spooled.values()))
        self.stats.set_value("newscrawl/s3/batches_spooled", len(self.spooled))
        self.stats.set_value("newscrawl/s3/spool", str(self.spool.root))
        if batch_lease(self.crawler) is not None:
            self.stats.set_value("newscrawl/s3/leased", 1)
        if self.targets:
            self.stats.set_value("newscrawl/s3/targets", ", ".join(sorted(self.targets)))

    # --- what earlier crawls left -------------------------------------------------------------

    async def _recover(self) -> None:
        """At the start of a crawl: finish what killed crawls left, upload what is spooled."""
        found = self.spool.scan()
        spooled = found.spooled
        for path in found.parts:
            self._count("warnings/partial_batch_discarded")
            logger.warning("discarding %s, the unfinished batch of an interrupted crawl; its articles were not "
                           "committed and will be emitted again", path)
            self.spool.remove(path)
        for path in found.leases:
            self._count("warnings/lease_batch_dropped")
            logger.warning("dropping %s, a batch of a cluster process that is gone: its lease decided it (in S3 and "
                           "committed, or its articles redone by the cluster), so no other process uploads it", path)
            self.spool.remove(path)
        now = int(time.time())
        for path in found.readies:
            self.ledger.deliver(_versions(path, now))
            spooled.append(self.spool.advance(path))
            logger.info("committed %s, a batch an interrupted crawl had written but not committed", path)
        if spooled:
            logger.info("uploading %d spooled batches before crawling", len(spooled))
        for path in sorted(spooled):
            articles = _count_lines(path)
            error = await run_in_thread(self._upload, path)
            if error is not None:
                self._count("warnings/s3_upload_failed")
                logger.warning("S3 upload of spooled %s failed (%s); it stays spooled", path, error)
                break
            self._count("delivery/recovered", articles)
            self._count("s3/batches_recovered")
            logger.info("delivered %d articles spooled by an earlier crawl to %s", articles, self.spool.uri_for(path))
        self.report()

    def _count(self, key: str, value: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newscrawl/{key}", value)
