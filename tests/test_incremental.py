"""Incremental crawls: successive crawls of a local portal emit only what is new or changed.

The portal is a copy of tests/sites/klikdemo in a temporary directory, served by the real test
server, so that the test can edit an article and add one between crawls.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from newscrawl.delivery.state import article_key, open_state
from tests.conftest import SITES, CrawlResult, run_kabar, serving

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.redis_server import RedisServer
    from tests.servers import S3Server

EXPECTED: dict[str, Any] = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
CHANGED = "/banggai/pr-13904731/pemkab-banggai-salurkan-bantuan-bibit-kakao-untuk-petani-di-pagimana"
TEMPLATE = "/banggai/pr-13915220/pelabuhan-luwuk-ramai-jelang-libur-sekolah-penumpang-kapal-naik-30-persen"
ADDED = "/banggai/pr-13999001/pelabuhan-luwuk-kembali-sepi-usai-libur-sekolah"
NEW_MODIFIED = "2022-06-30T09:15:00+0700"


@pytest.fixture(params=["sqlite", "redis"])
def state_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty crawl state on each backend (the same tests run against both)."""
    if request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        return server.state_uri()
    return str(tmp_path / "state.sqlite")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A private copy of the demo portal, served: (base URL, its directory)."""
    root = tmp_path / "site"
    shutil.copytree(SITES / "klikdemo", root)
    with serving(root) as base:
        yield base, root


def change_article(root: Path) -> None:
    """The newsroom corrects an article: one sentence and its dateModified change."""
    page = root / CHANGED.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("Penyuluh pertanian setempat dijadwalkan") == 1
    assert html.count('"dateModified": "2022-06-27T10:40:00+0700"') == 1
    html = html.replace("Penyuluh pertanian setempat dijadwalkan", "Penyuluh pertanian dari dinas setempat dijadwalkan")
    html = html.replace('"dateModified": "2022-06-27T10:40:00+0700"', f'"dateModified": "{NEW_MODIFIED}"')
    page.write_text(html, encoding="utf-8")


def add_article(root: Path) -> None:
    """The newsroom publishes an article, linked from the home page."""
    source = (root / TEMPLATE.strip("/") / "index.html").read_text(encoding="utf-8")
    title = "Pelabuhan Luwuk Ramai Jelang Libur Sekolah, Penumpang Kapal Naik 30 Persen"
    assert title in source
    html = source.replace(TEMPLATE, ADDED).replace(title, "Pelabuhan Luwuk Kembali Sepi Usai Libur Sekolah")
    target = root / ADDED.strip("/") / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(html, encoding="utf-8")
    home = root / "index.html"
    text = home.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    home.write_text(text.replace("</body>", f'<p><a href="{ADDED}">Pelabuhan Luwuk Kembali Sepi</a></p></body>'),
                    encoding="utf-8")


def paths(items: list[dict[str, Any]]) -> list[str]:
    return sorted(urlsplit(item["url"]).path for item in items)


def crawl(tmp_path: Path, name: str, base: str, settings: dict[str, str], env: dict[str, str] | None = None,
          **args: str) -> CrawlResult:
    out = tmp_path / name
    out.mkdir()
    result = run_kabar(out, args={"start_urls": f"{base}/", "network": "prmn", **args}, settings=settings, env=env)
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["finish_reason"] == "finished"
    return result


def test_scheduled_runs_emit_only_new_and_changed_articles_to_s3(
    site: tuple[str, Path], s3: S3Server, tmp_path: Path, state_uri: str,
) -> None:
    base, root = site
    bucket = "incremental-redis" if state_uri.startswith("redis") else "incremental"  # one per backend
    s3.create_bucket(bucket)
    settings = {
        "NEWSCRAWL_STATE": state_uri,
        "NEWSCRAWL_SPOOL_DIR": str(tmp_path / "spool"),
        "NEWSCRAWL_S3_URI": f"s3://{bucket}/kabar",
        "NEWSCRAWL_FEED_GROUP": "demo",
        "NEWSCRAWL_BATCH_ITEMS": "4",
    }

    first = crawl(tmp_path, "1", base, settings, s3.env())
    assert paths(first.items) == sorted(EXPECTED)
    assert first.stat("newscrawl/incremental/new") == len(EXPECTED)
    after_first = s3.objects(bucket)
    assert paths(s3.articles(bucket)) == sorted(EXPECTED)
    original = next(i for i in first.items if urlsplit(i["url"]).path == CHANGED)
    assert original["modified_at"].startswith("2022-06-27T10:40")

    second = crawl(tmp_path, "2", base, settings, s3.env())
    assert second.items == []
    assert second.stat("newscrawl/skipped/unchanged") == len(EXPECTED)
    assert second.stat("newscrawl/dropped/unchanged") == 0, "an unchanged article is a skip, not a drop"
    assert s3.objects(bucket) == after_first, "the second run delivers nothing"

    change_article(root)
    add_article(root)
    third = crawl(tmp_path, "3", base, settings, s3.env())
    assert paths(third.items) == sorted([CHANGED, ADDED])
    assert third.stat("newscrawl/incremental/new") == 1
    assert third.stat("newscrawl/incremental/updated") == 1
    assert third.stat("newscrawl/skipped/unchanged") == len(EXPECTED) - 1
    new_objects = {k: v for k, v in s3.objects(bucket).items() if k not in after_first}
    delivered = [json.loads(line) for body in new_objects.values() for line in body.splitlines()]
    assert paths(delivered) == sorted([CHANGED, ADDED])
    updated = next(i for i in delivered if urlsplit(i["url"]).path == CHANGED)
    assert updated["modified_at"].startswith("2022-06-30T09:15"), "re-emitted with its new modified_at"
    assert "Penyuluh pertanian dari dinas setempat" in updated["body"]
    assert updated["content_hash"] != original["content_hash"]
    assert updated["published_at"] == original["published_at"]


def test_local_feed_commits_at_the_end_and_incremental_false_emits_all(
    site: tuple[str, Path], tmp_path: Path, state_uri: str,
) -> None:
    base, _ = site
    settings = {"NEWSCRAWL_STATE": state_uri}
    first = crawl(tmp_path, "1", base, settings)
    assert paths(first.items) == sorted(EXPECTED)
    # A local feed (here -O) has no batches: what it received is committed when it closes.
    state = open_state(settings["NEWSCRAWL_STATE"])
    try:
        known = state.get_many(article_key(i["url"]) for i in first.items)
    finally:
        state.close()
    assert sorted(s.content_hash.hex() for s in known.values()) == sorted(i["content_hash"] for i in first.items)

    everything = crawl(tmp_path, "2", base, settings, incremental="false")
    assert paths(everything.items) == sorted(EXPECTED)
    assert everything.stat("newscrawl/incremental/unchanged_emitted") == len(EXPECTED)
    assert everything.stat("newscrawl/skipped/unchanged") == 0
    assert [i["content_hash"] for i in sorted(everything.items, key=lambda i: i["url"])] == [
        i["content_hash"] for i in sorted(first.items, key=lambda i: i["url"])
    ]
