"""The WARC archive (NEWSCRAWL_WARC) and `newscrawl extract --warc`, with real crawls and real readers.

* The demo portal crawled into a directory: the files pass warcio's checker, hold one response record
  (with its request record) per fetched response, rotate by size, and every article's `warc` points to
  its page 1's record; `newscrawl extract --warc` on them gives the crawl's articles, every field but
  `crawled_at` equal.
* To a moto S3 server over HTTP: down for part of a crawl (every record once, nothing left spooled),
  and a crawl SIGKILLed mid-file (the next crawl cuts, seals and uploads what it wrote: no record
  lost, none twice).
* A page rendered by Chromium is archived as rendered, and read back to the same article.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from serve import SiteHandler
from warcio.archiveiterator import ArchiveIterator

from newscrawl.delivery.warc.reader import cut_after_whole_records, read_at, warc_files
from newscrawl.delivery.warc.records import RENDERED_FIELD, Exchange, exchange_bytes, warcinfo_bytes
from tests.conftest import FAST, SITES, CrawlResult, run_kabar
from tests.servers import (
    BIN,
    REPO,
    S3Server,
    crawl,
    free_port,
    kill_at,
    serving_with,
    stop_at,
    turnstile_serving,
    wait_until,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

EXPECTED: dict[str, Any] = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
JS_EXPECTED: dict[str, Any] = json.loads((SITES / "jsportal" / "expected.json").read_text(encoding="utf-8"))
# Small files, so that every crawl here rotates several times.
MAX_SIZE = "40000"
SLOW = {"CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.08", "RANDOMIZE_DOWNLOAD_DELAY": "False",
        "AUTOTHROTTLE_ENABLED": "False"}


def records(files: list[Path]) -> list[Any]:
    """(type, WARC headers, HTTP headers, payload) of every record of `files`."""
    out = []
    for path in files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                payload = record.content_stream().read()
                out.append((record.rec_type, record.rec_headers, record.http_headers, payload))
    return out


def check_one_response_per_fetch(files: list[Path], stats: dict[str, Any]) -> None:
    found = records(files)
    responses = [r for r in found if r[0] == "response"]
    assert len(responses) == stats["downloader/response_count"] == stats["newscrawl/warc/records"]
    ids = [r[1].get_header("WARC-Record-ID") for r in found]
    assert len(ids) == len(set(ids)), "no record twice"
    concurrent = Counter(r[1].get_header("WARC-Concurrent-To") for r in found if r[0] == "request")
    assert concurrent == Counter(r[1].get_header("WARC-Record-ID") for r in responses), "one request per response"
    for _, warc, http, payload in responses:
        assert warc.get_header("WARC-Date").endswith("Z")
        assert warc.get_header("WARC-Target-URI").startswith("http://127.0.0.1:")
        assert warc.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert int(http.get_header("Content-Length")) == len(payload)


def warcio_check(files: list[Path]) -> None:
    """warcio's own checker (every digest verified) passes on every file."""
    checked = subprocess.run([str(BIN / "warcio"), "check", *map(str, files)], capture_output=True, text=True,
                             check=False, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""


def extract(warc: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `newscrawl extract` command."""
    return subprocess.run([str(BIN / "newscrawl"), "extract", "--warc", str(warc), "-O", str(out), *args],
                          cwd=REPO, capture_output=True, text=True, check=False, timeout=120)


def same_articles(crawled: list[dict[str, Any]], out: Path) -> None:
    """Every field but `crawled_at` equal; `story_id` names the same groups (story ids are salted per store)."""
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(again) == len(crawled)
    by_url = {item["url"]: item for item in again}
    stories: dict[str, str] = {}
    for item in crawled:
        offline = by_url[item["url"]]
        assert list(offline) == list(item), "the crawl's fields, in its order"
        for name in item:
            if name not in ("crawled_at", "story_id"):
                assert offline[name] == item[name], (item["url"], name)
        assert stories.setdefault(item["story_id"], offline["story_id"]) == offline["story_id"]
    assert len(set(stories.values())) == len(stories), "the same grouping into stories"


# --- a crawl into a directory ------------------------------------------------------------------


@pytest.fixture(scope="module")
def archived(klikdemo: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlResult, Path]:
    tmp = tmp_path_factory.mktemp("warc")
    result = run_kabar(tmp, args={"start_urls": f"{klikdemo}/", "network": "prmn"},
                       settings={"NEWSCRAWL_WARC": str(tmp / "warc"), "NEWSCRAWL_WARC_MAX_SIZE": MAX_SIZE})
    assert result.returncode == 0, result.log[-3000:]
    return result, tmp / "warc"


def test_the_warc_files_validate_and_rotate(archived: tuple[CrawlResult, Path]) -> None:
    result, root = archived
    files = warc_files(root)
    assert len(files) == result.stat("newscrawl/warc/files") >= 3
    warcio_check(files)
    for path in files:
        first = records([path])[0]
        assert first[0] == "warcinfo"
        assert first[1].get_header("WARC-Filename") == path.name
    # A file is closed at the first record pair that takes it past the size.
    assert all(p.stat().st_size < int(MAX_SIZE) + 40_000 for p in files)
    warcinfos = sum(_warcinfo_size(p) for p in files)
    assert sum(p.stat().st_size for p in files) == result.stat("newscrawl/warc/bytes") + warcinfos
    assert f"archive         : {result.stat('newscrawl/warc/records')} responses" in result.log


def _warcinfo_size(path: Path) -> int:
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        next(iterator)
        return int(iterator.get_record_length())


def test_one_response_record_per_fetched_page(archived: tuple[CrawlResult, Path]) -> None:
    result, root = archived
    check_one_response_per_fetch(warc_files(root), result.stats)
    kinds = Counter(r[1].get_header("Newscrawl-Request-Kind") for r in records(warc_files(root)) if r[0] == "response")
    assert kinds[None] == 1, "robots.txt, fetched for the crawl, not by the spider"
    assert {"start", "article", "page", "tag"} <= set(kinds)


def test_every_article_points_to_its_page_one_record(archived: tuple[CrawlResult, Path]) -> None:
    result, root = archived
    files = {p.name: p for p in warc_files(root)}
    assert len(result.items) == len(EXPECTED)
    for item in result.items:
        name, offset = item["warc"].split("#")
        record = read_at(files[name], int(offset))
        assert record is not None
        assert record.url == item["url"], "PRMN articles are fetched at their canonical URL"
        assert record.status == 200
        assert item["title"].split("'")[0].encode() in record.body  # (an apostrophe is escaped in the HTML)


def test_extract_gives_the_crawls_articles(archived: tuple[CrawlResult, Path], tmp_path: Path) -> None:
    result, root = archived
    done = extract(root, tmp_path / "again.jsonl", "-a", "network=prmn")
    assert done.returncode == 0, done.stderr
    same_articles(result.items, tmp_path / "again.jsonl")
    pages = sum(a["pages"] - 1 for a in EXPECTED.values())
    assert f"wrote {len(EXPECTED)} articles to" in done.stdout
    assert f"pages merged: {pages}, missing pages: 0" in done.stdout


def test_extract_detects_the_family_and_reads_one_file(archived: tuple[CrawlResult, Path], tmp_path: Path) -> None:
    result, root = archived
    done = extract(root, tmp_path / "detected.jsonl")
    assert done.returncode == 0, done.stderr
    same_articles(result.items, tmp_path / "detected.jsonl")
    first = warc_files(root)[0]
    done = extract(first, tmp_path / "one.jsonl", "-a", "network=prmn")
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["warc"].startswith(first.name + "#") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "network=nope"], "error: network="),
        (["-a", "follow=false"], "error: -a follow=false: give NAME=VALUE with NAME one of network, timezone, since"),
        (["-a", "since=24-06-2022"], "error: since='24-06-2022' is not a date"),
    ],
)
def test_extract_wrong_argument_is_one_line(archived: tuple[CrawlResult, Path], tmp_path: Path,
                                            args: list[str], message: str) -> None:
    done = extract(archived[1], tmp_path / "x.jsonl", *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "x.jsonl").exists()


def test_extract_without_warc_files_is_one_line(tmp_path: Path) -> None:
    done = extract(tmp_path / "nowhere", tmp_path / "x.jsonl")
    assert (done.returncode, done.stderr) == (2, f"error: --warc {tmp_path / 'nowhere'}: no such file or directory\n")
    done = extract(tmp_path, tmp_path / "x.jsonl")
    assert (done.returncode, done.stderr) == (2, f"error: --warc {tmp_path}: no WARC file (*.warc.gz, *.warc) there\n")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"NEWSCRAWL_WARC": "{tmp}/a-file/warc"},
         "error: NEWSCRAWL_WARC={tmp}/a-file/warc: cannot create the directory"),
        ({"NEWSCRAWL_WARC": "s3://KEY:secret@bucket/warc"},
         "error: NEWSCRAWL_WARC: S3 URI: credentials in the URI are refused"),
        ({"NEWSCRAWL_WARC": "{tmp}/warc", "NEWSCRAWL_WARC_MAX_SIZE": "0"},
         "error: NEWSCRAWL_WARC_MAX_SIZE=0 must be 1 or more"),
    ],
)
def test_unusable_archive_settings_stop_before_anything_starts(klikdemo: str, tmp_path: Path,
                                                               settings: dict[str, str], message: str) -> None:
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    result = run_kabar(tmp_path, args={"start_urls": f"{klikdemo}/"},
                       settings={k: v.format(tmp=tmp_path) for k, v in settings.items()})
    assert result.returncode == 2
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(message.format(tmp=tmp_path))
    assert "secret" not in result.log
    assert result.stats == {}


def _file_size_limit(limit: int) -> None:
    """In the crawl process: files may not grow past `limit` bytes (writes fail with EFBIG, as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_record_that_cannot_be_written_is_counted_and_the_crawl_goes_on(klikdemo: str, tmp_path: Path) -> None:
    limit = 150_000  # the feed and the stats stay far below; the WARC file reaches it mid-crawl
    cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-O", str(tmp_path / "out.jsonl"),
           "-a", f"start_urls={klikdemo}/", "-a", "network=prmn"]
    settings = {**FAST, "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"), "NEWSCRAWL_WARC": str(tmp_path / "warc"),
                "NEWSCRAWL_STATS_FILE": str(tmp_path / "stats.json")}
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
                          preexec_fn=lambda: _file_size_limit(limit))
    assert done.returncode == 0, done.stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))["stats"]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(items) == len(EXPECTED), "every article delivered"
    failed = stats["newscrawl/errors/warc_write_failed"]
    assert failed > 0
    assert stats["newscrawl/warc/records"] + failed == stats["downloader/response_count"]
    assert "could not archive" in done.stderr
    files = warc_files(tmp_path / "warc")
    warcio_check(files)  # each failed write was cut back: the file holds whole records only
    assert sum(1 for r in records(files) if r[0] == "response") == stats["newscrawl/warc/records"]
    assert any(item["warc"] is None for item in items)
    assert any(item["warc"] is not None for item in items)


def test_a_torn_last_record_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "torn.warc.gz"
    pages = [exchange_bytes(Exchange(f"http://127.0.0.1:1/{n}", "GET", (), 200, "HTTP/1.1",
                                     (("Content-Type", "text/html"),), b"<p>%d</p>" % n * 500)).data
             for n in range(3)]
    whole = warcinfo_bytes(path.name, {"software": "test"}) + pages[0] + pages[1]
    path.write_bytes(whole + pages[2][:40])  # torn inside its first record
    assert cut_after_whole_records(path)
    assert path.read_bytes() == whole
    warcio_check([path])
    path.write_bytes(pages[0][:10])
    assert not cut_after_whole_records(path)


# --- to S3, through the spool ------------------------------------------------------------------


def s3_objects(s3: S3Server, bucket: str, tmp_path: Path) -> list[Path]:
    """The bucket's WARC objects, downloaded to `tmp_path`."""
    out = []
    for key, body in s3.objects(bucket).items():
        assert key.endswith(".warc.gz"), key
        path = tmp_path / key.rsplit("/", 1)[1]
        path.write_bytes(body)
        out.append(path)
    return out


def warc_spool(spool: Path) -> list[Path]:
    return sorted(p for p in (spool / ".warc").rglob("*") if p.is_file() and ".locks" not in p.parts)


def s3_settings(tmp_path: Path, bucket: str) -> dict[str, str]:
    return {
        "NEWSCRAWL_WARC": f"s3://{bucket}/warc", "NEWSCRAWL_WARC_MAX_SIZE": MAX_SIZE,
        "NEWSCRAWL_SPOOL_DIR": str(tmp_path / "spool"), "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"),
        "NEWSCRAWL_DEFAULT_FEED": str(tmp_path / "feed.jsonl"),
    }


def test_s3_down_for_part_of_a_crawl_every_record_once(tmp_path: Path) -> None:
    server = S3Server(free_port())
    server.start()
    server.create_bucket("warc-outage")
    server.stop()
    with turnstile_serving(SITES / "klikdemo", []) as (klikdemo, gate):
        stats_file = str(tmp_path / "stats.json")
        settings = {**s3_settings(tmp_path, "warc-outage"), **SLOW, "NEWSCRAWL_STATS_FILE": stats_file}
        proc = crawl(tmp_path, {"start_urls": f"{klikdemo}/", "network": "prmn"}, settings, server.env())
        try:
            log = tmp_path / "crawl.log"
            # S3 comes back while the crawl waits for a page, after an upload failed: the crawl is held at
            # the page asked for once a file was closed, until its upload has failed.
            stop_at(gate, lambda: any(p.suffix == ".gz" for p in warc_spool(tmp_path / "spool")), 90, "a closed file")
            wait_until(lambda: "WARC upload of" in log.read_text(encoding="utf-8"), 90, "a WARC upload failing")
            server.start()
            gate.open()
            proc.wait(timeout=180)
            assert proc.returncode == 0, log.read_text(encoding="utf-8")[-3000:]
            stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))["stats"]
            assert stats["newscrawl/warnings/warc_upload_failed"] >= 1
            assert stats["newscrawl/warc/uploaded"] == stats["newscrawl/warc/files"] >= 3
            assert stats["newscrawl/warc/spooled"] == 0
            assert warc_spool(tmp_path / "spool") == []
            (tmp_path / "got").mkdir()
            files = s3_objects(server, "warc-outage", tmp_path / "got")
        finally:
            if proc.poll() is None:
                proc.kill()
            server.stop()
    warcio_check(files)
    check_one_response_per_fetch(files, stats)
    names = {p.name for p in files}
    items = [json.loads(line) for line in (tmp_path / "feed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(items) == len(EXPECTED)
    assert {item["warc"].split("#")[0] for item in items} <= names
    assert "none spooled" in log.read_text(encoding="utf-8")


def test_sigkilled_crawl_loses_no_record_and_uploads_none_twice(s3: S3Server, tmp_path: Path) -> None:
    s3.create_bucket("warc-kill")
    served: list[str] = []
    settings = s3_settings(tmp_path, "warc-kill")
    with turnstile_serving(SITES / "klikdemo", served) as (base, gate):
        proc = crawl(tmp_path, {"start_urls": f"{base}/", "network": "prmn"}, {**settings, **SLOW}, s3.env())

        def mid_file() -> bool:
            writing = any(p.suffix == ".part" for p in warc_spool(tmp_path / "spool"))
            return writing and bool(s3.objects("warc-kill"))

        # Killed while the crawl waits for a response: a file uploaded, the next one half written.
        kill_at(proc, gate, mid_file, "a WARC file uploaded and the next one half written")
        killed_served = len(served)
        gate.open()  # the crawl started again is let through freely
        left = warc_spool(tmp_path / "spool")
        # The file being written at the kill; and any file closed before it whose upload had not finished
        # (the kill can fall between a file's closing and the end of its upload): each is recovered.
        suffixes = [p.suffix for p in left]
        assert suffixes.count(".part") == 1, suffixes
        assert set(suffixes) <= {".part", ".gz"}, suffixes
        (tmp_path / "again").mkdir()
        again = run_kabar(tmp_path / "again", args={"start_urls": f"{base}/", "network": "prmn", "follow": "false"},
                          settings=settings, env=s3.env())
    assert again.returncode == 0, again.log[-3000:]
    assert again.stat("newscrawl/warc/recovered") == len(left)
    assert warc_spool(tmp_path / "spool") == []
    (tmp_path / "got").mkdir()
    files = s3_objects(s3, "warc-kill", tmp_path / "got")
    warcio_check(files)
    found = records(files)
    ids = [r[1].get_header("WARC-Record-ID") for r in found]
    assert len(ids) == len(set(ids)), "no record uploaded twice"
    responses = [r for r in found if r[0] == "response"]
    again_responses = again.stat("downloader/response_count")
    # One request at a time, and the one asked for at the kill was never answered: every response served
    # was archived.
    assert len(responses) - again_responses == killed_served


# --- a page rendered by Chromium ---------------------------------------------------------------


@pytest.fixture(scope="module")
def jsportal() -> Iterator[str]:
    with serving_with(SiteHandler, SITES / "jsportal") as base:
        yield base


def test_a_rendered_page_is_archived_as_rendered(jsportal: str, tmp_path: Path) -> None:
    path = next(p for p, a in JS_EXPECTED.items() if not a["inline"])
    result = run_kabar(tmp_path, args={"start_urls": f"{jsportal}{path}", "render": "js", "follow": "false"},
                       settings={"NEWSCRAWL_WARC": str(tmp_path / "warc")})
    assert result.returncode == 0, result.log[-3000:]
    [item] = result.items
    assert urlsplit(item["url"]).path == path
    assert item["body"] == JS_EXPECTED[path]["body"]
    first = JS_EXPECTED[path]["body"].split("\n\n")[0]
    served = (SITES / "jsportal" / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    assert first not in served, "the article's text is only there once its script ran"
    name, offset = item["warc"].split("#")
    [file] = [p for p in warc_files(tmp_path / "warc") if p.name == name]
    record = read_at(file, int(offset))
    assert record is not None
    assert record.rendered
    assert first.encode() in record.body
    rendered = [r for r in records([file]) if r[0] == "response" and r[1].get_header(RENDERED_FIELD)]
    assert len(rendered) == result.stat(f"newscrawl/render/browser/{urlsplit(jsportal).netloc}") == 1
    warcio_check([file])
    done = extract(tmp_path / "warc", tmp_path / "again.jsonl")
    assert done.returncode == 0, done.stderr
    same_articles(result.items, tmp_path / "again.jsonl")
