"""The stories in the crawl state's SQLite file: a copy found tomorrow joins today's story.

Chosen when the crawl state is a path or ``sqlite:///path`` (newscrawl/delivery/stories/__init__.py).
Tables, beside the crawl state's own (store.py describes the entries)::

    story_meta     name -> value: the sketch layout, the salt of story ids
    story          n (the story number) -> earliest published time, host number, rest of its URL,
                   signature of its first article (rowid table: appended, so pages stay full)
    story_host     n -> scheme://host of the URLs (a few hundred rows)
    story_article  bucket -> article entries (8 bytes each)
    story_band     bucket -> band entries (7 bytes each)

Each assignment is one ``BEGIN IMMEDIATE`` transaction (lookup, decision, writes), so the jobs of a
node that share the file never split a story between them. The connection runs with
``synchronous=NORMAL``: a power cut may lose the last assignments (those articles are assigned again
when next delivered), never corrupt the file.

This module must never store article text or a whole MinHash.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from newscrawl.delivery.state import StateError
from newscrawl.delivery.state.sqlite import Transaction
from newscrawl.delivery.stories.decision import Article, Story, View, copy_of, decide, earliest
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
)

if TYPE_CHECKING:
    from pathlib import Path

    from newscrawl.delivery.stories.sketch import Sketcher


def split_url(url: str) -> tuple[str, str]:
    """``scheme://host`` and the rest of a URL."""
    start = url.find("://")
    end = url.find("/", start + 3) if start >= 0 else -1
    return (url, "") if end < 0 else (url[:end], url[end:])


class SqliteStories(StoryStore):
    """`StoryStore` in an SQLite file (the crawl state's)."""

    _SCHEMA: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS story_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
        (
            "CREATE TABLE IF NOT EXISTS story (n INTEGER PRIMARY KEY, published INTEGER NOT NULL,"
            " host INTEGER NOT NULL, rest TEXT NOT NULL, signature BLOB NOT NULL)"
        ),
        "CREATE TABLE IF NOT EXISTS story_host (n INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS story_article (b INTEGER PRIMARY KEY, e BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS story_band (b INTEGER PRIMARY KEY, e BLOB NOT NULL)",
    )

    def __init__(
        self, path: Path, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS, busy_timeout: float = 60.0,
    ) -> None:
        super().__init__(sketcher, min_words)
        self.location = str(path.resolve())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                for statement in self._SCHEMA:
                    self._db.execute(statement)
                self.salt = self._meta("salt", new_salt())
                layout = self._meta("layout", self.sketcher.params.layout.encode())
        except (sqlite3.Error, OSError) as exc:
            raise StateError(f"stories {self.location}: cannot open ({exc})") from exc
        if layout != self.sketcher.params.layout.encode():
            self._db.close()
            raise StateError(
                f"stories {self.location}: sketch layout {layout.decode(errors='replace')}, this newscrawl "
                f"writes {self.sketcher.params.layout}",
            )
        self._hosts: dict[str, int] = {}
        self._host_names: dict[int, str] = {}
        # The buckets read in the running transaction, by (table, bucket).
        self._read: dict[tuple[str, int], bytes] = {}

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
        self._read.clear()
        a_bucket, a_part = article_bucket(article.key)
        known = self._refs("story_article", [(a_bucket, a_part)], ARTICLE_ENTRY)
        if known:
            view = View(known=self._stories(known[:1])[0])
        elif article.sketch is not None:
            view = View(candidates=tuple(self._stories(
                self._refs("story_band", band_buckets(article.sketch.band_keys), BAND_ENTRY),
            )))
        else:
            view = View()
        plan = decide(article, view, self.sketcher.similarity)
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
            self._append("story_band", [(b, entry(part, ref)) for b, part in band_buckets(article.sketch.band_keys)])
            self._append("story_article", [(a_bucket, entry(a_part, ref))])
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
            self._append("story_article", [(a_bucket, entry(a_part, story.ref))])
        return Assigned(self.story_id(story.ref), copy_of(article, story), plan.kind, plan.similarity)

    def _refs(self, table: str, wanted: list[tuple[int, bytes]], size: int) -> list[int]:
        """The story numbers of the entries of `table` matching `wanted` (bucket, key part), first seen first."""
        buckets = sorted({b for b, _ in wanted})
        marks = ",".join("?" * len(buckets))
        rows = self._db.execute(f"SELECT b, e FROM {table} WHERE b IN ({marks})", buckets)  # noqa: S608 - table names are ours
        read = {b: bytes(e) for b, e in rows}
        self._read.update({(table, b): e for b, e in read.items()})
        found: dict[int, None] = {}
        for bucket, part in wanted:
            if bucket in read:
                found.update(dict.fromkeys(entries_matching(read[bucket], part, size)))
        return list(found)

    def _stories(self, refs: list[int]) -> list[Story]:
        if not refs:
            return []
        marks = ",".join("?" * len(refs))
        rows = self._db.execute(f"SELECT n, published, host, rest, signature FROM story WHERE n IN ({marks})", refs)  # noqa: S608 - only "?" marks are interpolated
        return [Story(n, bytes(sig), published, self._host_name(host) + rest) for n, published, host, rest, sig in rows]

    def _append(self, table: str, entries: list[tuple[int, bytes]]) -> None:
        """Add entries to buckets read in this transaction (a bucket is rewritten whole: SQLite's || makes text)."""
        for bucket, value in entries:
            grown = self._read.get((table, bucket), b"") + value
            self._read[table, bucket] = grown
            self._db.execute(f"INSERT OR REPLACE INTO {table} (b, e) VALUES (?, ?)", (bucket, grown))  # noqa: S608 - table names are ours

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

