"""The stories in the crawl state's SQLite file: a copy found tomorrow joins today's story.

Chosen when the crawl state is a path or ``sqlite:///path`` (newscrawl/delivery/stories/__init__.py).
Tables, beside the crawl state's own (store.py describes the entries)::

    story_meta     name -> value: the sketch layout, the salt of story ids
    story          n (the story number) -> earliest published time, host number, rest of its URL,
                   signature of its first article (rowid table: appended, so pages stay full)
    story_host     n -> scheme://host of the URLs (a few hundred rows)
    story_entry    bucket -> entries: band entries (6 bytes each) in buckets 0-65535 (16 bits of the
                   band key), article entries (8 bytes each) in buckets 65536-131071

Each assignment is one ``BEGIN IMMEDIATE`` transaction (lookup, decision, writes), so the jobs of a
node that share the file never split a story between them, committed before `assign` returns (before
the article leaves the pipeline): a crawl killed at any moment (SIGKILL) loses no assignment it made
(tests/test_stories.py kills one mid-loop). The connection runs with ``synchronous=NORMAL`` (no
fsync per commit): a power cut may lose the last assignments, never corrupt the file, and never those
of articles the crawl state calls delivered: the state commits them later, with ``synchronous=FULL``,
into the same WAL, and that fsync makes every commit before it durable too.

What an assignment costs (``python benchmarks/stories.py --cost``): mostly its commit, the ~12 pages
a new story changes (10 band buckets, the article's bucket, the story's row) written to the WAL. One
commit per group of assignments was measured (``--grouped``) and not taken: 32 per commit save
23-31 % with 2,000 stories in the file but 6-12 % with 100,000 (the pages of a group no longer
overlap), and it would hold the write lock over several items (stalling the jobs that share the
file) and lose the group in a SIGKILL.

This module must never store article text or a whole MinHash.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import TYPE_CHECKING, ClassVar, Final

from newscrawl.delivery.state import StateError
from newscrawl.delivery.state.sqlite import Transaction
from newscrawl.delivery.stories.decision import Article, Story, View, copy_of, earliest
from newscrawl.delivery.stories.store import (
    ARTICLE_ENTRY,
    BAND_ENTRY,
    MIN_WORDS,
    Assigned,
    StoryStore,
    article_bucket,
    band_buckets,
    entries_matching,
    entry,
    new_salt,
    split_url,
)

if TYPE_CHECKING:
    from pathlib import Path

    from newscrawl.delivery.stories.sketch import Sketcher


BUCKET_BITS: Final = 16
ARTICLE_BUCKETS: Final = 1 << BUCKET_BITS  # article buckets follow the band buckets
LAYOUT: Final = "sqlite-1"


@functools.cache
def _marks(count: int, mark: str = "?") -> str:
    return ",".join([mark] * count)


def _select_entries(count: int) -> str:
    return f"SELECT b, e FROM story_entry WHERE b IN ({_marks(count)})"  # noqa: S608 - only "?" marks are interpolated


def _select_stories(count: int) -> str:
    return f"SELECT n, published, host, rest, signature FROM story WHERE n IN ({_marks(count)})"  # noqa: S608 - only "?" marks


def _replace_entries(count: int) -> str:
    return f"INSERT OR REPLACE INTO story_entry (b, e) VALUES {_marks(count, '(?, ?)')}"  # noqa: S608 - only marks


class SqliteStories(StoryStore):
    """`StoryStore` in an SQLite file (the crawl state's)."""

    _SCHEMA: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS story_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
        (
            "CREATE TABLE IF NOT EXISTS story (n INTEGER PRIMARY KEY, published INTEGER NOT NULL,"
            " host INTEGER NOT NULL, rest TEXT NOT NULL, signature BLOB NOT NULL)"
        ),
        "CREATE TABLE IF NOT EXISTS story_host (n INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS story_entry (b INTEGER PRIMARY KEY, e BLOB NOT NULL)",
    )

    def __init__(
        self, path: Path, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS, busy_timeout: float = 60.0,
    ) -> None:
        super().__init__(sketcher, min_words)
        self.location = str(path.resolve())
        self.layout = f"{self.sketcher.params.layout};{LAYOUT}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                for statement in self._SCHEMA:
                    self._db.execute(statement)
                self.salt = self._meta("salt", new_salt())
                layout = self._meta("layout", self.layout.encode())
        except (sqlite3.Error, OSError) as exc:
            raise StateError(f"stories {self.location}: cannot open ({exc})") from exc
        if layout != self.layout.encode():
            self._db.close()
            raise StateError(
                f"stories {self.location}: layout {layout.decode(errors='replace')}, this newscrawl writes"
                f" {self.layout}",
            )
        self._hosts: dict[str, int] = {}
        self._host_names: dict[int, str] = {}

    def _meta(self, name: str, default: bytes) -> bytes:
        self._db.execute("INSERT OR IGNORE INTO story_meta VALUES (?, ?)", (name, default))
        row = self._db.execute("SELECT value FROM story_meta WHERE name = ?", (name,)).fetchone()
        return bytes(row[0])

    def _transaction(self) -> Transaction:
        return Transaction(self._db)

    def assign(self, article: Article) -> Assigned:
        """One transaction: look up, decide, record."""
        try:
            with self._transaction():
                return self._assign(article)
        except sqlite3.Error as exc:
            self._hosts.clear()  # a host row of the rolled-back transaction is gone
            raise StateError(f"stories {self.location}: {exc}") from exc

    def _assign(self, article: Article) -> Assigned:
        a_bucket, a_part = article_bucket(article.key, BUCKET_BITS)
        a_bucket += ARTICLE_BUCKETS
        bands = band_buckets(article.sketch.band_keys, BUCKET_BITS) if article.sketch is not None else []
        buckets = list({a_bucket: None, **dict.fromkeys(b for b, _ in bands)})
        read: dict[int, bytes] = dict(self._db.execute(_select_entries(len(buckets)), buckets))
        known = entries_matching(read.get(a_bucket, b""), a_part, ARTICLE_ENTRY)
        if known:
            view = View(known=self._stories(known[:1])[0])
        else:
            found: dict[int, None] = {}
            for bucket, part in bands:
                if bucket in read:
                    found.update(dict.fromkeys(entries_matching(read[bucket], part, BAND_ENTRY)))
            view = View(candidates=tuple(self._stories(list(found))))
        plan = self.decide(article, view)
        if plan.kind == "short":
            return self.alone(article)
        if plan.story is None:
            assert article.sketch is not None  # noqa: S101 - "new" is only decided for a sketched article
            host, rest = split_url(article.url)
            cursor = self._db.execute(
                "INSERT INTO story (published, host, rest, signature) VALUES (?, ?, ?, ?)",
                (article.published, self._host(host), rest, article.sketch.signature),
            )
            ref = int(cursor.lastrowid or 0)
            self._append(read, [(a_bucket, entry(a_part, ref)), *((b, entry(part, ref)) for b, part in bands)])
            return Assigned(self.story_id(ref), None, "new")
        story = plan.story
        if earliest(article, story):
            host, rest = split_url(article.url)
            self._db.execute(
                "UPDATE story SET published = ?, host = ?, rest = ? WHERE n = ?",
                (article.published, self._host(host), rest, story.ref),
            )
            story = Story(story.ref, story.signature, article.published, article.url)
        if plan.kind == "copy":
            self._append(read, [(a_bucket, entry(a_part, story.ref))])
        return Assigned(self.story_id(story.ref), copy_of(article, story), plan.kind, plan.similarity)

    def _stories(self, refs: list[int]) -> list[Story]:
        if not refs:
            return []
        rows = self._db.execute(_select_stories(len(refs)), refs)
        return [Story(n, sig, published, self._host_name(host) + rest) for n, published, host, rest, sig in rows]

    def _append(self, read: dict[int, bytes], entries: list[tuple[int, bytes]]) -> None:
        """Add entries to buckets `read` in this transaction (rewritten whole: SQLite's || would make text)."""
        for bucket, value in entries:
            read[bucket] = read.get(bucket, b"") + value
        rows = {bucket: read[bucket] for bucket, _ in entries}
        self._db.execute(_replace_entries(len(rows)), [v for row in rows.items() for v in row])

    def _host(self, host: str) -> int:
        found = self._hosts.get(host)
        if found is None:
            self._db.execute("INSERT OR IGNORE INTO story_host (host) VALUES (?)", (host,))
            found = int(self._db.execute("SELECT n FROM story_host WHERE host = ?", (host,)).fetchone()[0])
            self._hosts[host] = found
        return found

    def _host_name(self, n: int) -> str:
        found = self._host_names.get(n)
        if found is None:
            found = str(self._db.execute("SELECT host FROM story_host WHERE n = ?", (n,)).fetchone()[0])
            self._host_names[n] = found
        return found

    def count(self) -> int:
        """How many stories the file holds."""
        return int(self._db.execute("SELECT count(*) FROM story").fetchone()[0])

    def close(self) -> None:
        """Checkpoint the WAL and close."""
        try:
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._db.close()

