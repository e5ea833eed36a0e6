"""S3 feeds that lose nothing: real crawls, a real S3-compatible server (moto) over HTTP, and faults.

* S3 down for part of a crawl, then back: every article delivered exactly once, in that crawl.
* S3 down for a whole crawl: everything is spooled, the summary says so, the next crawl uploads it.
* A crawl SIGKILLed mid-way and started again: nothing lost, nothing doubled.
* What a killed crawl leaves in the spool (.part, .ready) is recovered as designed, and a live
  crawl's unfinished batch is left alone.
"""

from __future__ import annotations

import fcntl
import json
import signal
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from newscrawl.delivery.feeds.naming import s3_feed_template, split_s3
from tests.conftest import SITES, CrawlResult, run_kabar
from tests.servers import S3Server, crawl, free_port, kill_at, stop_at, turnstile_serving, wait_until

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

EXPECTED: dict[str, Any] = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
# A crawl slow enough to be interrupted: one request at a time, a little apart.
SLOW = {"CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.08", "RANDOMIZE_DOWNLOAD_DELAY": "False",
        "AUTOTHROTTLE_ENABLED": "False"}


def settings_for(tmp_path: Path, bucket: str, **more: str) -> dict[str, str]:
    return {
        "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"),
        "NEWSCRAWL_SPOOL_DIR": str(tmp_path / "spool"),
        "NEWSCRAWL_S3_URI": f"s3://{bucket}/kabar",
        "NEWSCRAWL_FEED_GROUP": "demo",
        "NEWSCRAWL_BATCH_ITEMS": "2",
        **more,
    }


def once_each(articles: list[dict[str, Any]]) -> None:
    counts = Counter(urlsplit(a["url"]).path for a in articles)
    assert sorted(counts) == sorted(EXPECTED), "every article is delivered"
    assert max(counts.values()) == 1, f"no article twice: {[p for p, n in counts.items() if n > 1]}"


def spool_files(spool: Path) -> list[Path]:
    return sorted(p for p in spool.rglob("*") if p.is_file() and ".locks" not in p.parts)


def finished(proc: subprocess.Popen[str], tmp_path: Path) -> dict[str, Any]:
    proc.wait(timeout=180)
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert proc.returncode == 0, log[-3000:]
    return json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))["stats"]


def test_s3_down_for_part_of_a_crawl_then_back(tmp_path: Path) -> None:
    server = S3Server(free_port())
    server.start()
    server.create_bucket("s3-outage")
    server.stop()
    settings = {**settings_for(tmp_path, "s3-outage"), **SLOW, "NEWSCRAWL_STATS_FILE": str(tmp_path / "stats.json")}
    with turnstile_serving(SITES / "klikdemo", []) as (klikdemo, gate):
        proc = crawl(tmp_path, {"start_urls": f"{klikdemo}/", "network": "prmn"}, settings, server.env())
        try:
            log = tmp_path / "crawl.log"
            # S3 comes back while the crawl waits for a page: held once a batch was sealed, until it is spooled.
            stop_at(gate, lambda: any(p.suffix != ".part" for p in spool_files(tmp_path / "spool")), 90, "a batch")
            wait_until(lambda: "the batch is spooled at" in log.read_text(encoding="utf-8"), 90,
                       "a batch spooled while S3 is down")
            server.start()
            gate.open()
            stats = finished(proc, tmp_path)
            log_text = log.read_text(encoding="utf-8")
            assert stats["newscrawl/warnings/s3_upload_failed"] >= 1
            assert stats["newscrawl/delivery/uploaded"] == len(EXPECTED)
            assert stats["newscrawl/delivery/spooled"] == 0
            assert "spooled         : nothing" in log_text
            assert spool_files(tmp_path / "spool") == []
            once_each(server.articles("s3-outage"))
        finally:
            if proc.poll() is None:
                proc.kill()
            server.stop()


def test_s3_down_for_a_whole_crawl_the_next_crawl_uploads_the_spool(klikdemo: str, tmp_path: Path) -> None:
    server = S3Server(free_port())  # not started: nothing listens on the port
    settings = settings_for(tmp_path, "s3-spooled", NEWSCRAWL_BATCH_ITEMS="5")
    (tmp_path / "1").mkdir()
    first = run_kabar(tmp_path / "1", args={"start_urls": f"{klikdemo}/", "network": "prmn"}, settings=settings,
                      env=server.env())
    assert first.returncode == 0, first.log[-3000:]
    assert first.stat("newscrawl/delivery/spooled") == len(EXPECTED)
    assert first.stat("newscrawl/delivery/uploaded") == 0
    batches = first.stat("newscrawl/s3/batches_spooled")
    assert batches == 3
    assert f"spooled         : {len(EXPECTED)} articles in 3 batches at {tmp_path / 'spool'} (the next crawl uploads" \
        in first.log
    assert len(spool_files(tmp_path / "spool")) == batches

    server.start()
    try:
        server.create_bucket("s3-spooled")
        (tmp_path / "2").mkdir()
        second = run_kabar(tmp_path / "2", args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                           settings=settings, env=server.env())
        assert second.returncode == 0, second.log[-3000:]
        assert second.stat("newscrawl/delivery/recovered") == len(EXPECTED)
        assert second.stat("newscrawl/skipped/unchanged") == len(EXPECTED)
        assert second.items == []
        assert spool_files(tmp_path / "spool") == []
        once_each(server.articles("s3-spooled"))
    finally:
        server.stop()


def test_sigkilled_crawl_restarted_loses_nothing_and_doubles_nothing(s3: S3Server, tmp_path: Path) -> None:
    s3.create_bucket("sigkill")
    settings = settings_for(tmp_path, "sigkill")
    with turnstile_serving(SITES / "klikdemo", []) as (klikdemo, gate):
        proc = crawl(tmp_path, {"start_urls": f"{klikdemo}/", "network": "prmn"}, {**settings, **SLOW}, s3.env())

        def mid_batch() -> bool:
            parts = [p for p in spool_files(tmp_path / "spool") if p.suffix == ".part"]
            return bool(parts) and bool(s3.objects("sigkill"))

        # Killed while the crawl waits for a page (so it cannot have ended): a batch delivered, the next
        # one half written.
        kill_at(proc, gate, mid_batch, "a batch delivered and the next one half written")
        gate.open()
        assert proc.returncode == -signal.SIGKILL
        in_s3 = {a["url"] for a in s3.articles("sigkill")}
        assert 0 < len(in_s3) < len(EXPECTED)
        # What the kill left: usually a half-written batch; maybe one sealed a moment before the kill.
        left = spool_files(tmp_path / "spool")
        partial = [p for p in left if p.suffix == ".part"]
        durable = {json.loads(line)["url"] for p in left if p.suffix != ".part" for line in p.read_bytes().splitlines()}

        (tmp_path / "again").mkdir()
        again = run_kabar(tmp_path / "again", args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                          settings=settings, env=s3.env())
        assert again.returncode == 0, again.log[-3000:]
        assert again.stat("newscrawl/warnings/partial_batch_discarded") == len(partial)
        assert again.stat("newscrawl/delivery/recovered") == len(durable)
        unchanged = again.stat("newscrawl/skipped/unchanged")
        assert unchanged == len(in_s3 | durable), "what the killed crawl delivered or made durable is not sent again"
        assert unchanged + again.stat("newscrawl/incremental/new") == len(EXPECTED)
        assert spool_files(tmp_path / "spool") == []
    once_each(s3.articles("sigkill"))


def test_what_a_killed_crawl_left_in_the_spool_is_recovered(klikdemo: str, s3: S3Server, tmp_path: Path) -> None:
    s3.create_bucket("source")
    s3.create_bucket("recover")
    (tmp_path / "source").mkdir()
    # The source crawl also shows batches closing on time: one-second batches of a slow crawl.
    on_time = {**settings_for(tmp_path / "source", "source", NEWSCRAWL_BATCH_ITEMS="1000", NEWSCRAWL_BATCH_SECONDS="1"),
               **SLOW}
    source = run_kabar(tmp_path / "source", args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                       settings=on_time, env=s3.env())
    assert source.returncode == 0, source.log[-3000:]
    check_time_batches(s3.objects("source"), tmp_path / "source" / "spool")
    lines = [line + b"\n" for body in s3.objects("source").values() for line in body.splitlines()]
    assert len(lines) == len(EXPECTED)

    spool = tmp_path / "spool"
    folder = spool / "recover" / "kabar" / "demo"
    folder.mkdir(parents=True)
    dead, live = "0123456789ab", "fedcba987654"
    # Sealed and fsynced, not yet committed to the crawl state: must be committed and uploaded.
    (folder / f"killed-00001.jsonl.{dead}.ready").write_bytes(b"".join(lines[0:3]))
    # Half written when the crawl died: must be discarded; its articles are crawled again.
    (folder / f"killed-00002.jsonl.{dead}.part").write_bytes(b"".join(lines[3:5]) + lines[5][:40])
    # A live crawl's batch in progress (its lock is held): must be left alone.
    (spool / ".locks").mkdir()
    live_part = folder / f"live-00001.jsonl.{live}.part"
    live_part.write_bytes(lines[6])
    with (spool / ".locks" / f"{live}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        (tmp_path / "run").mkdir()
        run = run_kabar(tmp_path / "run", args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                        settings=settings_for(tmp_path, "recover"), env=s3.env())
        assert run.returncode == 0, run.log[-3000:]
        assert live_part.exists()
    check_recovery(run, s3, lines)


def check_recovery(run: CrawlResult, s3: S3Server, lines: list[bytes]) -> None:
    objects = s3.objects("recover")
    assert objects["kabar/demo/killed-00001.jsonl"] == b"".join(lines[0:3])
    assert "kabar/demo/killed-00002.jsonl" not in objects
    assert run.stat("newscrawl/delivery/recovered") == 3
    assert run.stat("newscrawl/warnings/partial_batch_discarded") == 1
    assert run.stat("newscrawl/skipped/unchanged") == 3, "the .ready batch's articles count as delivered"
    assert run.stat("newscrawl/incremental/new") == len(EXPECTED) - 3
    once_each(s3.articles("recover"))


@pytest.mark.parametrize(
    ("uri", "template"),
    [
        ("s3://bucket/kabar", "s3://bucket/kabar/%(group)s/%(time)s-%(batch)s.jsonl"),
        ("s3://bucket/kabar/", "s3://bucket/kabar/%(group)s/%(time)s-%(batch)s.jsonl"),
        ("s3://bucket", "s3://bucket/%(group)s/%(time)s-%(batch)s.jsonl"),
        ("s3://bucket/x/%(group)s/%(batch)s.jsonl", "s3://bucket/x/%(group)s/%(batch)s.jsonl"),
    ],
)
def test_s3_uri_setting_gives_the_feed_template(uri: str, template: str) -> None:
    assert s3_feed_template(uri) == template


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("s3://AKIA:secret@bucket/kabar", "credentials in the URI are refused"),
        ("https://bucket/kabar", "write s3://BUCKET/prefix"),
        ("s3:///kabar", "write s3://BUCKET/prefix"),
        ("s3://bucket/../kabar/x", "'..' path segments"),
    ],
)
def test_bad_s3_uris_are_refused_with_a_clear_line(uri: str, message: str) -> None:
    with pytest.raises(ValueError, match="S3 URI") as caught:
        split_s3(uri)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


def test_aws_credentials_as_settings_are_refused_before_they_are_logged(klikdemo: str, tmp_path: Path) -> None:
    result = run_kabar(tmp_path, args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                       settings={"AWS_SECRET_ACCESS_KEY": "hunter2-do-not-log"})
    assert result.returncode != 0
    assert "AWS_SECRET_ACCESS_KEY is set as a Scrapy setting" in result.log
    assert "hunter2-do-not-log" not in result.log
    assert result.items == []



def check_time_batches(objects: dict[str, bytes], spool: Path) -> None:
    assert len(objects) >= 2, "a crawl of several seconds closes several one-second batches"
    assert sorted(objects) == [f"{next(iter(objects))[:-11]}{n:05d}.jsonl" for n in range(1, len(objects) + 1)]
    assert not list((spool / ".locks").iterdir()), "the crawl's lock is released"


def test_a_spool_that_cannot_take_a_batch_counts_its_articles_and_the_next_crawl_emits_them(
    klikdemo: str, s3: S3Server, tmp_path: Path,
) -> None:
    s3.create_bucket("unspoolable")
    # A group name longer than a file name may be: every batch file fails to open on the spool's disk.
    settings = settings_for(tmp_path, "unspoolable", NEWSCRAWL_FEED_GROUP="g" * 300)
    (tmp_path / "1").mkdir()
    first = run_kabar(tmp_path / "1", args={"start_urls": f"{klikdemo}/", "network": "prmn"}, settings=settings,
                      env=s3.env())
    assert first.returncode == 0, first.log[-3000:]
    assert first.stat("newscrawl/delivery/not_spooled") == len(EXPECTED)
    assert first.stat("newscrawl/errors/spool_write_failed") >= 1
    assert "File name too long" in first.log
    assert f"not_spooled={len(EXPECTED)}" in first.log, "the summary says what waits for the next crawl"
    assert s3.articles("unspoolable") == []

    (tmp_path / "2").mkdir()
    second = run_kabar(tmp_path / "2", args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                       settings={**settings, "NEWSCRAWL_FEED_GROUP": "demo"}, env=s3.env())
    assert second.returncode == 0, second.log[-3000:]
    assert second.stat("newscrawl/skipped/unchanged") == 0, "nothing was committed as delivered"
    once_each(s3.articles("unspoolable"))
