"""The crawl state: which version of each article has been delivered, shared by successive crawls.

A scheduled crawl re-reads home, index and tag pages and only emits articles that are new or whose
content changed; this module remembers, per article, the content hash of the version last
*delivered* and when the article was first and last seen. It is shared by every crawl (every
Scrapyd job) that points at the same state, so its location must be the same for all of them:
``NEWSCRAWL_STATE`` (setting or environment variable) names it, as a URI or a plain path::

    NEWSCRAWL_STATE=/var/lib/newscrawl/state.sqlite           # a path (relative: to the working dir)
    NEWSCRAWL_STATE=sqlite:///var/lib/newscrawl/state.sqlite  # the same, as a URI

The default, ``.state/kabar.sqlite``, is relative to the crawl's working directory; Scrapyd runs
every job in its own working directory, so all of a node's jobs share it, but an absolute path
(given to Scrapyd's environment or in the schedule's settings) is clearer. The absolute path is
logged at the start of every crawl.

Backends sit behind the small `CrawlState` interface (look up, deliver, touch, count, close);
SQLite is the one built in; Redis (``redis://host:6379/0``, newscrawl/state_redis.py) is the one
a cluster of nodes shares. Every backend keeps exactly the same semantics: tests/test_state.py
is parametrised over backends.

Articles are keyed by a 16-byte BLAKE2b digest of `newscrawl.extract.links.dedup_key` (so every
URL variant of an article is one entry, and an entry is a fixed 45 bytes or so whatever the URL
length) and store a 16-byte BLAKE2b content hash over `CONTENT_FIELDS`.

"Delivered" means durably stored by the feed (see newscrawl/feeds.py: a batch is committed here
only once it is on disk in the spool, before it is uploaded). There is deliberately no "pending"
record in the state: the spool file *is* the pending record, which keeps the commit atomic.

This module must never decide what a crawl fetches, never drop an item itself, and never store
anything but keys, hashes and times (no article text, no URLs, no credentials).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
import weakref
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.extract.links import dedup_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_STATE = ".state/kabar.sqlite"
DIGEST_SIZE = 16
# The fields whose change makes an article "updated". Volatile metadata is left out on purpose:
# `modified_at` (some CMSs bump it on every view), `image_url` (CDN tokens), `related_urls`
# (the "Baca Juga" box changes as new articles appear), `crawled_at`, and registry fields.
CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "body",
    "author",
    "editor",
    "source",
    "dateline",
    "section",
    "tags",
    "image_caption",
    "published_at",
)
# Unchanged articles have their last-seen time written in batches of this many.
TOUCH_BATCH = 1000
#: Scrapy signal sent by `Ledger.deliver` with ``versions`` (a list of `Version`) once they are
#: committed, i.e. durably delivered (cluster mode confirms its article claims on it).
versions_delivered = object()


class StateError(RuntimeError):
    """The crawl state cannot be used; the message says which state and why, in one line."""


@dataclass(frozen=True, slots=True)
class Seen:
    """What the state knows about one article."""

    content_hash: bytes  # of the version last delivered
    first_seen: int  # Unix time of the first delivery
    last_seen: int  # Unix time it was last delivered or seen unchanged


@dataclass(frozen=True, slots=True)
class Version:
    """One delivered version of an article: its key (``dedup_key``), content hash, and when."""

    key: str
    content_hash: bytes
    at: int


def content_hash(fields: Mapping[str, Any]) -> bytes:
    """The 16-byte hash of an article's content (`CONTENT_FIELDS`).

    It is the same for an item and for the JSON line the item was exported as.
    """
    values = [fields.get(name) for name in CONTENT_FIELDS]
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def key_digest(key: str) -> bytes:
    """The fixed-size identity an article's key is stored under, in every backend."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def article_key(url: str) -> str:
    """The state key of the article at `url` (all its URL variants give the same key)."""
    return dedup_key(url)


class CrawlState(ABC):
    """The interface every backend implements, with the same semantics.

    * `get_many(keys)` returns what is known of each key that was ever delivered.
    * `deliver(versions)` records delivered versions atomically (all or none): the content hash
      is replaced, ``first_seen`` is kept if the key is known, ``last_seen`` becomes ``at``.
    * `touch(keys, at)` sets ``last_seen`` of known keys (unchanged articles seen again); it may be
      buffered until `flush` or `close`, and losing it in a crash is harmless.
    * `count()` is the number of keys known; `close()` flushes and releases the backend.
    """

    #: Where the state lives, for log lines (never contains credentials).
    location: str

    def get(self, key: str) -> Seen | None:
        """What is known of one article, or None if it was never delivered."""
        return self.get_many([key]).get(key)

    @abstractmethod
    def get_many(self, keys: Iterable[str]) -> dict[str, Seen]:
        """What is known of each of `keys` (keys never delivered are absent)."""

    @abstractmethod
    def deliver(self, versions: Iterable[Version]) -> None:
        """Record delivered versions, all or none."""

    # Last-seen times waiting for `flush`, by key digest; every backend batches touches alike.
    _touched: dict[bytes, int]

    def touch(self, keys: Iterable[str], at: int) -> None:
        """Note that known articles were seen again, unchanged, at `at` (flushed every `TOUCH_BATCH`)."""
        for key in keys:
            self._touched[key_digest(key)] = at
        if len(self._touched) >= TOUCH_BATCH:
            self.flush()

    @abstractmethod
    def flush(self) -> None:
        """Write buffered touches."""

    @abstractmethod
    def count(self) -> int:
        """How many articles the state knows."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the backend; the object is unusable afterwards."""


class SqliteState(CrawlState):
    """`CrawlState` in one SQLite file: WAL mode, one WITHOUT ROWID table keyed by digest.

    Several processes (concurrent Scrapyd jobs) may share the file: writers wait for each other
    (busy timeout) and readers never block. Lookups are primary-key B-tree searches, O(log n).
    """

    SCHEMA_VERSION: ClassVar[int] = 1
    _SCHEMA: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        (
            "CREATE TABLE IF NOT EXISTS seen ("
            " k BLOB PRIMARY KEY,"  # key_digest(dedup_key(url))
            " h BLOB NOT NULL,"  # content_hash of the version last delivered
            " first INTEGER NOT NULL,"
            " last INTEGER NOT NULL"
            ") WITHOUT ROWID"
        ),
    )

    def __init__(self, path: Path, *, busy_timeout: float = 60.0) -> None:
        self.path = path.resolve()
        self.location = str(self.path)
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                self._open(busy_timeout)
                break
            except sqlite3.OperationalError as exc:
                # Two crawls creating the same state at once: switching to WAL can answer "locked"
                # without waiting on SQLite's busy handler, so the open itself is retried.
                if getattr(self, "_db", None) is not None:
                    self._db.close()
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StateError(f"crawl state {self.location}: cannot open ({exc})") from exc
                time.sleep(0.05)
            except (sqlite3.Error, OSError) as exc:
                raise StateError(f"crawl state {self.location}: cannot open ({exc})") from exc
        self._touched: dict[bytes, int] = {}

    def _open(self, busy_timeout: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before the spool renames its batch (see newscrawl/feeds.py).
        self._db.execute("PRAGMA synchronous=FULL")
        with self._transaction():
            for statement in self._SCHEMA:
                self._db.execute(statement)
            row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(self.SCHEMA_VERSION),))
            elif int(row[0]) != self.SCHEMA_VERSION:
                raise StateError(
                    f"crawl state {self.location}: schema version {row[0]}, this newscrawl reads "
                    f"version {self.SCHEMA_VERSION}",
                )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def get_many(self, keys: Iterable[str]) -> dict[str, Seen]:
        """Look the keys up by digest, up to 500 per query."""
        by_digest = {key_digest(k): k for k in keys}
        digests = list(by_digest)
        found: dict[str, Seen] = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT k, h, first, last FROM seen WHERE k IN ({marks})", chunk)  # noqa: S608 - only "?" marks are interpolated
            for digest, h, first, last in rows:
                found[by_digest[digest]] = Seen(bytes(h), first, last)
        return found

    def deliver(self, versions: Iterable[Version]) -> None:
        """Upsert the versions in one transaction."""
        rows = [(key_digest(v.key), v.content_hash, v.at, v.at) for v in versions]
        if not rows:
            return
        with self._transaction():
            self._db.executemany(
                "INSERT INTO seen (k, h, first, last) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (k) DO UPDATE SET h = excluded.h, last = excluded.last",
                rows,
            )
        for digest, *_ in rows:
            self._touched.pop(digest, None)

    def flush(self) -> None:
        """Write the buffered last-seen times in one transaction."""
        if not self._touched:
            return
        rows = [(at, digest, at) for digest, at in self._touched.items()]
        with self._transaction():
            self._db.executemany("UPDATE seen SET last = ? WHERE k = ? AND last < ?", rows)
        self._touched.clear()

    def count(self) -> int:
        """Rows in the table (a full count: for reports, not for the crawl's hot path)."""
        row = self._db.execute("SELECT count(*) FROM seen").fetchone()
        return int(row[0])

    def close(self) -> None:
        """Flush, checkpoint the WAL into the main file, and close."""
        try:
            self.flush()
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._db.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _open_sqlite(location: str) -> CrawlState:
    return SqliteState(Path(location))


def _open_redis(uri: str) -> CrawlState:
    from newscrawl.state_redis import RedisState  # noqa: PLC0415 - only Redis users need the redis client

    return RedisState.from_uri(uri)


# Backends by URI scheme. A backend opener takes the URI's location part (a path for sqlite, the
# whole URI for redis: newscrawl/state_redis.py).
BACKENDS: dict[str, Callable[[str], CrawlState]] = {
    "sqlite": _open_sqlite,
    "redis": _open_redis,
    "rediss": _open_redis,
}


def open_state(uri: str) -> CrawlState:
    """Open the crawl state named by `uri` (``scheme://location`` or a plain file path)."""
    uri = uri.strip()
    if not uri:
        raise StateError("crawl state: NEWSCRAWL_STATE is empty")
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter: a plain path
        return _open_sqlite(uri)
    opener = BACKENDS.get(scheme)
    if opener is None:
        raise StateError(
            f"crawl state {uri!r}: unknown backend {scheme!r} (available: {', '.join(sorted(BACKENDS))})",
        )
    if scheme == "sqlite":
        if parts.netloc:
            raise StateError(f"crawl state {uri!r}: write sqlite:///absolute/path or a plain path")
        return opener(unquote(parts.path))
    return opener(uri)


def state_configured(settings: Mapping[str, Any]) -> bool:
    """Whether the crawl was given a crawl state (setting or environment), as scheduled jobs are."""
    return bool(settings.get("NEWSCRAWL_STATE") or os.environ.get("NEWSCRAWL_STATE"))


def state_uri(settings: Mapping[str, Any]) -> str:
    """The state URI a crawl uses: setting, else environment, else `DEFAULT_STATE`."""
    return str(settings.get("NEWSCRAWL_STATE") or os.environ.get("NEWSCRAWL_STATE") or DEFAULT_STATE)


class Ledger:
    """One crawl's use of the crawl state, shared by the incremental pipeline and the feed storages.

    The pipeline asks whether an article is new, changed or unchanged, and notes what it emits.
    A *transactional* feed storage (the S3 storage in newscrawl/feeds.py) commits each batch
    itself when it is durably stored; without one, what was emitted is committed when the feeds
    close normally (a crawl that is killed then re-emits those articles: at least once).
    """

    _by_crawler: ClassVar[weakref.WeakKeyDictionary[Crawler, Ledger]] = weakref.WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = open_state(state_uri(crawler.settings))
        logger.info("crawl state: %s (%d articles known)", self.state.location, self.state.count())
        self.transactional = False
        self.emitted: dict[str, bytes] = {}
        self._closed = False
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._feeds_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def of(cls, crawler: Crawler) -> Ledger:
        """The crawler's ledger, opened on first use."""
        ledger = cls._by_crawler.get(crawler)
        if ledger is None:
            ledger = cls(crawler)
            cls._by_crawler[crawler] = ledger
        return ledger

    def seen(self, key: str) -> Seen | None:
        """What the state knows of `key`."""
        return self.state.get(key)

    def unchanged(self, key: str) -> None:
        """Record that `key` was seen again, unchanged."""
        self.state.touch([key], int(time.time()))

    def _scraped(self, item: Any) -> None:
        # Items that passed every pipeline: these are what the feeds receive.
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if url:
            hexdigest = adapter.get("content_hash")
            self.emitted[article_key(url)] = bytes.fromhex(hexdigest) if hexdigest else content_hash(adapter)

    def deliver(self, versions: Iterable[Version]) -> None:
        """Commit delivered versions (called by transactional storages); then send `versions_delivered`."""
        committed = list(versions)
        self.state.deliver(committed)
        self.crawler.signals.send_catch_log(signal=versions_delivered, versions=committed)

    def _feeds_closed(self) -> None:
        if self.transactional or not self.emitted:
            return
        stats = self.crawler.stats
        failed = stats is not None and any(
            k.startswith("feedexport/failed_count/") and v for k, v in stats.get_stats().items()
        )
        if failed:
            logger.warning("a feed failed to store: %d emitted articles stay new for the next crawl", len(self.emitted))
            return
        now = int(time.time())
        self.state.deliver(Version(k, h, now) for k, h in self.emitted.items())
        self.emitted.clear()

    def close(self) -> None:
        """Flush and close the state (at engine stop)."""
        if not self._closed:
            self._closed = True
            self.state.close()
