"""The crawl state (which version of each article was delivered): open one by its URI.

`open_state` picks the backend by the URI's scheme: a plain path or ``sqlite:///path``
(sqlite.py), ``redis://`` or ``rediss://`` (redis.py, imported only when used, so that crawls
without Redis never load the client). The interface and the keys are in base.py; the Scrapy side
(one crawl's use of the state) is ledger.py.

This module must never hold a state open itself, nor import Scrapy.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from newscrawl.delivery.state.base import (
    CONTENT_FIELDS,
    CrawlState,
    Seen,
    StateError,
    Version,
    article_key,
    carried_hash,
    content_hash,
    key_digest,
)
from newscrawl.delivery.state.sqlite import SqliteState

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "BACKENDS",
    "CONTENT_FIELDS",
    "CrawlState",
    "Seen",
    "StateError",
    "Version",
    "article_key",
    "carried_hash",
    "content_hash",
    "key_digest",
    "locate",
    "open_state",
]


def _open_sqlite(location: str) -> CrawlState:
    return SqliteState(Path(location))


def _open_redis(uri: str) -> CrawlState:
    from newscrawl.delivery.state.redis import RedisState  # noqa: PLC0415 - only Redis users need the redis client

    return RedisState.from_uri(uri)


# Backends by URI scheme. A backend opener takes the URI's location part (a path for sqlite, the
# whole URI for redis).
BACKENDS: dict[str, Callable[[str], CrawlState]] = {
    "sqlite": _open_sqlite,
    "redis": _open_redis,
    "rediss": _open_redis,
}


def locate(uri: str) -> tuple[str, str]:
    """The backend (a `BACKENDS` scheme) and location (a path for sqlite, else the URI) `uri` names."""
    uri = uri.strip()
    if not uri:
        raise StateError("crawl state: NEWSCRAWL_STATE is empty")
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter: a plain path
        return "sqlite", uri
    if scheme not in BACKENDS:
        raise StateError(
            f"crawl state {uri!r}: unknown backend {scheme!r} (available: {', '.join(sorted(BACKENDS))})",
        )
    if scheme == "sqlite":
        if parts.netloc:
            raise StateError(f"crawl state {uri!r}: write sqlite:///absolute/path or a plain path")
        return scheme, unquote(parts.path)
    return scheme, uri


def open_state(uri: str) -> CrawlState:
    """Open the crawl state named by `uri` (``scheme://location`` or a plain file path)."""
    scheme, location = locate(uri)
    return BACKENDS[scheme](location)
