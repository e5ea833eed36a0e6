"""The crawl state in one SQLite file: the built-in backend, shared by the crawls of one node.

Chosen by a plain path or a ``sqlite:///path`` state URI (newscrawl/delivery/state/__init__.py).

This module must never store anything but digests, hashes and times (no URLs, no article text).
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, ClassVar

from newscrawl.delivery.state.base import CrawlState, Seen, StateError, Version, key_digest

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


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
        # FULL: a commit is on disk before the spool renames its batch (see newscrawl/delivery/feeds/).
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

    def _transaction(self) -> Transaction:
        return Transaction(self._db)

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


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
