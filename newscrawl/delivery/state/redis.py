"""The crawl state on Redis: the same `CrawlState` semantics as SQLite, shared by every node of a cluster.

Chosen by the state URI (``NEWSCRAWL_STATE``, see newscrawl/delivery/state/__init__.py)::

    NEWSCRAWL_STATE=redis://10.0.0.5:6379/0                      # database 0, keys under "newscrawl:state"
    NEWSCRAWL_STATE=rediss://redis.internal:6380/2?prefix=kabar  # TLS, keys under "kabar"

A password is taken from the URL (``redis://:PASSWORD@host``) or, better, from the environment
variable ``REDISCLI_AUTH`` (redis-cli's own), so that it never appears in job settings or logs.
Other query parameters are passed to redis-py (e.g. ``socket_timeout=10``).

Layout, chosen for memory: an article's 16-byte key digest is split into a 2-byte *bucket* and a
14-byte field. Each bucket is one Redis hash (``<prefix>:<2 raw bytes>``, 65,536 of them), whose
fields map to a 24-byte value: content hash (16) + first seen (4, big-endian Unix time) + last
seen (4). Hashes this small are stored by Redis as compact listpacks (up to
``hash-max-listpack-entries``, 128 by default: about 8 million articles), about 50 bytes an
article instead of ~110 for one big hash (benchmarks/bench_cluster.py measures it).
``<prefix>:count`` counts the articles and ``<prefix>:meta`` holds the layout version.

Atomicity: a delivery is one transaction (MULTI/EXEC around Lua scripts that keep ``first_seen``),
so it is recorded all or none, as with SQLite. Touches are buffered and written in batches. For
durability the Redis server itself must persist (``appendonly yes``); the tests run without.

`redis_client` is also how cluster mode connects to its own Redis (one way to read a Redis URL).

This module must never store anything but digests, hashes and times (no URLs, no article text),
and never log a password.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

from newscrawl.delivery.state.base import CrawlState, Seen, StateError, Version, key_digest

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_PREFIX = "newscrawl:state"
LAYOUT = "1:b2f14v24"  # schema 1: 2-byte bucket, 14-byte field, 24-byte value
# Keys per transaction chunk (one Lua call each, all in one MULTI/EXEC) and per lookup pipeline.
CHUNK = 1000
_TIME_LIMIT = 2**32  # times are stored as 4-byte unsigned integers (until 2106)

# KEYS: count key, then one bucket per version; ARGV: field, content hash, time (4 bytes) per version.
_DELIVER = """
local added = 0
for i = 2, #KEYS do
  local j = (i - 2) * 3
  local field, hash, at = ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]
  local old = redis.call('HGET', KEYS[i], field)
  local first = at
  if old then first = string.sub(old, 17, 20) else added = added + 1 end
  redis.call('HSET', KEYS[i], field, hash .. first .. at)
end
if added > 0 then redis.call('INCRBY', KEYS[1], added) end
return added
"""

# KEYS: one bucket per key; ARGV: the time (4 bytes), then one field per key.
# Times are compared as numbers: Lua compares strings with strcoll, which depends on the locale.
_TOUCH = """
local function number(s)
  local a, b, c, d = string.byte(s, 1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end
local at = ARGV[1]
local when = number(at)
for i = 1, #KEYS do
  local field = ARGV[i + 1]
  local old = redis.call('HGET', KEYS[i], field)
  if old and number(string.sub(old, 21, 24)) < when then
    redis.call('HSET', KEYS[i], field, string.sub(old, 1, 20) .. at)
  end
end
return 0
"""


def _time(at: int) -> bytes:
    if not 0 <= at < _TIME_LIMIT:
        raise StateError(f"crawl state: time {at} is outside what the Redis state stores (1970-2106)")
    return at.to_bytes(4, "big")


def _split(digest: bytes) -> tuple[bytes, bytes]:
    return digest[:2], digest[2:]


def redis_client(uri: str) -> tuple[redis.Redis, str, dict[str, str]]:
    """A client for a ``redis://`` or ``rediss://`` URI; its credential-free location; our own parameters.

    Our parameters (``prefix``) are taken out of the query; the rest goes to redis-py. The password
    comes from the URL or from ``REDISCLI_AUTH``.
    """
    parts = urlsplit(uri)
    ours = {"prefix"}
    query = parse_qsl(parts.query, keep_blank_values=True)
    own = {k: v for k, v in query if k in ours}
    passed = [(k, v) for k, v in query if k not in ours]
    host = parts.hostname or "localhost"
    netloc_public = f"{host}:{parts.port or 6379}"
    location = urlunsplit((parts.scheme, netloc_public, parts.path or "/0", "", ""))
    kwargs: dict[str, Any] = {"socket_connect_timeout": 10, "socket_timeout": 30, "retry_on_timeout": True}
    if not parts.password and os.environ.get("REDISCLI_AUTH"):
        kwargs["password"] = os.environ["REDISCLI_AUTH"]
    try:
        client = redis.Redis.from_url(urlunsplit(parts._replace(query=urlencode(passed))), **kwargs)
    except ValueError as exc:
        raise StateError(f"crawl state {location}: {exc}") from None
    return client, location, own


class RedisState(CrawlState):
    """`CrawlState` in Redis: bucketed hashes of digests (layout in the module docstring)."""

    def __init__(self, client: redis.Redis, location: str, prefix: str = DEFAULT_PREFIX) -> None:
        self.location = f"{location} (keys {prefix}:*)"
        self._redis = client
        self._prefix = prefix.encode("utf-8")
        self._count_key = self._prefix + b":count"
        self._deliver = client.register_script(_DELIVER)
        self._touch = client.register_script(_TOUCH)
        self._touched: dict[bytes, int] = {}
        try:
            meta = self._prefix + b":meta"
            client.hsetnx(meta, "layout", LAYOUT)
            layout = client.hget(meta, "layout")
        except redis.RedisError as exc:
            raise StateError(f"crawl state {self.location}: cannot open ({exc})") from None
        if layout != LAYOUT.encode():
            found = layout.decode("utf-8", "replace") if isinstance(layout, bytes) else layout
            raise StateError(f"crawl state {self.location}: layout {found}, this newscrawl reads layout {LAYOUT}")

    @classmethod
    def from_uri(cls, uri: str) -> RedisState:
        """Open the state named by a ``redis://`` / ``rediss://`` URI."""
        client, location, own = redis_client(uri)
        return cls(client, location, own.get("prefix") or DEFAULT_PREFIX)

    def _bucket(self, prefix: bytes) -> bytes:
        return self._prefix + b":" + prefix

    def _call(self, what: str, action: Any) -> Any:
        try:
            return action()
        except redis.RedisError as exc:
            raise StateError(f"crawl state {self.location}: {what} failed ({exc})") from None

    def get_many(self, keys: Iterable[str]) -> dict[str, Seen]:
        """Look the keys up, in pipelines of `CHUNK` HGETs."""
        by_digest = {key_digest(k): k for k in keys}
        digests = list(by_digest)
        found: dict[str, Seen] = {}
        for start in range(0, len(digests), CHUNK):
            chunk = digests[start:start + CHUNK]
            pipe = self._redis.pipeline(transaction=False)
            for digest in chunk:
                bucket, field = _split(digest)
                pipe.hget(self._bucket(bucket), field)
            values = self._call("lookup", pipe.execute)
            for digest, value in zip(chunk, values, strict=True):
                if value is not None:
                    found[by_digest[digest]] = Seen(
                        bytes(value[:16]), int.from_bytes(value[16:20], "big"), int.from_bytes(value[20:24], "big"),
                    )
        return found

    def deliver(self, versions: Iterable[Version]) -> None:
        """Upsert the versions in one MULTI/EXEC transaction (chunks of `CHUNK` per script call)."""
        rows = [(key_digest(v.key), v.content_hash, _time(v.at)) for v in versions]
        if not rows:
            return
        pipe = self._redis.pipeline(transaction=True)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            keys = [self._count_key, *(self._bucket(_split(d)[0]) for d, _, _ in chunk)]
            args = [value for d, h, at in chunk for value in (_split(d)[1], h, at)]
            self._deliver(keys=keys, args=args, client=pipe)
        self._call("delivery", pipe.execute)
        for digest, _, _ in rows:
            self._touched.pop(digest, None)

    def flush(self) -> None:
        """Write the buffered last-seen times (one script call per time and chunk, one round trip)."""
        if not self._touched:
            return
        by_time: dict[int, list[bytes]] = {}
        for digest, at in self._touched.items():
            by_time.setdefault(at, []).append(digest)
        pipe = self._redis.pipeline(transaction=False)
        for at, digests in by_time.items():
            for start in range(0, len(digests), CHUNK):
                chunk = digests[start:start + CHUNK]
                keys = [self._bucket(_split(d)[0]) for d in chunk]
                self._touch(keys=keys, args=[_time(at), *(_split(d)[1] for d in chunk)], client=pipe)
        self._call("touch", pipe.execute)
        self._touched.clear()

    def count(self) -> int:
        """The article counter, kept exact by the delivery script."""
        value = self._call("count", lambda: self._redis.get(self._count_key))
        return int(value or 0)

    def close(self) -> None:
        """Flush and close the connection pool."""
        try:
            self.flush()
        finally:
            self._redis.close()
