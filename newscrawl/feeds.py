"""Feed storage that loses nothing: JSONL batches to S3, spooled to local disk when S3 is down.

Turn it on with one setting or environment variable, ``NEWSCRAWL_S3_URI``::

    NEWSCRAWL_S3_URI=s3://BUCKET/kabar
    -> s3://BUCKET/kabar/<group>/<time>-<batch>.jsonl   e.g. kabar/prmn/2024-06-01T10-00-00Z-00001.jsonl

``<group>`` is the scheduled group (``NEWSCRAWL_FEED_GROUP``, set by ``newscrawl schedule``), else
the crawl's network, else its portal; ``<time>`` is the crawl's start (UTC) and ``<batch>`` counts
from 00001. A value containing ``%(`` is taken as the whole URI template (``%(group)s``,
``%(time)s`` and ``%(batch)s`` are available). ``AWS_ENDPOINT_URL`` points boto3 at an
S3-compatible store; credentials come only from the environment (boto3's default chain) and are
refused as Scrapy settings, which Scrapy logs.

Batches close at ``NEWSCRAWL_BATCH_ITEMS`` articles or ``NEWSCRAWL_BATCH_SECONDS`` seconds,
whichever comes first. Exactly-once delivery rests on the spool directory
(``NEWSCRAWL_SPOOL_DIR``), an outbox laid out like the bucket (``<spool>/<bucket>/<key>``):

1. A batch is written to ``<key>.<run>.part`` while the crawl adds articles to it.
2. Closing it: fsync, rename to ``<key>.<run>.ready``, commit its articles (URL key and content
   hash from each line) to the crawl state (newscrawl/state.py) as *delivered*, rename to
   ``<key>``. From here on the batch is durable and its articles count as delivered.
3. Upload ``<key>`` to S3 (a PUT of a fixed key, so repeating it never duplicates anything), then
   delete it. If S3 fails, it stays spooled; it is retried after the next successful upload of
   the crawl, and every crawl starts by uploading whatever is spooled, before new work.

A crawl killed at any point (SIGKILL included) is recovered by the next one: an orphaned ``.part``
(its run's lock is free) is deleted, and since its articles were never committed the next crawl
emits them again; an orphaned ``.ready`` is committed and renamed; spooled keys are uploaded.
So every article version reaches S3 exactly once, in one object. JOBDIR is not needed: a
restarted crawl re-reads the start pages and the state turns everything already delivered into
``newscrawl/skipped/unchanged``.

Uploads run in threads; batches are closed on the asyncio event loop (the asyncio reactor, the
project's and Scrapy's default, is required).

This module must never write an article anywhere but the spool and S3, never log or store a
credential, and never commit an article to the state before its batch is durable on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.asyncio import create_looping_call, run_in_thread

from newscrawl.state import Ledger, Version, article_key, content_hash

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

DEFAULT_SPOOL = ".spool"
# Appended to a NEWSCRAWL_S3_URI given as a prefix.
KEY_TEMPLATE = "%(group)s/%(time)s-%(batch)s.jsonl"
# What the batch number replaces in a feed URI (uri_params sets %(batch)s to it).
BATCH_MARK = "*"
_SECRET_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUN_FILE = re.compile(r"^(?P<name>.+)\.(?P<run>[0-9a-f]{12})\.(?P<stage>part|ready)$")
_LOCKS = ".locks"
_OPEN_ATTEMPTS = 50


class DeliveryConfigError(ValueError):
    """The S3 feed is misconfigured; the message says what to change, in one line."""


def split_s3(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> (bucket, key), refusing credentials and odd paths."""
    parts = urlsplit(uri)
    if parts.scheme != "s3" or not parts.netloc:
        raise DeliveryConfigError(f"S3 URI {uri!r}: write s3://BUCKET/prefix")
    if "@" in parts.netloc:
        raise DeliveryConfigError(
            "S3 URI: credentials in the URI are refused; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "in the environment",
        )
    key = parts.path.lstrip("/")
    if any(segment in ("", ".", "..") for segment in key.split("/")[:-1]):
        raise DeliveryConfigError(f"S3 URI {uri!r}: empty, '.' or '..' path segments are not allowed")
    return parts.netloc, key


def s3_feed_template(uri: str) -> str:
    """The feed URI template for a NEWSCRAWL_S3_URI value (a prefix, or a whole template)."""
    uri = uri.strip()
    split_s3(uri.replace("%(", "x("))
    if "%(" in uri:
        return uri
    return f"{uri.rstrip('/')}/{KEY_TEMPLATE}"


def feed_group(spider: Spider) -> str:
    """The ``<group>`` part of the S3 keys: the scheduled group, else the network or portal."""
    explicit = spider.crawler.settings.get("NEWSCRAWL_FEED_GROUP")
    params = getattr(spider, "params", None)
    targets = getattr(spider, "targets", [])
    if explicit:
        name = str(explicit)
    elif params is not None and (params.portals or params.start_urls):
        name = targets[0].portal.id if len(targets) == 1 else "portals"
    elif params is not None and params.network:
        name = params.network
    else:
        name = "all"
    return _UNSAFE.sub("-", name).strip("-.") or "all"


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """FEEDS ``uri_params`` of the S3 feed: ``group``, a readable UTC ``time``, and the batch mark."""
    params["group"] = feed_group(spider)
    params["time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    params["batch"] = BATCH_MARK
    if spider.crawler.settings.get("NEWSCRAWL_CLUSTER"):
        from newscrawl.ops.cluster.worker import Worker  # noqa: PLC0415 - cluster mode only (it needs redis)

        # The processes of one cluster crawl start in the same second: their keys must differ.
        params["time"] += f"-{Worker.of(spider.crawler).mark}"
    return params


class S3FeedAddon:
    """Add-on: when ``NEWSCRAWL_S3_URI`` is set, add the S3 feed (in place of the default local feed)."""

    def update_settings(self, settings: Settings) -> None:
        """Add the S3 feed to FEEDS; explicit feeds (-o, -O, Scrapyd's items_dir) are kept.

        AWS credentials given as settings are refused here, before Scrapy logs the settings.
        """
        given = [name for name in _SECRET_SETTINGS if settings.get(name)]
        if given:
            raise DeliveryConfigError(
                f"{given[0]} is set as a Scrapy setting; AWS credentials are taken only from the environment "
                "(settings are written to the log)",
            )
        uri = settings.get("NEWSCRAWL_S3_URI") or os.environ.get("NEWSCRAWL_S3_URI")
        if not uri:
            return
        template = s3_feed_template(str(uri))
        feeds = dict(settings.getdict("FEEDS"))
        priority = settings.getpriority("FEEDS") or 0
        if priority == SETTINGS_PRIORITIES["spider"] and list(feeds) == [settings.get("NEWSCRAWL_DEFAULT_FEED")]:
            feeds = {}  # the spider's default local feed: S3 replaces it
        feeds[template] = {
            "format": "jsonlines",
            "encoding": "utf-8",
            "store_empty": False,
            "batch_item_count": 0,  # batching is the storage's own (items and seconds)
            "uri_params": "newscrawl.feeds.uri_params",
        }
        settings.set("FEEDS", feeds, priority=max(priority, SETTINGS_PRIORITIES["addon"]))


class Spool:
    """The local outbox of S3 batches (layout and life cycle: see the module docstring).

    Each crawl holds an exclusive lock on ``.locks/<run>.lock`` for its whole life, so another
    crawl sharing the directory can tell a live run's unfinished batch from a dead run's.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.run = secrets.token_hex(6)
        locks = self.root / _LOCKS
        try:
            locks.mkdir(parents=True, exist_ok=True)
            self._lock_path = locks / f"{self.run}.lock"
            self._lock: IO[str] | None = self._lock_path.open("w", encoding="ascii")
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise DeliveryConfigError(
                f"spool directory {self.root}: not usable ({exc}); set NEWSCRAWL_SPOOL_DIR",
            ) from exc

    def path_for(self, uri: str) -> Path:
        """Where the batch for `uri` is spooled."""
        bucket, key = split_s3(uri)
        return self.root / bucket / key

    def uri_for(self, path: Path) -> str:
        """The S3 URI a spooled file goes to."""
        bucket, *key = path.relative_to(self.root).parts
        return f"s3://{bucket}/{'/'.join(key)}"

    def open_part(self, uri: str) -> tuple[Path, IO[bytes]]:
        """A new ``.part`` file for the batch going to `uri`."""
        final = self.path_for(uri)
        part = final.with_name(f"{final.name}.{self.run}.part")
        attempt = 1
        while True:
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                return part, part.open("wb")
            except (FileNotFoundError, FileExistsError):
                # An upload finishing in another thread (or crawl) removed the directory as empty
                # while it was being made or after: make it again.
                if attempt == _OPEN_ATTEMPTS:
                    raise
                attempt += 1

    def advance(self, path: Path) -> Path:
        """``.part`` -> ``.ready`` -> final name; the rename is made durable before returning."""
        match = _RUN_FILE.match(path.name)
        if match is None:
            raise ValueError(f"not a batch in progress: {path}")
        ready = match["stage"] == "part"
        target = path.with_name(f"{match['name']}.{match['run']}.ready" if ready else match["name"])
        path.replace(target)
        _fsync_dir(target.parent)
        return target

    def scan(self) -> tuple[list[Path], list[Path], list[Path]]:
        """(spooled batches, orphaned .part files, orphaned .ready files) in the whole spool."""
        spooled: list[Path] = []
        parts: list[Path] = []
        readies: list[Path] = []
        live: dict[str, bool] = {}
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.relative_to(self.root).parts[0] == _LOCKS:
                continue
            match = _RUN_FILE.match(path.name)
            if match is None:
                spooled.append(path)
                continue
            run = match["run"]
            if run not in live:
                live[run] = self._is_live(run)
            if not live[run]:
                (parts if match["stage"] == "part" else readies).append(path)
        for lock in (self.root / _LOCKS).glob("*.lock"):
            if lock.stem not in live:
                self._is_live(lock.stem)  # removes the lock a killed run left behind
        return spooled, parts, readies

    def _is_live(self, run: str) -> bool:
        if run == self.run:
            return True
        lock_path = self.root / _LOCKS / f"{run}.lock"
        try:
            with lock_path.open("a", encoding="ascii") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lock_path.unlink(missing_ok=True)  # a dead run's lock: tidy it away while holding it
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False

    def remove(self, path: Path) -> None:
        """Delete a spooled file and the directories it leaves empty."""
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != self.root and parent.is_relative_to(self.root):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    def close(self) -> None:
        """Release the run's lock."""
        if self._lock is not None:
            self._lock_path.unlink(missing_ok=True)
            self._lock.close()
            self._lock = None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _versions(path: Path, at: int) -> list[Version]:
    """The article versions in a JSONL batch file (its content_hash, else recomputed)."""
    versions = []
    with path.open("rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            digest = bytes.fromhex(item["content_hash"]) if item.get("content_hash") else content_hash(item)
            versions.append(Version(article_key(item["url"]), digest, at))
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


class S3Delivery:
    """One crawl's delivery to S3: the spool, the S3 client, uploads, recovery, and the counts."""

    _by_crawler: ClassVar[weakref.WeakKeyDictionary[Crawler, S3Delivery]] = weakref.WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        spool_dir = settings.get("NEWSCRAWL_SPOOL_DIR") or os.environ.get("NEWSCRAWL_SPOOL_DIR") or DEFAULT_SPOOL
        self.spool = Spool(Path(spool_dir))
        self.ledger = Ledger.of(crawler)
        self.ledger.transactional = True
        self.batch_items = max(1, settings.getint("NEWSCRAWL_BATCH_ITEMS", 500))
        self.batch_seconds = max(0.1, settings.getfloat("NEWSCRAWL_BATCH_SECONDS", 300.0))
        self.attempts = max(1, settings.getint("NEWSCRAWL_S3_ATTEMPTS", 3))
        self._settings = settings
        self._client: Any = None
        self._client_lock = threading.Lock()
        self.spooled: dict[Path, Batch] = {}  # this crawl's durable batches still waiting for S3
        self._retrying = False
        self.targets: set[str] = set()
        logger.info("S3 delivery: spool %s, batches of %d articles or %gs",
                    self.spool.root, self.batch_items, self.batch_seconds)
        crawler.signals.connect(self._recover, signal=signals.spider_opened)
        crawler.signals.connect(self.spool.close, signal=signals.engine_stopped)

    @classmethod
    def of(cls, crawler: Crawler) -> S3Delivery:
        """The crawler's delivery, created on first use."""
        delivery = cls._by_crawler.get(crawler)
        if delivery is None:
            delivery = cls(crawler)
            cls._by_crawler[crawler] = delivery
        return delivery

    # --- S3 --------------------------------------------------------------------------------

    def _s3(self) -> Any:
        with self._client_lock:
            if self._client is None:
                import boto3  # noqa: PLC0415 - boto3 is slow to import; only S3 crawls need it
                from botocore.config import Config  # noqa: PLC0415

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self._settings.get("AWS_ENDPOINT_URL") or None,
                    region_name=self._settings.get("AWS_REGION_NAME") or None,
                    config=Config(
                        retries={"max_attempts": self.attempts, "mode": "standard"},
                        connect_timeout=10,
                        read_timeout=120,
                    ),
                )
            return self._client

    def _upload(self, path: Path) -> str | None:
        """PUT one spooled file to its key and delete it; the error text if that failed.

        Runs in a thread. A file already gone was uploaded by another crawl sharing the spool.
        """
        uri = self.spool.uri_for(path)
        bucket, key = split_s3(uri)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            self._s3().put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/x-ndjson")
        except Exception as exc:  # noqa: BLE001 - any failure leaves the batch spooled, which is safe
            return f"{type(exc).__name__}: {exc}"
        self.spool.remove(path)
        return None

    # --- batches of this crawl ----------------------------------------------------------------

    def seal(self, batch: Batch) -> bool:
        """Make `batch` durable and commit it (see the module docstring); False if that failed."""
        assert batch.file is not None  # noqa: S101 - a batch is sealed once
        try:
            batch.file.flush()
            os.fsync(batch.file.fileno())
            batch.file.close()
            batch.file = None
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
        error = await run_in_thread(self._upload, batch.path)
        if error is None:
            self._count("delivery/uploaded", len(batch.versions))
            self._count("s3/batches_uploaded")
            logger.info("delivered %d articles to %s", len(batch.versions), batch.uri)
            if self.spooled and not self._retrying:
                await self.retry_spooled()
            return
        self.spooled[batch.path] = batch
        self._count("warnings/s3_upload_failed")
        logger.warning("S3 upload of %s failed (%s); the batch is spooled at %s and will be uploaded later",
                       batch.uri, error, batch.path)

    async def retry_spooled(self) -> None:
        """Try this crawl's spooled batches again, oldest first, stopping at the first failure."""
        self._retrying = True
        try:
            for path, batch in sorted(self.spooled.items(), key=lambda kv: kv[1].number):
                error = await run_in_thread(self._upload, path)
                if error is not None:
                    logger.info("S3 still failing (%s); %d batches stay spooled", error, len(self.spooled))
                    return
                del self.spooled[path]
                self._count("delivery/uploaded", len(batch.versions))
                self._count("s3/batches_uploaded")
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
        if self.targets:
            self.stats.set_value("newscrawl/s3/targets", ", ".join(sorted(self.targets)))

    # --- what earlier crawls left -------------------------------------------------------------

    async def _recover(self) -> None:
        """At the start of a crawl: finish what killed crawls left, upload what is spooled."""
        spooled, parts, readies = self.spool.scan()
        for path in parts:
            self._count("warnings/partial_batch_discarded")
            logger.warning("discarding %s, the unfinished batch of an interrupted crawl; its articles were not "
                           "committed and will be emitted again", path)
            self.spool.remove(path)
        now = int(time.time())
        for path in readies:
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


class _BatchFile:
    """The file the feed exporter writes to: complete lines go into the storage's batches."""

    def __init__(self, storage: SpoolingS3FeedStorage) -> None:
        self._storage = storage
        self._pending = b""
        self.closed = False

    def write(self, data: bytes) -> int:
        """Take exported bytes; each complete line is one article."""
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            if line.strip():
                self._storage.add(line + b"\n")
        return len(data)

    def writable(self) -> bool:
        """Always writable."""
        return True

    def flush(self) -> None:
        """Lines are handed on as they complete; nothing is buffered here."""

    def close(self) -> None:
        """Nothing to release: batches are closed by the storage."""
        self.closed = True


class SpoolingS3FeedStorage:
    """FEED_STORAGES["s3"]: batches by items and seconds, spooled, committed, uploaded.

    One instance per FEEDS entry and crawl; Scrapy's own batching (FEED_EXPORT_BATCH_ITEM_COUNT)
    is refused because the storage numbers the batches itself.
    """

    def __init__(self, uri: str, delivery: S3Delivery, *, feed_options: dict[str, Any] | None = None) -> None:
        options = feed_options or {}
        if options.get("format", "jsonlines") not in ("jsonlines", "jsonl"):
            raise DeliveryConfigError(f"S3 feed {uri}: only the jsonlines format can be batched")
        if options.get("postprocessing"):
            raise DeliveryConfigError(f"S3 feed {uri}: postprocessing is not supported")
        if options.get("batch_item_count"):
            raise DeliveryConfigError(f"S3 feed {uri}: use NEWSCRAWL_BATCH_ITEMS, not batch_item_count")
        split_s3(uri.replace("%(", "x("))
        self.uri = uri
        self.delivery = delivery
        self._batch: Batch | None = None
        self._number = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> Self:
        """Build the storage for one feed of `crawler`."""
        return cls(uri, S3Delivery.of(crawler), feed_options=feed_options)

    def batch_uri(self, number: int) -> str:
        """The object URI of batch `number`."""
        mark = f"{number:05d}"
        if BATCH_MARK in self.uri:
            head, _, tail = self.uri.rpartition(BATCH_MARK)
            return f"{head}{mark}{tail}"
        head, _, name = self.uri.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        return f"{head}/{stem}-{mark}{dot}{ext}" if dot else f"{self.uri}-{mark}"

    def open(self, spider: Spider) -> _BatchFile:  # noqa: ARG002 - Scrapy's storage interface
        """Start taking lines; batches older than NEWSCRAWL_BATCH_SECONDS are closed by a timer."""
        self._timer = create_looping_call(self._tick)
        self._timer.start(min(1.0, self.delivery.batch_seconds / 2), now=False)
        return _BatchFile(self)

    def add(self, line: bytes) -> None:
        """Append one article's line to the current batch (opening one if needed)."""
        item = json.loads(line)
        digest = bytes.fromhex(item["content_hash"]) if item.get("content_hash") else content_hash(item)
        if self._batch is None:
            self._number += 1
            uri = self.batch_uri(self._number)
            try:
                path, file = self.delivery.spool.open_part(uri)
            except OSError as exc:
                self.delivery.lost_write(uri, exc, 1)
                return
            self._batch = Batch(self._number, uri, path, file)
        assert self._batch.file is not None  # noqa: S101 - an open batch has its file
        try:
            self._batch.file.write(line)
        except OSError as exc:
            batch, self._batch = self._batch, None
            self.delivery.discard(batch, exc, extra=1)
            return
        self._batch.versions.append(Version(article_key(item["url"]), digest, int(time.time())))
        if len(self._batch.versions) >= self.delivery.batch_items:
            self._close_batch()

    def _tick(self) -> None:
        if self._batch is not None and time.monotonic() - self._batch.opened >= self.delivery.batch_seconds:
            self._close_batch()

    def _close_batch(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None or not batch.versions:
            return
        if self.delivery.seal(batch):
            task = asyncio.get_event_loop().create_task(self.delivery.deliver(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def store(self, file: IO[bytes]) -> Any:  # noqa: ARG002 - the lines already went to the batches
        """At the end of the crawl: close the last batch, wait for the uploads, retry the spooled."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self._close_batch()
        return self._finish()

    async def _finish(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
        if self.delivery.spooled:
            await self.delivery.retry_spooled()
        self.delivery.report()
        if self.delivery.spooled:
            logger.warning("%d batches could not be uploaded; they are spooled in %s and the next crawl uploads them",
                           len(self.delivery.spooled), self.delivery.spool.root)

