"""The crawl state's semantics, the same for every backend (parametrised: add a backend to BACKENDS).

A backend is given by a function that returns a fresh state URI under a temporary directory;
every test opens it with `newscrawl.delivery.state.open_state`, exactly as crawls do.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from newscrawl.delivery.state import (
    CONTENT_FIELDS,
    CrawlState,
    StateError,
    Version,
    article_key,
    content_hash,
    open_state,
)
from newscrawl.delivery.state.sqlite import SqliteState

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

# backend name -> (tmp dir, pytest request -> URI of a new, empty state). The Redis backend runs
# against a real redis-server (the session's `redis_server` fixture), each test under its own prefix.
BACKENDS: dict[str, Callable[[Path, pytest.FixtureRequest], str]] = {
    "sqlite": lambda tmp, _: f"sqlite://{tmp / 'state.sqlite'}",
    "redis": lambda _, request: request.getfixturevalue("redis_server").state_uri(),
}


@pytest.fixture(params=sorted(BACKENDS))
def uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return BACKENDS[request.param](tmp_path, request)


@pytest.fixture
def state(uri: str) -> Iterator[CrawlState]:
    opened = open_state(uri)
    yield opened
    opened.close()


H1 = content_hash({"title": "one", "body": "first"})
H2 = content_hash({"title": "one", "body": "second"})


def test_unknown_articles_are_absent(state: CrawlState) -> None:
    assert state.get("example.com/a") is None
    assert state.get_many(["example.com/a", "example.com/b"]) == {}
    assert state.count() == 0


def test_delivering_records_hash_and_times(state: CrawlState) -> None:
    state.deliver([Version("example.com/a", H1, 1000)])
    seen = state.get("example.com/a")
    assert seen is not None
    assert (seen.content_hash, seen.first_seen, seen.last_seen) == (H1, 1000, 1000)


def test_a_new_version_replaces_the_hash_and_keeps_first_seen(state: CrawlState) -> None:
    state.deliver([Version("example.com/a", H1, 1000)])
    state.deliver([Version("example.com/a", H2, 2000)])
    seen = state.get("example.com/a")
    assert seen is not None
    assert (seen.content_hash, seen.first_seen, seen.last_seen) == (H2, 1000, 2000)
    assert state.count() == 1


def test_touch_moves_last_seen_of_known_articles_only(state: CrawlState) -> None:
    state.deliver([Version("example.com/a", H1, 1000)])
    state.touch(["example.com/a", "example.com/never-delivered"], 3000)
    state.flush()
    seen = state.get("example.com/a")
    assert seen is not None
    assert (seen.content_hash, seen.first_seen, seen.last_seen) == (H1, 1000, 3000)
    assert state.get("example.com/never-delivered") is None
    state.touch(["example.com/a"], 2000)
    state.flush()
    assert state.get("example.com/a").last_seen == 3000, "last_seen never goes back"  # type: ignore[union-attr]


def test_deliver_is_all_or_nothing(state: CrawlState) -> None:
    def versions() -> Iterator[Version]:
        yield Version("example.com/a", H1, 1000)
        yield Version("example.com/b", H1, 1000)
        raise OSError("the batch file could not be read to the end")

    with pytest.raises(OSError, match="could not be read"):
        state.deliver(versions())
    assert state.get_many(["example.com/a", "example.com/b"]) == {}


def test_many_keys_at_once(state: CrawlState) -> None:
    keys = [f"example.com/news/{n}" for n in range(1234)]
    state.deliver(Version(k, H1, 1000) for k in keys)
    found = state.get_many([*keys, "example.com/other"])
    assert sorted(found) == sorted(keys)
    assert state.count() == len(keys)


def test_what_was_delivered_survives_closing(uri: str) -> None:
    first = open_state(uri)
    first.deliver([Version("example.com/a", H1, 1000)])
    first.touch(["example.com/a"], 1500)
    first.close()
    again = open_state(uri)
    try:
        seen = again.get("example.com/a")
        assert seen is not None
        assert (seen.content_hash, seen.last_seen) == (H1, 1500), "close() writes buffered touches"
    finally:
        again.close()


WRITER = """
import sys
from newscrawl.delivery.state import Version, open_state, content_hash
state = open_state(sys.argv[1])
for batch in range(10):
    state.deliver(Version(f"{sys.argv[2]}/{batch}/{n}", content_hash({"n": n}), 1000) for n in range(100))
state.close()
"""


def test_two_crawls_can_share_one_state(uri: str) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, uri, name]) for name in ("one.example", "two.example")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    state = open_state(uri)
    try:
        assert state.count() == 2 * 10 * 100
    finally:
        state.close()


# --- keys and hashes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.klik.example/banggai/pr-1/slug", "http://klik.example/banggai/pr-1/slug/"),
        ("https://m.klik.example/banggai/pr-1/slug", "https://klik.example:443/banggai/pr-1/slug"),
    ],
)
def test_url_variants_of_an_article_share_one_key(one: str, other: str) -> None:
    assert article_key(one) == article_key(other)


def test_the_content_hash_of_an_item_and_of_its_json_line_agree() -> None:
    item = {field: f"{field} value" for field in CONTENT_FIELDS} | {"tags": ("a", "b"), "author": ["X"]}
    line = json.loads(json.dumps(item))
    assert content_hash(item) == content_hash(line)
    assert len(content_hash(item)) == 16


@pytest.mark.parametrize("field", CONTENT_FIELDS)
def test_a_change_in_any_content_field_is_a_change(field: str) -> None:
    item = {name: f"{name} value" for name in CONTENT_FIELDS}
    assert content_hash(item) != content_hash(item | {field: "corrected"})


def test_a_date_reckoned_from_the_fetch_does_not_make_an_update() -> None:
    # An hour later the page says "3 jam lalu": the same article, its date reckoned again.
    item = {name: f"{name} value" for name in CONTENT_FIELDS} | {
        "published_from": "text", "published_raw": "2 jam lalu", "published_at": "2026-12-07T08:00:05+07:00",
    }
    later = item | {"published_raw": "3 jam lalu", "published_at": "2026-12-07T08:00:09+07:00"}
    assert content_hash(item) == content_hash(later) == content_hash(json.loads(json.dumps(later)))
    assert content_hash(later) != content_hash(later | {"body": "corrected"})
    # A date the page prints, or one from its markup, is content.
    printed = item | {"published_raw": "Senin, 7 Desember 2026 08:00"}
    assert content_hash(printed) != content_hash(printed | {"published_at": "2026-12-07T08:01:00+07:00"})
    machine = item | {"published_from": "json-ld"}
    assert content_hash(machine) != content_hash(machine | {"published_at": "2026-12-07T08:01:00+07:00"})


@pytest.mark.parametrize("field", ["modified_at", "crawled_at", "related_urls", "image_url", "portal_name", "pages"])
def test_volatile_fields_do_not_make_an_update(field: str) -> None:
    item = {name: f"{name} value" for name in CONTENT_FIELDS}
    assert content_hash(item) == content_hash(item | {field: "2099-01-01"})


# --- naming a state -------------------------------------------------------------------------------


def test_a_state_is_named_by_path_or_uri(tmp_path: Path) -> None:
    for name in (str(tmp_path / "plain.sqlite"), f"sqlite://{tmp_path / 'uri.sqlite'}"):
        opened = open_state(name)
        assert isinstance(opened, SqliteState)
        opened.close()
    assert (tmp_path / "plain.sqlite").exists()
    assert (tmp_path / "uri.sqlite").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "NEWSCRAWL_STATE is empty"),
        ("memcached://host/x", "unknown backend 'memcached' (available: redis, rediss, sqlite)"),
        ("sqlite://host/state.db", "write sqlite:///absolute/path or a plain path"),
    ],
)
def test_a_bad_state_name_says_what_is_wrong(name: str, message: str) -> None:
    with pytest.raises(StateError, match="crawl state") as caught:
        open_state(name)
    assert message in str(caught.value)


def test_an_unusable_state_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(StateError, match=r"crawl state .*dir\.sqlite: cannot open"):
        open_state(str(tmp_path / "dir.sqlite"))
    future = tmp_path / "future.sqlite"
    db = sqlite3.connect(future)
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO meta VALUES ('schema', '99')")
    db.commit()
    db.close()
    with pytest.raises(StateError, match="schema version 99, this newscrawl reads version 1"):
        open_state(str(future))


def test_sqlite_state_uses_wal_and_stores_only_digests(tmp_path: Path) -> None:
    opened = open_state(str(tmp_path / "s.sqlite"))
    opened.deliver([Version("klik.example/banggai/pr-1/a-long-readable-slug", H1, 1000)])
    opened.close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (key, digest, first, last), = db.execute("SELECT k, h, first, last FROM seen").fetchall()
    assert (len(key), digest, first, last) == (16, H1, 1000, 1000)
    assert b"klik" not in (tmp_path / "s.sqlite").read_bytes(), "no URLs in the state"
