"""Where health records are kept: beside the crawl state, in the same SQLite file or Redis.

What it is for
    The records of each portal's last crawls (`PortalCrawl`, as JSON) live where the crawl state
    lives, named by the same URI (``NEWSCRAWL_STATE``, parsed by `newscrawl.delivery.state.locate`):

    * SQLite: a table ``health (portal, at, record)`` in the state's file;
    * Redis: one list per portal, ``<prefix>:health:<portal id>``, and the set of portals
      ``<prefix>:health`` (``prefix`` as the state's: ``newscrawl:state`` unless the URI says).

    Each portal keeps its last ``keep`` crawls (NEWSCRAWL_HEALTH_KEEP); older ones are deleted as
    new ones are added.

What it must never do
    Judge a record, or create a state that a reader (``newscrawl health``) names but that does
    not exist: a missing SQLite file is an error there, not a new empty state.
"""

from __future__ import annotations

import json
import sqlite3
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawl.delivery.health.record import PortalCrawl
from newscrawl.delivery.state import StateError, locate

if TYPE_CHECKING:
    from collections.abc import Iterable

    import redis


def _dumps(record: PortalCrawl) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class HealthStore(ABC):
    """The records of every portal's last crawls."""

    #: Where the records live, for messages (never contains credentials).
    location: str

    @abstractmethod
    def add(self, records: Iterable[PortalCrawl], keep: int) -> None:
        """Add one crawl's records; keep each portal's last `keep` crawls."""

    @abstractmethod
    def history(self, portals: Iterable[str] | None = None) -> dict[str, list[PortalCrawl]]:
        """The kept crawls of `portals` (None: every portal), oldest first."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend."""


class SqliteHealth(HealthStore):
    """Health records in the crawl state's SQLite file (table ``health``)."""

    def __init__(self, path: Path, *, create: bool) -> None:
        self.location = str(path.resolve())
        if not create and not path.is_file():
            raise StateError(f"crawl state {self.location}: no such file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=60.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS health ("
                " portal TEXT NOT NULL, at REAL NOT NULL, record TEXT NOT NULL,"
                " PRIMARY KEY (portal, at)) WITHOUT ROWID",
            )
        except (sqlite3.Error, OSError) as exc:
            raise StateError(f"crawl state {self.location}: cannot open ({exc})") from exc

    def add(self, records: Iterable[PortalCrawl], keep: int) -> None:
        """Insert the records and trim each portal, in one transaction."""
        rows = [(r.portal, r.at, _dumps(r)) for r in records]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO health VALUES (?, ?, ?)", rows)
            self._db.executemany(
                "DELETE FROM health WHERE portal = ? AND at NOT IN"
                " (SELECT at FROM health WHERE portal = ? ORDER BY at DESC LIMIT ?)",
                [(portal, portal, keep) for portal, _, _ in rows],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._db.execute("ROLLBACK")
            raise StateError(f"crawl state {self.location}: cannot write health ({exc})") from exc

    def history(self, portals: Iterable[str] | None = None) -> dict[str, list[PortalCrawl]]:
        """Read the records, oldest first."""
        wanted = None if portals is None else set(portals)
        out: dict[str, list[PortalCrawl]] = {}
        try:
            rows = self._db.execute("SELECT portal, record FROM health ORDER BY portal, at").fetchall()
        except sqlite3.Error as exc:
            raise StateError(f"crawl state {self.location}: cannot read health ({exc})") from exc
        for portal, record in rows:
            if wanted is None or portal in wanted:
                out.setdefault(portal, []).append(PortalCrawl.from_json(json.loads(record)))
        return out

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


class RedisHealth(HealthStore):
    """Health records in the crawl state's Redis (a list per portal)."""

    def __init__(self, uri: str) -> None:
        import redis  # noqa: PLC0415 - only Redis users need the redis client

        from newscrawl.delivery.state.redis import DEFAULT_PREFIX, redis_client  # noqa: PLC0415 - the same

        self._errors: type[Exception] = redis.RedisError
        client, location, own = redis_client(uri)
        prefix = own.get("prefix") or DEFAULT_PREFIX
        self.location = f"{location} (keys {prefix}:health*)"
        self._redis: redis.Redis = client
        self._set = f"{prefix}:health"
        try:
            client.ping()
        except redis.RedisError as exc:
            raise StateError(f"crawl state {self.location}: cannot open ({exc})") from None

    def _list(self, portal: str) -> str:
        return f"{self._set}:{portal}"

    def add(self, records: Iterable[PortalCrawl], keep: int) -> None:
        """Append each record to its portal's list and trim it, in one transaction."""
        pipe = self._redis.pipeline(transaction=True)
        for record in records:
            pipe.sadd(self._set, record.portal)
            pipe.rpush(self._list(record.portal), _dumps(record))
            pipe.ltrim(self._list(record.portal), -keep, -1)
        try:
            pipe.execute()
        except self._errors as exc:
            raise StateError(f"crawl state {self.location}: cannot write health ({exc})") from None

    def history(self, portals: Iterable[str] | None = None) -> dict[str, list[PortalCrawl]]:
        """Read every list (one round trip for the portal names, one for the lists)."""
        try:
            names = sorted(
                m.decode("utf-8") if isinstance(m, bytes) else str(m) for m in self._redis.smembers(self._set)
            ) if portals is None else sorted(set(portals))
            pipe = self._redis.pipeline(transaction=False)
            for name in names:
                pipe.lrange(self._list(name), 0, -1)
            lists = pipe.execute()
        except self._errors as exc:
            raise StateError(f"crawl state {self.location}: cannot read health ({exc})") from None
        out = {}
        for name, values in zip(names, lists, strict=True):
            records = sorted((PortalCrawl.from_json(json.loads(v)) for v in values), key=lambda r: r.at)
            if records:
                out[name] = records
        return out

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()


def open_health(uri: str, *, create: bool = True) -> HealthStore:
    """The health records beside the crawl state `uri`; `create=False` for readers of an existing state."""
    scheme, location = locate(uri)
    if scheme == "sqlite":
        return SqliteHealth(Path(location), create=create)
    return RedisHealth(location)
