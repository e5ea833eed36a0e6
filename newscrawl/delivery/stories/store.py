"""What every store of stories does, and the compact records the persistent ones share.

What it is for
    `StoryStore.assign` puts one article in its story and says what the article's ``story_id`` and
    ``copy_of`` are (`Assigned`). Each backend (memory.py, sqlite.py, redis.py) looks up a `View`,
    lets `decide` choose, and records the outcome in one atomic step; that step is the backend's own
    (a dict, an SQLite transaction, a Lua-checked Redis commit).

    The persistent backends keep three things, all in fixed-size binary records:
    * article entries: which story an article is in (4 bytes of its key digest + 4-byte story number);
    * band entries: the LSH band keys of each story's first article (2 bytes of the band key + the
      story number);
    * story records: the earliest published article's time and URL, and the first article's
      signature.
    Entries are kept in buckets chosen by the first bits of the key (16 bits in SQLite, 12 in Redis,
    where every key costs about 70 bytes); the rest of the key is in the entry. A band entry keeps
    so little of its key that one lookup in a million-story store meets a stranger now and then:
    harmless, as every candidate is checked against its signature. `entries_matching` reads a
    bucket; `article_bucket` and `band_buckets` split keys into bucket and kept part.

What it must never do
    Store article text or a whole MinHash, import Scrapy, or decide anything itself (decision.py does).
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from newscrawl.config import Config
from newscrawl.delivery.state import article_key, key_digest
from newscrawl.delivery.stories.decision import (
    SAME_STORY,
    Article,
    Kind,
    Plan,
    View,
    decide,
    own_story_id,
    story_id,
)
from newscrawl.delivery.stories.sketch import Sketcher

if TYPE_CHECKING:
    from collections.abc import Iterable

# Bodies with fewer words never join a story on text alone (NEWSCRAWL_STORY_MIN_WORDS; this is its default).
MIN_WORDS: Final = Config().story_min_words
REF_SIZE: Final = 4
ARTICLE_PART: Final = 4  # bytes of the key digest kept in an article entry (after the 2 that choose the bucket)
BAND_PART: Final = 2  # bytes of the band key kept in a band entry (after the 2 that choose the bucket)
ARTICLE_ENTRY: Final = ARTICLE_PART + REF_SIZE
BAND_ENTRY: Final = BAND_PART + REF_SIZE
_TIME_LIMIT: Final = 2**32


@dataclass(frozen=True, slots=True)
class Assigned:
    """What the stories made of an article: its fields, and what kind of assignment it was."""

    story_id: str
    copy_of: str | None
    kind: Kind
    similarity: float = 0.0


class StoryStore(ABC):
    """Puts articles in stories; subclasses keep the stories (in memory, SQLite, Redis)."""

    #: Where the stories live, for log lines (never contains credentials).
    location: str
    #: The store's own key for story ids (random when the store is created, then kept).
    salt: bytes

    def __init__(self, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS) -> None:
        self.sketcher = sketcher or Sketcher()
        self.min_words = min_words
        # The similarity at which a candidate is the same story (decision.SAME_STORY; the benchmark varies it).
        self.threshold = SAME_STORY

    def decide(self, article: Article, view: View) -> Plan:
        """The decision (decision.py) on what the backend found."""
        return decide(article, view, self.sketcher.similarity, self.threshold)

    def article(self, url: str, body: str, published_at: str | None) -> Article:
        """The `Article` of an item's fields (its sketch, unless the body is short)."""
        sketch = self.sketcher.sketch(body)
        return Article(
            key=key_digest(article_key(url)),
            url=url,
            published=unix_time(published_at),
            sketch=sketch if sketch.words >= self.min_words else None,
        )

    def alone(self, article: Article, kind: Kind = "short") -> Assigned:
        """A story of the article's own, never stored: for a short body (or when the store failed)."""
        return Assigned(own_story_id(self.salt, article), None, kind)

    def story_id(self, ref: int) -> str:
        """The exported id of story `ref`."""
        return story_id(self.salt, ref)

    @abstractmethod
    def assign(self, article: Article) -> Assigned:
        """Put `article` in its story (atomically) and say what its fields are."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend."""


def new_salt() -> bytes:
    """A new store's key for its story ids."""
    return secrets.token_bytes(16)


def unix_time(iso: str | None) -> int:
    """An ISO 8601 time with an offset as Unix seconds (4 bytes); 0 when there is none."""
    if not iso:
        return 0
    try:
        value = int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return 0
    return value if 0 < value < _TIME_LIMIT else 0


def article_bucket(key: bytes, bits: int) -> tuple[int, bytes]:
    """The bucket (of `bits` bits) of an article's key digest and the part of the digest its entry keeps."""
    return int.from_bytes(key[:2], "big") >> (16 - bits), key[2:2 + ARTICLE_PART]


def band_buckets(band_keys: Iterable[bytes], bits: int) -> list[tuple[int, bytes]]:
    """The bucket (of `bits` bits) of each band key and the part of it its entry keeps."""
    return [(int.from_bytes(k[:2], "big") >> (16 - bits), k[2:2 + BAND_PART]) for k in band_keys]


def entry(part: bytes, ref: int) -> bytes:
    """One bucket entry: the key's part, then the story number."""
    return part + ref.to_bytes(REF_SIZE, "big")


def entries_matching(bucket: bytes, part: bytes, size: int) -> list[int]:
    """The story numbers of the entries of `bucket` (records of `size` bytes) whose key part is `part`."""
    found: list[int] = []
    start = 0
    while (at := bucket.find(part, start)) >= 0:
        if at % size:
            start = at + 1
            continue
        found.append(int.from_bytes(bucket[at + len(part):at + size], "big"))
        start = at + size
    return found


def split_url(url: str) -> tuple[str, str]:
    """``scheme://host`` and the rest of a URL (stores keep each host once)."""
    start = url.find("://")
    end = url.find("/", start + 3) if start >= 0 else -1
    return (url, "") if end < 0 else (url[:end], url[end:])
