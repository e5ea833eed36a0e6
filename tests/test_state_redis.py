"""What is particular to the Redis crawl state (its semantics are tests/test_state.py's, run on both backends).

Everything runs against a real redis-server on 127.0.0.1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newscrawl.delivery.state import StateError, Version, content_hash, open_state
from newscrawl.delivery.state.redis import LAYOUT
from tests.redis_server import running_redis

if TYPE_CHECKING:
    from pathlib import Path

    from tests.redis_server import RedisServer

H1 = content_hash({"title": "one", "body": "first"})


def test_it_stores_only_digests_in_compact_hashes(redis_server: RedisServer) -> None:
    uri = redis_server.state_uri()
    prefix = uri.split("prefix=")[1].encode()
    state = open_state(uri)
    keys = [f"klik.example/banggai/pr-{n}/a-long-readable-slug" for n in range(300)]
    state.deliver(Version(k, H1, 1_700_000_000) for k in keys)
    state.close()
    client = redis_server.client()
    stored = list(client.scan_iter(match=prefix + b":*"))
    buckets = [k for k in stored if len(k) == len(prefix) + 3]
    assert sorted(set(stored) - set(buckets)) == [prefix + b":count", prefix + b":meta"]
    assert len(buckets) <= 300
    for bucket in buckets:
        assert client.object("encoding", bucket) == b"listpack"
        for field, value in client.hgetall(bucket).items():
            assert (len(bucket) - len(prefix) - 1 + len(field), len(value)) == (16, 24)
            assert value[:16] == H1
            assert b"klik" not in field + value, "no URLs in the state"
    assert int(client.get(prefix + b":count") or 0) == 300


def test_an_unreachable_or_foreign_redis_is_one_clear_error(redis_server: RedisServer) -> None:
    with pytest.raises(StateError, match=r"crawl state redis://127\.0\.0\.1:1/0 .*cannot open"):
        open_state("redis://127.0.0.1:1/0?socket_connect_timeout=2")
    uri = redis_server.state_uri()
    prefix = uri.split("prefix=")[1]
    redis_server.client().hset(f"{prefix}:meta", "layout", "9:future")
    with pytest.raises(StateError, match=f"layout 9:future, this newscrawl reads layout {LAYOUT}"):
        open_state(uri)


def test_the_password_comes_from_the_environment_and_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with running_redis(tmp_path / "auth", "--requirepass", "s3cret-pass") as server:
        monkeypatch.delenv("REDISCLI_AUTH", raising=False)
        with pytest.raises(StateError) as refused:
            open_state(server.url)
        assert "s3cret-pass" not in str(refused.value)
        monkeypatch.setenv("REDISCLI_AUTH", "s3cret-pass")
        state = open_state(server.url)
        try:
            state.deliver([Version("example.com/a", H1, 1000)])
            assert state.count() == 1
            assert "s3cret" not in state.location
        finally:
            state.close()
        monkeypatch.delenv("REDISCLI_AUTH")
        in_url = open_state(f"redis://:s3cret-pass@127.0.0.1:{server.port}/0")
        try:
            assert in_url.count() == 1
            assert "s3cret" not in in_url.location
        finally:
            in_url.close()
