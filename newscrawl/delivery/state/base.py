"""The crawl state's interface: what every backend stores, and the keys and hashes it stores them under.

The crawl state remembers, per article, the content hash of the version last *delivered* and when
the article was first and last seen, so that a scheduled crawl emits only articles that are new or
whose content changed. It is shared by every crawl (every Scrapyd job) that points at the same
state: ``NEWSCRAWL_STATE`` (newscrawl/config.py) names it, as a URI or a plain path::

    NEWSCRAWL_STATE=/var/lib/newscrawl/state.sqlite           # a path (relative: to the working dir)
    NEWSCRAWL_STATE=sqlite:///var/lib/newscrawl/state.sqlite  # the same, as a URI
    NEWSCRAWL_STATE=redis://10.0.0.5:6379/0                   # shared by a cluster (redis.py)

The default, ``.state/kabar.sqlite``, is relative to the crawl's working directory; Scrapyd runs
every job in its own working directory, so all of a node's jobs share it, but an absolute path
(given to Scrapyd's environment or in the schedule's settings) is clearer. The absolute path is
logged at the start of every crawl (ledger.py).

Backends (sqlite.py, redis.py; chosen by `newscrawl.delivery.state.open_state`) implement the
small `CrawlState` interface below with exactly the same semantics: tests/test_state.py is
parametrised over backends. Articles are keyed by a 16-byte BLAKE2b digest of
`newscrawl.extract.links.dedup_key` (so every URL variant of an article is one entry, and an entry
is a fixed 45 bytes or so whatever the URL length) and store a 16-byte BLAKE2b content hash over
`CONTENT_FIELDS`.

"Delivered" means durably stored by the feed (see newscrawl/delivery/feeds/: a batch is committed
here only once it is on disk in the spool, before it is uploaded). There is deliberately no
"pending" record in the state: the spool file *is* the pending record, which keeps the commit atomic.

The extraction health keeps its records beside the state, in the same file or Redis
(newscrawl/delivery/health/store.py: portal ids and counts, no article text, no URL).

This module must never import Scrapy or a backend, decide what a crawl fetches, or drop an item;
a state stores nothing but keys, hashes and times (no article text, no URLs, no credentials).
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawl.extract.dates import is_relative
from newscrawl.extract.links import dedup_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

DIGEST_SIZE = 16
# The fields whose change makes an article "updated". Volatile metadata is left out on purpose:
# `modified_at` (some CMSs bump it on every view), `image_url` (CDN tokens), `related_urls`
# (the "Baca Juga" box changes as new articles appear), `crawled_at`, and registry fields; and
# `published_at` when the page gives it only as "2 jam lalu" (`reckoned`).
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
_PUBLISHED = CONTENT_FIELDS.index("published_at")
# Unchanged articles have their last-seen time written in batches of this many.
TOUCH_BATCH = 1000


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

    It is the same for an item and for the JSON line the item was exported as. A publication date
    reckoned from the fetch ("2 jam lalu", `reckoned`) is left out: it moves with every crawl.
    """
    values = [fields.get(name) for name in CONTENT_FIELDS]
    if reckoned(fields):
        values[_PUBLISHED] = None
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def reckoned(fields: Mapping[str, Any]) -> bool:
    """Whether the article's ``published_at`` was reckoned from when it was fetched: the page says only "2 jam lalu".

    Read from the delivered fields (the visible date chosen, and its text), so a JSON line tells it too.
    """
    return fields.get("published_from") == "text" and is_relative(fields.get("published_raw"))


def carried_hash(fields: Mapping[str, Any]) -> bytes:
    """The content hash an article carries (its ``content_hash``, set by the incremental pipeline), else computed."""
    carried = fields.get("content_hash")
    return bytes.fromhex(carried) if carried else content_hash(fields)


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


